//! The site that `norm build` writes, in real headless Chromium (the system's `chromium`, driven
//! over the DevTools protocol by `headless_chrome`; never a downloaded browser), served over
//! HTTP from 127.0.0.1:
//!
//! - axe-core reports no violation of WCAG 2.0 A/AA, 2.1 AA and 2.2 AA, nor of its `region` rule,
//!   on every page template, and none of them scrolls sideways at 320 px;
//! - tables have headings, focused table regions keep link contrast, underscores show;
//! - no page logs a console error (console.error, an uncaught exception, a failed load);
//! - the keyboard alone reaches the search box, and a search gets a result;
//! - search puts what readers ask for (`date of birth`, `ethnicty`, `N00177`...) at the top;
//! - markup in a description (`<script>`, `<img onerror>`) renders inert;
//! - addresses from data (`javascript:` in `owner.url`...) never become links or open a dialog.
//!
//! Without Chromium, or without the npm packages of `.ci/browser`, `cargo test` says so loudly
//! and skips; in CI (`CI=true`) it fails instead.

#![allow(clippy::unwrap_used)]

#[path = "support/site.rs"]
mod site;
mod support;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Log, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;

/// The issue's accessibility bar: axe's rules tagged with these WCAG levels, and its
/// best-practice rule `region` (all content inside a landmark, so the skip link and landmark
/// navigation miss nothing).
const WCAG_TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']";

/// The longest any single wait on the browser may take.
// Generous: a wait ends as soon as its condition holds, and a loaded 2-core machine is slow.
const WAIT: Duration = Duration::from_secs(30);

/// One headless Chromium with one tab. Every console error, uncaught exception and error-level
/// log entry (a failed load among them) is recorded with the URL of the page being visited.
/// Dropping it ends the Chromium process.
struct Chrome {
    // Field order: the tab goes before the browser that owns its process.
    tab: Arc<Tab>,
    _browser: Browser,
    page: Arc<Mutex<String>>,
    errors: Arc<Mutex<Vec<String>>>,
}

impl Chrome {
    fn launch(chromium: &Path) -> Chrome {
        let browser = Browser::new(LaunchOptions {
            headless: true,
            // We run as root in CI, where Chromium's sandbox cannot start.
            sandbox: false,
            path: Some(chromium.to_path_buf()),
            window_size: Some((1280, 1024)),
            // Bounds every call to the browser, awaiting axe's promise among them.
            idle_browser_timeout: Duration::from_secs(60),
            ..LaunchOptions::default()
        })
        .unwrap_or_else(|e| panic!("cannot start {}: {e:#}", chromium.display()));
        let tab = browser.new_tab().unwrap();
        tab.set_default_timeout(WAIT);
        let page = Arc::new(Mutex::new(String::from("about:blank")));
        let errors = Arc::new(Mutex::new(Vec::new()));
        {
            let (page, errors) = (Arc::clone(&page), Arc::clone(&errors));
            tab.add_event_listener(Arc::new(move |event: &Event| {
                if let Some(error) = console_error(event) {
                    let page = page.lock().unwrap().clone();
                    errors.lock().unwrap().push(format!("{page}: {error}"));
                }
            }))
            .unwrap();
        }
        tab.enable_runtime().unwrap();
        tab.enable_log().unwrap();
        Chrome {
            tab,
            _browser: browser,
            page,
            errors,
        }
    }

