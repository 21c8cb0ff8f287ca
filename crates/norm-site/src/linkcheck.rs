//! A link checker for a built site: every internal `href` and `src` of every page must name
//! a file that exists, and its `#anchor` an `id` in that file. A relative link that climbs
//! above the site's root is broken even when the path it lands on exists (a browser does not
//! stop at the root: it leaves the site). Root-relative links (`/norm/assets/norm.css`, as the
//! 404 page has, which is served at any depth) are resolved from the path the site is published
//! at, which the sitemap's addresses give (`/` without a sitemap, as the 404 page assumes too).
//! The tests run it over whole sites; it is public so that a repository's own CI can run it
//! over a customised theme.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every value of `attr="..."` in `html`.
fn attributes<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The path the site is published at (`/norm/`): a sitemap address minus the page it names.
fn mount(dir: &Path, pages: &[String]) -> String {
    let sitemap = std::fs::read_to_string(dir.join("sitemap.xml")).unwrap_or_default();
    let path = sitemap
        .split("<loc>")
        .nth(1)
        .and_then(|rest| rest.split("</loc>").next())
        .and_then(|url| url.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()));
    path.and_then(|path| {
        pages
            .iter()
            .find_map(|p| path.strip_suffix(p.as_str()).map(str::to_owned))
    })
    .unwrap_or_else(|| "/".to_owned())
}

/// Where `link` on page `page` leads, as a path under the site's root, or why it leads
/// nowhere on the site.
fn resolve(page: &str, file: &str, mount: &str) -> Result<String, String> {
    let (mut parts, relative): (Vec<&str>, &str) = match file.strip_prefix(mount) {
        Some(rest) if file.starts_with('/') => (Vec::new(), rest),
        None if file.starts_with('/') => return Err(format!("outside the site's path {mount}")),
        _ => {
            let mut parts: Vec<&str> = page.split('/').collect();
            parts.pop();
            (parts, file)
        }
    };
    for seg in relative.split('/') {
        match seg {
            ".." => {
                if parts.pop().is_none() {
                    return Err("above the site's root".to_owned());
                }
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

/// Checks every internal `href` and `src` of every page, the 404 page too: the file exists
/// and so does the anchor. Returns the broken links as `page: link`.
pub fn broken_links(dir: &Path) -> Vec<String> {
    let pages = crate::walk(dir);
    let mount = mount(dir, &pages);
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in pages.iter().filter(|p| p.ends_with(".html")) {
        let html = std::fs::read_to_string(dir.join(p)).unwrap_or_default();
        ids.insert(
            p.clone(),
            attributes(&html, "id")
                .into_iter()
                .map(str::to_owned)
                .collect(),
        );
    }
    let mut broken = Vec::new();
    for p in pages.iter().filter(|p| p.ends_with(".html")) {
        let html = std::fs::read_to_string(dir.join(p)).unwrap_or_default();
        for link in attributes(&html, "href")
            .into_iter()
            .chain(attributes(&html, "src"))
        {
            let link = &link.replace("&amp;", "&");
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = link.split_once('#').unwrap_or((link, ""));
            let file = file.split('?').next().unwrap_or_default();
            let target = if file.is_empty() {
                p.clone()
            } else {
                match resolve(p, file, &mount) {
                    Ok(target) => target,
                    Err(why) => {
                        broken.push(format!("{p}: {link} ({why})"));
                        continue;
                    }
                }
            };
            if !dir.join(&target).is_file() {
                broken.push(format!("{p}: {link} (no file {target})"));
            } else if !anchor.is_empty()
                && !ids.get(&target).is_some_and(|set| set.contains(anchor))
            {
                broken.push(format!("{p}: {link} (no id {anchor} in {target})"));
            }
        }
    }
    broken
}