    /// Opens `url` and waits until it has loaded (its load event: every stylesheet, script and
    /// image), and a little more for scripts run on load.
    fn visit(&self, url: &str) {
        url.clone_into(&mut self.page.lock().unwrap());
        self.tab
            .navigate_to(url)
            .unwrap_or_else(|e| panic!("cannot open {url}: {e:#}"));
        // Not `wait_until_navigated`, which waits for the network to be idle for 500 ms.
        self.wait_for(
            &format!("{url} to load"),
            &format!(
                "location.href === {} && document.readyState === 'complete'",
                Value::from(url)
            ),
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    /// Evaluates `expression` in the page, awaiting it if it is a promise; the result comes
    /// back as JSON. A thrown exception is an `Err` with its description.
    fn eval(&self, expression: &str) -> Result<Value, String> {
        let answer = self
            .tab
            .call_method(Runtime::Evaluate {
                expression: expression.to_owned(),
                object_group: None,
                include_command_line_api: None,
                silent: Some(true),
                context_id: None,
                return_by_value: Some(true),
                generate_preview: None,
                user_gesture: None,
                await_promise: Some(true),
                throw_on_side_effect: None,
                timeout: None,
                disable_breaks: None,
                repl_mode: None,
                allow_unsafe_eval_blocked_by_csp: None,
                unique_context_id: None,
                serialization_options: None,
            })
            .map_err(|e| format!("{e:#}"))?;
        if let Some(details) = answer.exception_details {
            let thrown = details.exception.and_then(|e| e.description);
            return Err(thrown.unwrap_or(details.text));
        }
        Ok(answer.result.value.unwrap_or(Value::Null))
    }

    /// `eval`, failing the test on an exception.
    fn value(&self, expression: &str) -> Value {
        self.eval(expression)
            .unwrap_or_else(|e| panic!("{expression} threw on {}: {e}", self.page.lock().unwrap()))
    }

    /// Waits, at most `WAIT`, until `condition` is true in the page; fails naming `what`.
    fn wait_for(&self, what: &str, condition: &str) {
        if self.wait_until(condition, WAIT) {
            return;
        }
        // What the page was doing: its status line and the files it fetched, with how long each
        // took, so that a stalled fetch or a script error is named in the failure.
        let state = self.eval(
            "JSON.stringify({status: (document.getElementById('search-status') || {}).textContent, \
             fetched: performance.getEntriesByType('resource').map(function (r) { \
             return r.name.split('/').slice(-3).join('/') + ' ' + Math.round(r.duration) + ' ms'; })})",
        );
        panic!(
            "timed out after {WAIT:?} waiting for {what} (`{condition}`; page {}): {state:?}; \
             console errors: {:?}",
            self.tab.get_url(),
            self.errors()
        );
    }

    /// Waits, at most `limit`, until `condition` is true in the page; whether it became true.
    /// Errors while a page is being replaced count as "not yet".
    fn wait_until(&self, condition: &str, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if self.eval(condition) == Ok(Value::Bool(true)) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Makes the viewport `width` CSS pixels wide, as a phone's.
    fn set_width(&self, width: u32) {
        let metrics: Emulation::SetDeviceMetricsOverride = serde_json::from_value(
            serde_json::json!({"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": true}),
        )
        .unwrap();
        self.tab.call_method(metrics).unwrap();
    }

    /// Presses and releases a key (`Tab`, `Enter`, ...) through `Input.dispatchKeyEvent`.
    fn press(&self, key: &str) {
        self.tab.press_key(key).unwrap();
    }

    /// Runs axe-core (injected from `source`) on the page, returning its violations, one
    /// `id (impact): help` line each followed by the selectors of the offending nodes.
    fn axe(&self, source: &str) -> Vec<String> {
        if self.value("typeof window.axe") != "object" {
            self.value(source);
        }
        let run = format!(
            "axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG_TAGS}}}, \
             rules: {{region: {{enabled: true}}}}, resultTypes: ['violations']}}).then(r => r.violations.map(v => ({{id: v.id, \
             impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' '))}})))"
        );
        let violations = self.value(&run);
        let violations = violations.as_array().unwrap();
        violations
            .iter()
            .map(|v| {
                let targets: Vec<&str> = v["targets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                format!(
                    "{} ({}): {}\n        {}",
                    v["id"].as_str().unwrap_or("?"),
                    v["impact"].as_str().unwrap_or("?"),
                    v["help"].as_str().unwrap_or("?"),
                    targets.join("\n        ")
                )
            })
            .collect()
    }

    /// The errors recorded so far.
    fn errors(&self) -> Vec<String> {
        self.errors.lock().unwrap().clone()
    }
}

/// The error an event of the DevTools protocol reports, if it reports one.
fn console_error(event: &Event) -> Option<String> {
    match event {
        Event::RuntimeConsoleAPICalled(called)
            if called.params.Type == Runtime::ConsoleAPICalledEventTypeOption::Error =>
        {
            let args: Vec<String> = called
                .params
                .args
                .iter()
                .map(|arg| match (&arg.value, &arg.description) {
                    (Some(Value::String(text)), _) => text.clone(),
                    (Some(value), _) => value.to_string(),
                    (None, Some(description)) => description.clone(),
                    (None, None) => format!("{:?}", arg.Type),
                })
                .collect();
            Some(format!("console.error: {}", args.join(" ")))
        }
        Event::RuntimeExceptionThrown(thrown) => {
            let details = &thrown.params.exception_details;
            let description = details
                .exception
                .as_ref()
                .and_then(|e| e.description.clone())
                .unwrap_or_else(|| details.text.clone());
            let at = details.url.as_deref().unwrap_or("?");
            Some(format!(
                "uncaught exception at {at}:{}: {description}",
                details.line_number + 1
            ))
        }
        Event::LogEntryAdded(added) if added.params.entry.level == Log::LogEntryLevel::Error => {
            let entry = &added.params.entry;
            let at = entry.url.as_deref().unwrap_or("");
            let hint = if at.ends_with("/favicon.ico") {
                " (browsers ask for /favicon.ico when a page declares no icon: \
                 declare one with <link rel=\"icon\" href=\"...\">)"
            } else {
                ""
            };
            Some(format!(
                "{:?} error: {} {at}{hint}",
                entry.source, entry.text
            ))
        }
        _ => None,
    }
}

/// The tools every browser test needs, or `None` (after a loud warning) to skip.
fn tools() -> Option<(std::path::PathBuf, String)> {
    let chromium = site::require("chromium", site::chromium())?;
    let axe = site::require("axe-core", site::axe_js())?;
    Some((chromium, std::fs::read_to_string(axe).unwrap()))
}

/// The page templates of `site::page_templates`, each with its URL on a server of its site.
struct Templates {
    pages: Vec<(site::Page, String)>,
    _servers: [site::Server; 2],
}

impl Templates {
    fn serve() -> Templates {
        let (own, draft) = (
            site::own_site("site_browser"),
            site::draft_site("site_browser"),
        );
        let pages = site::page_templates(own, draft);
        let servers = [site::Server::site(own), site::Server::site(draft)];
        let pages = pages
            .into_iter()
            .map(|page| {
                let server = if page.site == own {
                    &servers[0]
                } else {
                    &servers[1]
                };
                let url = server.url(&page.path);
                (page, url)
            })
            .collect();
        Templates {
            pages,
            _servers: servers,
        }
    }

    /// Opens each page; on the search results page, also waits for the results, which the
    /// search script renders after loading its index. Calls `check` on each.
    fn visit(&self, chrome: &Chrome, mut check: impl FnMut(&site::Page)) {
        for (page, url) in &self.pages {
            chrome.visit(url);
            if page.kind == "search results" {
                chrome.wait_for(
                    "search results for `ethnicity`",
                    "document.querySelectorAll('#search-results li a').length > 0",
                );
            }
            check(page);
        }
    }
}

#[test]
fn axe_finds_no_violations_on_any_page_template() {
    let Some((chromium, axe)) = tools() else {
        return;
    };
    let templates = Templates::serve();
    let chrome = Chrome::launch(&chromium);
    let mut report = Vec::new();
    templates.visit(&chrome, |page| {
        let violations = chrome.axe(&axe);
        if !violations.is_empty() {
            report.push(format!(
                "{} ({}, in {}):\n  - {}",
                page.path,
                page.kind,
                page.site.display(),
                violations.join("\n  - ")
            ));
        }
    });
    assert!(
        report.is_empty(),
        "axe-core found violations of {WCAG_TAGS} on {} of {} page templates:\n{}",
        report.len(),
        templates.pages.len(),
        report.join("\n")
    );
}

/// How wide the page scrolls against its viewport, and the first elements that stick out of
/// it (outside a scrolling region): `{scroll, width, wide}`.
const FIT: &str = "(() => { const w = document.documentElement.clientWidth; \
     const wide = Array.from(document.querySelectorAll('body *')).filter(e => { \
       for (let p = e.parentElement; p; p = p.parentElement) \
         if (getComputedStyle(p).overflowX !== 'visible') return false; \
       return e.getBoundingClientRect().right > w + 0.5; }) \
       .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + \
         (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + \
         Math.round(e.getBoundingClientRect().right)); \
     return {scroll: document.documentElement.scrollWidth, width: w, wide: wide}; })()";

/// At 320 CSS pixels (WCAG 1.4.10 Reflow) no page template scrolls sideways: only a wide
/// table may, inside its own scrolling region.
#[test]
fn every_page_template_fits_320_pixels() {
    let Some((chromium, _)) = tools() else {
        return;
    };
    let templates = Templates::serve();
    let chrome = Chrome::launch(&chromium);
    chrome.set_width(320);
    let mut report = Vec::new();
    templates.visit(&chrome, |page| {
        let fit = chrome.value(FIT);
        if fit["scroll"] != fit["width"] {
            report.push(format!("{} ({}): {fit}", page.path, page.kind));
        }
    });
    assert!(
        report.is_empty(),
        "{} of {} page templates scroll sideways at 320 px:\n{}",
        report.len(),
        templates.pages.len(),
        report.join("\n")
    );
}

/// Beyond axe: the tables of entities, fields, code lists and codes have headings of their
/// own; a focused table region keeps its links at 4.5:1 or more; and the underline of a link to
/// an element name sits clear of its underscores (`pers_person_id`, not `pers person id`).
#[test]
fn tables_have_headings_focus_keeps_contrast_and_underscores_show() {
    let Some((chromium, _)) = tools() else {
        return;
    };
    let templates = Templates::serve();
    let chrome = Chrome::launch(&chromium);
    // The contrast of a link's colour on the background behind it, as WCAG computes it.
    let contrast = "(a => { const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number); \
        const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; \
          return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); \
          return 0.2126 * r + 0.7152 * g + 0.0722 * b; }; \
        let bg = 'rgb(255, 255, 255)'; \
        for (let e = a; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor; \
          if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; } } \
        const [x, y] = [lum(getComputedStyle(a).color), lum(bg)]; \
        return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); })";
    let mut problems = Vec::new();
    templates.visit(&chrome, |page| {
        // Each table region ("Fields of Person") follows a heading of its own ("Fields").
        let regions = chrome.value(
            "Array.from(document.querySelectorAll('main .app-table-scroll[aria-label*=\" of \"]')) \
             .map(r => r.getAttribute('aria-label').split(' of ')[0]) \
             .map(name => [name, Array.from(document.querySelectorAll('main h2')) \
               .some(h => h.textContent.trim() === name)])",
        );
        let regions = regions.as_array().unwrap();
        if matches!(page.kind, "version overview" | "entity" | "code list") && regions.is_empty() {
            problems.push(format!("{} ({}): no table region", page.path, page.kind));
        }
        for pair in regions {
            if pair[1] != Value::Bool(true) {
                problems.push(format!(
                    "{} ({}): no heading `{}`",
                    page.path, page.kind, pair[0]
                ));
            }
        }
        let worst = chrome.value(&format!(
            "Array.from(document.querySelectorAll('.app-table-scroll')).map(region => {{ \
               region.focus(); const links = Array.from(region.querySelectorAll('a')); \
               return links.length ? Math.min(...links.map({contrast})) : 21; }}) \
               .reduce((a, b) => Math.min(a, b), 21)"
        ));
        let worst = worst.as_f64().unwrap();
        if worst < 4.5 {
            problems.push(format!(
                "{} ({}): a link in a focused table region has contrast {worst:.2}:1",
                page.path, page.kind
            ));
        }
        let cramped = chrome.value(
            "Array.from(document.querySelectorAll('a > code')).filter(c => \
               c.textContent.includes('_') && parseFloat(getComputedStyle(c.parentElement) \
               .textUnderlineOffset) < 0.3 * parseFloat(getComputedStyle(c).fontSize)) \
               .slice(0, 3).map(c => c.textContent)",
        );
        if cramped != Value::Array(vec![]) {
            problems.push(format!(
                "{} ({}): underlines over the underscores of {cramped}",
                page.path, page.kind
            ));
        }
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_page_template_logs_a_console_error() {
    let Some((chromium, _)) = tools() else {
        return;
    };
    let templates = Templates::serve();
    let chrome = Chrome::launch(&chromium);
    templates.visit(&chrome, |_| {});
    let errors = chrome.errors();
    assert!(
        errors.is_empty(),
        "console errors on the page templates:\n{}",
        errors.join("\n")
    );
}

#[test]
fn the_keyboard_alone_reaches_search_and_gets_a_result() {
    let Some((chromium, _)) = tools() else {
        return;
    };
    let server = site::Server::site(site::own_site("site_browser"));
    let chrome = Chrome::launch(&chromium);
    chrome.visit(&server.url("index.html"));

    let focused = "document.activeElement";
    chrome.press("Tab");
    assert_eq!(
        chrome.value(&format!("{focused}.classList.contains('govuk-skip-link')")),
        true,
        "the first Tab stop of index.html must be the skip link (a.govuk-skip-link), not {}",
        chrome.value(&format!("{focused}.outerHTML.slice(0, 200)"))
    );
    let mut presses = 1;
    while chrome.value(&format!("{focused}.id")) != "site-search" {
        assert!(
            presses < 30,
            "30 presses of Tab on index.html never reached the search box (#site-search); \
             the last stop: {}",
            chrome.value(&format!("{focused}.outerHTML.slice(0, 200)"))
        );
        chrome.press("Tab");
        presses += 1;
    }

    chrome.tab.type_str("ethnicity").unwrap();
    chrome.press("Enter");
    chrome.wait_for(
        "Enter in the search box to open search.html with results",
        "location.pathname.endsWith('/search.html') \
         && document.querySelectorAll('#search-results li a').length > 0",
    );
    // Errors from here on belong to the search page.
    chrome
        .tab
        .get_url()
        .clone_into(&mut chrome.page.lock().unwrap());
    let results = chrome.value(
        "Array.from(document.querySelectorAll('#search-results li')).map(li => li.textContent)",
    );
    let results: Vec<&str> = results
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        results
            .iter()
            .any(|r| r.to_lowercase().contains("ethnicity")),
        "no search result for `ethnicity` mentions it: {results:?}"
    );
    let errors = chrome.errors();
    assert!(
        errors.is_empty(),
        "console errors while searching:\n{}",
        errors.join("\n")
    );
}

/// The search of this repository's own standards finds what a reader means: phrases with
/// stop words, the element over codes that mention it, plurals, a typo, item references and
/// codes; with a standard chosen too. Each query names a page its first results must include.
#[test]
fn search_finds_what_readers_ask_for() {
    let Some((chromium, _)) = tools() else {
        return;
    };
    let own = site::own_site("site_browser");
    let search_page = std::fs::read_to_string(own.join("search.html")).unwrap();
    assert!(
        search_page.contains("<noscript>") && search_page.contains("Search needs JavaScript"),
        "search.html lost its notice for readers without JavaScript"
    );
    let server = site::Server::site(own);
    let chrome = Chrome::launch(&chromium);
    let cases: &[(&str, usize, &str)] = &[
        // Every return has a date of birth: unscoped, the fields named so come first; scoped
        // to one standard, its own.
        ("date of birth", 1, "#date_of_birth"),
        (
            "date of birth&standard=ssd",
            2,
            "/entities/ssd_person.html#pers_dob",
        ),
        (
            "date of birth&standard=cin-census",
            2,
            "/entities/child.html#person_birth_date",
        ),
        ("ethnicity", 1, "/codelists/ethnicity.html"),
        (
            "ethnicity&standard=ssd",
            2,
            "/entities/ssd_person.html#pers_ethnicity",
        ),
        ("legal status", 1, "/codelists/legal_status.html"),
        (
            "legal status&standard=ssd",
            2,
            "/entities/ssd_legal_status.html",
        ),
        (
            "placement&standard=ssd",
            3,
            "/entities/ssd_cla_placement.html",
        ),
        (
            "placements&standard=ssd",
            3,
            "/entities/ssd_cla_placement.html",
        ),
        ("UPN", 3, "/entities/child.html#upn"),
        ("ethnicty", 1, "/codelists/ethnicity.html"),
        ("PERS001A", 1, "/entities/ssd_person.html#pers_person_id"),
        ("N00177", 1, "/codelists/ethnicity.html"),
        ("WBRI", 1, "/codelists/ethnicity.html#code-WBRI"),
        (
            "reason for leaving care&standard=csc-codes",
            3,
            "/codelists/reason_episode_ceased.html",
        ),
        (
            "ethnicty&standard=ssd",
            1,
            "/entities/ssd_person.html#pers_ethnicity",
        ),
        // A validation rule, by words of its message (376, on the same holidays, may come first).
        (
            "holiday foster carers&standard=ssda903&version=unreleased",
            2,
            "/rules.html#rule-377",
        ),
    ];
    let mut failures = Vec::new();
    for (query, within, expected) in cases {
        let url = server.url(&format!("search.html?q={}", query.replace(' ', "+")));
        chrome.visit(&url);
        if !chrome.wait_until(
            "document.querySelectorAll('#search-results li a').length > 0",
            WAIT,
        ) {
            failures.push(format!(
                "`{query}`: no results ({})",
                chrome.value("document.getElementById('search-status').textContent")
            ));
            continue;
        }
        let top = chrome.value(&format!(
            "Array.from(document.querySelectorAll('#search-results li a')).slice(0, {within}) \
             .map(a => a.getAttribute('href') + ' ' + a.textContent)"
        ));
        let top: Vec<&str> = top
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if !top
            .iter()
            .any(|r| r.split(' ').next().unwrap().ends_with(expected))
        {
            failures.push(format!(
                "`{query}`: {expected} not in the first {within}: {top:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let errors = chrome.errors();
    assert!(
        errors.is_empty(),
        "console errors while searching:\n{}",
        errors.join("\n")
    );
}

/// A script and an image with a handler, in Markdown descriptions: the site must drop them or
/// show them as text, never run them. `{}` tells the copies apart.
const PAYLOAD: &str = r#"Payload follows ({}). <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">"#;

fn payload(place: &str) -> String {
    PAYLOAD.replace("{}", place)
}

#[test]
fn markup_in_descriptions_renders_inert() {
    let Some((chromium, _)) = tools() else {
        return;
    };
    let mut repo = support::Repo::new();
    let (code, stdout, stderr) = repo.norm(&["init"]);
    assert_eq!(code, 0, "norm init: {stdout}{stderr}");

    // Released: the payload in the descriptions of the entity, of a field and of the standard.
    let entity = "standards/example/entities/record.yaml";
    let text = repo.read(entity);
    let description = "description: One thing the standard describes. Each record has an \
                       identifier and a status.\n";
    assert!(text.contains(description), "{entity} changed:\n{text}");
    let text = text
        .replacen(
            description,
            &format!(
                "description: |\n  One thing the standard describes.\n  {}\n",
                payload("entity")
            ),
            1,
        )
        .replacen(
            "    description: The identifier of the record in the system that holds it.\n",
            &format!(
                "    description: |\n      The identifier of the record.\n      {}\n",
                payload("field")
            ),
            1,
        );
    repo.write(entity, &text);
    let standard = "standards/example/standard.yaml";
    let standard_text = repo.read(standard).replacen(
        "description: |\n",
        &format!("description: |\n  {}\n", payload("standard")),
        1,
    );
    repo.write(standard, &standard_text);
    repo.commit("descriptions with markup");
    // Unreleased: a new field carrying it too, so that `unreleased` pages are built.
    repo.write(
        entity,
        &format!(
            "{text}  - name: record_note\n    item: REC003A\n    title: Note\n    \
             description: |\n      {}\n    type: string\n",
            payload("new field")
        ),
    );

    let out = tempfile::tempdir().unwrap();
    site::build(repo.path(), out.path());
    let versions: Vec<std::path::PathBuf> = site::files_ending(out.path(), "/entities/record.html")
        .iter()
        .map(|page| page.parent().unwrap().parent().unwrap().to_path_buf())
        .collect();
    let names: Vec<String> = versions
        .iter()
        .map(|v| v.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.contains(&"unreleased".to_owned()) && names.len() >= 2,
        "expected a released and an unreleased version of `example`, found {names:?}"
    );

    let server = site::Server::site(out.path());
    let chrome = Chrome::launch(&chromium);
    let relative = |path: &Path| {
        path.strip_prefix(out.path())
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let mut pages = Vec::new();
    for version in &versions {
        pages.push((relative(&version.join("entities/record.html")), true));
        pages.push((relative(&version.join("index.html")), false));
    }
    pages.push(("search.html?q=payload".to_owned(), false));
    for (page, is_entity) in &pages {
        let url = server.url(page);
        chrome.visit(&url);
        if page.starts_with("search.html") {
            // Results, if the index holds descriptions; the check below holds either way.
            chrome.wait_until(
                "document.querySelectorAll('#search-results li').length > 0",
                Duration::from_secs(3),
            );
        }
        // Give a kept <img src=x> time to fail and fire its handler.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(
            chrome.value("typeof window.__pwned"),
            "undefined",
            "{url}: a description's script ran"
        );
        assert_eq!(
            chrome.value(
                "Array.from(document.scripts).filter(s => s.text.includes('__pwned')).length"
            ),
            0,
            "{url}: a description's script element"
        );
        if !page.starts_with("search.html") {
            // (The search page runs the site's own script from <main>.)
            assert_eq!(
                chrome.value("document.querySelectorAll('main script').length"),
                0,
                "{url}: a script element inside <main>"
            );
        }
        assert_eq!(
            chrome.value("document.querySelectorAll('img[onerror]').length"),
            0,
            "{url}: an img with an onerror attribute"
        );
        if *is_entity {
            // The page does show the descriptions the payload sits in.
            assert_eq!(
                chrome.value(
                    "document.querySelector('main').textContent.includes('Payload follows (entity)')"
                ),
                true,
                "{url}: the entity's description is not on its page"
            );
        }
    }
}

/// `javascript:` and other addresses in every place the data gives one, with lint's
/// `unsafe-url` turned off: the site's own filters must still keep them out of every `href`.
#[test]
fn addresses_from_data_link_only_to_the_web() {
    let Some((chromium, _)) = tools() else {
        return;
    };
    let mut repo = support::Repo::new();
    let (code, stdout, stderr) = repo.norm(&["init"]);
    assert_eq!(code, 0, "norm init: {stdout}{stderr}");
    let edit = |path: &str, from: &str, to: &str| {
        let text = repo.read(path);
        assert!(text.contains(from), "{path} changed:\n{text}");
        repo.write(path, &text.replacen(from, to, 1));
    };
    edit(
        "norm.yaml",
        "  repository: https://github.com/your-org/standards\n",
        "  repository: \"javascript:alert('repository')\"\n",
    );
    edit(
        "norm.yaml",
        "  extends: recommended\n",
        "  extends: recommended\n  rules:\n    unsafe-url: off\n",
    );
    let standard = "standards/example/standard.yaml";
    edit(
        standard,
        "  url: https://example.org\n",
        "  url: \"javascript:alert('owner')\"\n  email: curators@example.org\n",
    );
    edit(
        standard,
        "    publisher: Your organisation\n",
        "    publisher: Your organisation\n    url: \" JaVa\\tScRiPt:alert('source')\"\n  \
         - title: Guidance on the web\n    url: https://example.org/guidance\n",
    );
    edit(
        "standards/example/codelists/record_status.yaml",
        "extensible: false\n",
        "extensible: false\nsource:\n  title: Status codes\n  url: www.example.org/codes\n",
    );
    repo.commit("addresses that are not web addresses");

    let out = tempfile::tempdir().unwrap();
    site::build(repo.path(), out.path());
    let server = site::Server::site(out.path());
    let chrome = Chrome::launch(&chromium);
    let mut problems = Vec::new();
    let mut links = Vec::new();
    let pages = site::files_ending(out.path(), ".html");
    assert!(pages.len() > 5, "too few pages: {pages:?}");
    for page in &pages {
        let path = page.strip_prefix(out.path()).unwrap().to_string_lossy();
        let url = server.url(&path);
        chrome.visit(&url);
        // Catch dialogs instead of blocking on them, then follow every link that would not
        // leave for the web: a `javascript:` one would run here.
        chrome.value(
            "window.__dialogs = []; for (const k of ['alert', 'confirm', 'prompt']) \
             window[k] = m => { window.__dialogs.push(k + ': ' + m); };",
        );
        let found = chrome.value(
            "Array.from(document.querySelectorAll('[href]')).map(a => ({href: a.getAttribute('href'), \
             protocol: new URL(a.getAttribute('href'), location.href).protocol, \
             text: a.textContent.trim()}))",
        );
        for link in found.as_array().unwrap() {
            let (href, protocol) = (
                link["href"].as_str().unwrap(),
                link["protocol"].as_str().unwrap(),
            );
            if !matches!(protocol, "http:" | "https:" | "mailto:") {
                problems.push(format!("{path}: a {protocol} link: {href}"));
            }
            if href.to_lowercase().contains("javascript") || href.ends_with("www.example.org/codes")
            {
                problems.push(format!("{path}: a link to {href}"));
            }
            links.push(href.to_owned());
        }
        chrome.value(
            "for (const a of document.querySelectorAll('a[href]')) \
             if (!['http:', 'https:', 'mailto:'].includes(a.protocol)) a.click();",
        );
        let dialogs = chrome.value("window.__dialogs");
        if dialogs != Value::Array(vec![]) {
            problems.push(format!("{path}: dialogs {dialogs}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The filters keep what is safe: web addresses and the owner's e-mail address.
    for kept in [
        "https://example.org/guidance",
        "mailto:curators@example.org",
    ] {
        assert!(
            links.iter().any(|l| l == kept),
            "no link to {kept} in {links:?}"
        );
    }
    // The unsafe ones stay on the page, as text.
    let text: String = pages
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for shown in ["Where the content comes from", "Status codes"] {
        assert!(text.contains(shown), "`{shown}` is on no page");
    }
}

#[test]
fn the_preview_server_serves_types_folders_and_its_404_page() {
    use std::io::{Read, Write};

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("std/1.0.0")).unwrap();
    std::fs::write(dir.path().join("std/1.0.0/index.html"), "<p>one</p>").unwrap();
    std::fs::write(dir.path().join("data.csv"), "a,b\n").unwrap();
    std::fs::write(dir.path().join("404.html"), "<p>not here</p>").unwrap();
    let server = site::Server::start(dir.path(), "/site/");
    let get = |path: &str| {
        let url = server.url("");
        let host = url.trim_start_matches("http://").split('/').next().unwrap();
        let mut stream = std::net::TcpStream::connect(host).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    };
    let answer = get("/site/std/1.0.0/");
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("Content-Type: text/html; charset=utf-8\r\n"));
    assert!(answer.ends_with("<p>one</p>"));
    let answer = get("/site/std/1.0.0");
    assert!(answer.starts_with("HTTP/1.1 301"), "{answer}");
    assert!(
        answer.contains("Location: /site/std/1.0.0/\r\n"),
        "{answer}"
    );
    let answer = get("/site");
    assert!(answer.contains("Location: /site/\r\n"), "{answer}");
    let answer = get("/site/data.csv?x=1");
    assert!(
        answer.contains("Content-Type: text/csv; charset=utf-8\r\n"),
        "{answer}"
    );
    for missing in [
        "/site/missing.html",
        "/data.csv",
        "/site/%2e%2e/site/data.csv",
    ] {
        let answer = get(missing);
        assert!(
            answer.starts_with("HTTP/1.1 404 Not Found\r\n"),
            "{missing}: {answer}"
        );
        assert!(answer.ends_with("<p>not here</p>"), "{missing}: {answer}");
    }
    let answer = get("/site/../../etc/passwd");
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
}

/// The catalogue site that `norm catalogue` makes of two served sites (our own and a new
/// repository's): its pages pass axe, fit 320 pixels and log no error, and its one search
/// finds the elements of both sites and leads to their pages there.
#[test]
fn the_catalogue_of_two_sites_passes_axe_and_its_search_leads_to_both() {
    let Some((chromium, axe)) = tools() else {
        return;
    };
    let (own, draft) = (
        site::own_site("site_browser"),
        site::draft_site("site_browser"),
    );
    let servers = [site::Server::site(own), site::Server::site(draft)];
    let work = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = support::norm_in(
        work.path(),
        &[
            "catalogue",
            &servers[0].url(""),
            &servers[1].url(""),
            "--out",
            "catalogue",
        ],
    );
    assert_eq!(code, 0, "norm catalogue: {stdout}{stderr}");
    let server = site::Server::start(&work.path().join("catalogue"), "/");
    let chrome = Chrome::launch(&chromium);
    let pages = [
        "index.html",
        "search.html",
        "accessibility.html",
        "search.html?q=ethnicity",
    ];
    let mut report = Vec::new();
    for width in [None, Some(320)] {
        if let Some(width) = width {
            chrome.set_width(width);
        }
        for path in pages {
            chrome.visit(&server.url(path));
            if path.contains("?q=") {
                chrome.wait_for(
                    "search results",
                    "document.querySelectorAll('#search-results li a').length > 0",
                );
            }
            if width.is_none() {
                let violations = chrome.axe(&axe);
                if !violations.is_empty() {
                    report.push(format!("{path}:\n  - {}", violations.join("\n  - ")));
                }
            } else {
                let fit = chrome.value(FIT);
                if fit["scroll"] != fit["width"] {
                    report.push(format!("{path} scrolls sideways at 320 px: {fit}"));
                }
            }
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
    // One search, two sites: each query's results link to the site that has the element.
    for (query, site) in [
        ("q=ethnicity", &servers[0]),
        ("q=REC001A", &servers[1]),
        ("q=record&standard=data-standards/example", &servers[1]),
    ] {
        chrome.visit(&server.url(&format!("search.html?{query}")));
        chrome.wait_for(
            "search results",
            "document.querySelectorAll('#search-results li a').length > 0",
        );
        let first = chrome.value("document.querySelector('#search-results li a').href");
        let first = first.as_str().unwrap().to_owned();
        assert!(
            first.starts_with(&site.url("")),
            "`{query}`: the first result {first} is not on {}",
            site.url("")
        );
        chrome.visit(&first);
        assert_ne!(
            chrome.value("document.title"),
            Value::from("Page not found"),
            "{first}"
        );
    }
    let errors = chrome.errors();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
}
