//! Shared helpers of the site's browser and HTML tests (`site_browser.rs`, `site_html.rs`):
//! building a site with the `norm` binary, a small static HTTP server to serve it from, the pages
//! that stand for each page template, and finding the tools that are not Rust crates (Chromium,
//! Java, and the npm packages axe-core and vnu-jar under `.ci/browser`).
//!
//! A missing tool makes `cargo test` say so loudly and skip the test; in CI (`CI=true`, as
//! `.ci/run` runs) it fails the test instead, so that a green CI always means the tests ran.

// Each test binary uses its own subset of the helpers.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The root of the workspace: it holds `norm.yaml`, the standards and `.ci/`.
pub fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Whether we run in CI (`.ci/run` runs with `CI=true`), where a missing tool is a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// How to install each tool the tests need, as the README says; `tool` is the name `require`
/// is given.
pub fn install_hint(tool: &str) -> &'static str {
    match tool {
        // The README's commands, word for word (tests/readme.rs checks it).
        "chromium" | "java" => {
            "`apt-get install chromium default-jre-headless` (Debian's packages; .ci/run does it)"
        }
        // The exports' validators (tests/export_validators.rs, tests/catalogue.rs).
        "frictionless" | "csvwvalidate" | "openapi-spec-validator" | "rdflib" => {
            "`python3 -m venv .ci/python && .ci/python/bin/pip install -r .ci/python-requirements.txt` \
             (pinned pip packages; .ci/run does it)"
        }
        _ => {
            "`(cd .ci/browser && npm ci --ignore-scripts)` (npm packages axe-core and vnu-jar; \
             .ci/run does it)"
        }
    }
}

/// Passes a found tool through. When it is missing: under `CI=true` it panics, naming what to
/// install; otherwise it prints a loud warning and returns `None`, and the test returns early.
///
/// The warning goes to the process's stderr directly, not through `eprintln!`, which the test
/// harness captures and shows only for failed tests: a skipped test must not look passed.
pub fn require(tool: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    if found.is_some() {
        return found;
    }
    let install = install_hint(tool);
    assert!(
        !in_ci(),
        "{tool} not found, and CI=true: the tests that use it must run in CI. \
         Install it with {install}."
    );
    let bar = "!".repeat(78);
    writeln!(
        std::io::stderr(),
        "\n{bar}\nSKIPPED: {tool} not found; install it with {install} to run this test.\n\
         (In CI, with CI=true, a missing {tool} fails the test instead.)\n{bar}\n"
    )
    .ok();
    None
}

/// The first of `names` that is an executable file on `PATH`.
pub fn find_on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in names {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// The system's Chromium: `$CHROMIUM` when set, else `chromium` (Debian's package) or
/// `chromium-browser` on `PATH`. Never a downloaded browser.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    find_on_path(&["chromium", "chromium-browser"])
}

/// A Python that can import `module`: `$NORM_PYTHON`, else `.ci/python` (the virtual
/// environment where `.ci/run` installs the validators), else `python3` on `PATH`.
pub fn python_with(module: &str) -> Option<PathBuf> {
    let venv = workspace_root().join(".ci/python/bin/python");
    let candidates = std::env::var_os("NORM_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain(venv.is_file().then_some(venv))
        .chain(find_on_path(&["python3"]));
    for python in candidates {
        let imports = Command::new(&python)
            .args(["-c", &format!("import {module}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if imports {
            return Some(python);
        }
    }
    None
}

/// `java` on `PATH` (vnu.jar needs Java 11 or later).
pub fn java() -> Option<PathBuf> {
    find_on_path(&["java"])
}

/// A file of the npm packages installed under `.ci/browser/node_modules`.
fn npm_file(path: &str) -> Option<PathBuf> {
    let file = workspace_root().join(".ci/browser/node_modules").join(path);
    file.is_file().then_some(file)
}

/// axe-core's browser bundle, injected into each page.
pub fn axe_js() -> Option<PathBuf> {
    npm_file("axe-core/axe.min.js")
}

/// The Nu Html Checker, shipped inside the `vnu-jar` npm package.
pub fn vnu_jar() -> Option<PathBuf> {
    npm_file("vnu-jar/build/dist/vnu.jar")
}

/// Runs `command` with its output collected, killing it if it outlives `limit`.
pub fn run_bounded(command: &mut Command, limit: Duration) -> Output {
    let scratch = tempfile::tempdir().unwrap();
    let (out, err) = (scratch.path().join("out"), scratch.path().join("err"));
    let mut child = command
        .stdin(Stdio::null())
        .stdout(File::create(&out).unwrap())
        .stderr(File::create(&err).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!(
                "{command:?} did not finish within {limit:?}; stderr so far:\n{}",
                std::fs::read_to_string(&err).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: std::fs::read(out).unwrap(),
        stderr: std::fs::read(err).unwrap(),
    }
}

/// Runs `norm build --out OUT` in the norm repository `repo`, and fails on a non-zero exit.
pub fn build(repo: &Path, out: &Path) {
    let output = run_bounded(
        Command::new(env!("CARGO_BIN_EXE_norm"))
            .args(["build", "--out"])
            .arg(out)
            .current_dir(repo)
            .env("NO_COLOR", "1"),
        Duration::from_secs(300),
    );
    assert!(
        output.status.success(),
        "`norm build --out {}` in {} failed ({}):\n{}{}",
        out.display(),
        repo.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

/// The site of this repository's own standards, built once per test binary into the target's
/// temporary folder (`name` keeps the binaries apart), where the next run overwrites it.
/// `NORM_TEST_SITE=DIR` tests an already built site instead.
pub fn own_site(name: &str) -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        if let Some(dir) = std::env::var_os("NORM_TEST_SITE") {
            return PathBuf::from(dir);
        }
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("own-site-{name}"));
        if out.exists() {
            std::fs::remove_dir_all(&out).unwrap();
        }
        build(&workspace_root(), &out);
        out
    })
}

/// The site of a new repository (`norm init`) whose working tree differs from its release: it
/// has the `unreleased` pages (the draft banner), which our own site has only while a standard
/// has unreleased changes. Built once per test binary, like `own_site`; `NORM_TEST_SITE=DIR`
/// stands for it too.
pub fn draft_site(name: &str) -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        if let Some(dir) = std::env::var_os("NORM_TEST_SITE") {
            return PathBuf::from(dir);
        }
        let mut repo = crate::support::Repo::new();
        let (code, stdout, stderr) = repo.norm(&["init"]);
        assert_eq!(code, 0, "norm init: {stdout}{stderr}");
        repo.commit("norm init");
        // An optional field, not yet released.
        let entity = "standards/example/entities/record.yaml";
        let record = repo.read(entity);
        repo.write(
            entity,
            &format!(
                "{record}  - name: record_note\n    item: REC003A\n    title: Note\n    \
                 description: A free-text note.\n    type: string\n"
            ),
        );
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("draft-site-{name}"));
        if out.exists() {
            std::fs::remove_dir_all(&out).unwrap();
        }
        build(repo.path(), &out);
        out
    })
}

/// A page that stands for one page template: its kind, the site it is in, and its path
/// there (which may carry a query).
pub struct Page {
    pub kind: &'static str,
    pub site: &'static Path,
    pub path: String,
}

/// One page of each page template, found by walking the built folders: our own site for every
/// kind, and `draft` for the `unreleased` pages when `own` has none. Panics naming the kinds
/// it could not find.
pub fn page_templates(own: &'static Path, draft: &'static Path) -> Vec<Page> {
    let page =
        |site: &'static Path| move |(kind, path): (&'static str, String)| Page { kind, site, path };
    let mut pages: Vec<Page> = candidates(own).into_iter().map(page(own)).collect();
    if !pages.iter().any(|p| p.kind == "unreleased") {
        pages.extend(
            candidates(draft)
                .into_iter()
                .filter(|(kind, _)| *kind == "unreleased")
                .map(page(draft)),
        );
    }
    let missing: Vec<&str> = KINDS
        .iter()
        .copied()
        .filter(|kind| !pages.iter().any(|p| p.kind == *kind))
        .collect();
    assert!(
        missing.is_empty(),
        "no page of these kinds in {} (nor, for unreleased, in {}): {}",
        own.display(),
        draft.display(),
        missing.join(", ")
    );
    pages
}

/// Every kind of page the site has, one template each.
pub const KINDS: [&str; 15] = [
    "catalogue",
    "search",
    "search results",
    "not found",
    "accessibility statement",
    "consultation",
    "standard landing page",
    "changelog",
    "version overview",
    "entity",
    "code list",
    "validation rules",
    "changes",
    "old version",
    "unreleased",
];

/// The first page of each kind found in `site`, as `(kind, path relative to the site)`.
fn candidates(site: &Path) -> Vec<(&'static str, String)> {
    let mut pages: Vec<(&'static str, String)> = Vec::new();
    let mut found = |kind: &'static str, path: Option<String>| {
        if let Some(path) = path {
            pages.push((kind, path));
        }
    };
    let root_file = |name: &str| site.join(name).is_file().then(|| name.to_owned());
    found("catalogue", root_file("index.html"));
    found("search", root_file("search.html"));
    found(
        "search results",
        root_file("search.html").map(|p| format!("{p}?q=ethnicity")),
    );
    found("not found", root_file("404.html"));
    found("accessibility statement", root_file("accessibility.html"));
    found("consultation", root_file("consultation.html"));

    // Standards are the folders with an index.html; their versions are the sub-folders named
    // by a semantic version, or `unreleased`.
    let mut standards: BTreeMap<String, Vec<semver::Version>> = BTreeMap::new();
    for std in sorted_dirs(site) {
        if site.join(&std).join("index.html").is_file() {
            let mut released: Vec<semver::Version> = sorted_dirs(&site.join(&std))
                .iter()
                .filter_map(|v| semver::Version::parse(v).ok())
                .collect();
            released.sort();
            standards.insert(std, released);
        }
    }
    // The first existing file that `make` names for a standard and its releases.
    let first = |make: &dyn Fn(&str, &[semver::Version]) -> Option<String>| {
        standards.iter().find_map(|(std, released)| {
            make(std, released).filter(|path| site.join(path).is_file())
        })
    };
    let in_latest = |std: &str, released: &[semver::Version], file: &str| {
        released.last().map(|v| format!("{std}/{v}/{file}"))
    };
    let first_html = |dir: String| {
        let mut files: Vec<String> = std::fs::read_dir(site.join(&dir))
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".html"))
            .collect();
        files.sort();
        files.first().map(|name| format!("{dir}/{name}"))
    };
    found(
        "standard landing page",
        first(&|std, _| Some(format!("{std}/index.html"))),
    );
    // Rules are released with a version, or still in the working tree.
    found(
        "validation rules",
        first(&|s, r| in_latest(s, r, "rules.html"))
            .or_else(|| first(&|s, _| Some(format!("{s}/unreleased/rules.html")))),
    );
    found(
        "changelog",
        first(&|std, _| Some(format!("{std}/changelog.html"))),
    );
    found(
        "version overview",
        first(&|s, r| in_latest(s, r, "index.html")),
    );
    found(
        "entity",
        first(&|s, r| first_html(in_latest(s, r, "entities")?)),
    );
    found(
        "code list",
        first(&|s, r| first_html(in_latest(s, r, "codelists")?)),
    );
    found("changes", first(&|s, r| in_latest(s, r, "changes.html")));
    found(
        "old version",
        first(&|std, released| {
            let old = released.get(released.len().checked_sub(2)?)?;
            Some(format!("{std}/{old}/index.html"))
        }),
    );
    found(
        "unreleased",
        first(&|std, _| Some(format!("{std}/unreleased/index.html"))),
    );
    pages
}

/// The names of the sub-folders of `dir`, sorted.
fn sorted_dirs(dir: &Path) -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

/// Every file under `dir` whose name ends with `suffix`, sorted.
pub fn files_ending(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The path the site is published at, as its sitemap says (`/norm/` for
/// `https://example.github.io/norm/`): the common folder of every URL the sitemap lists.
/// `/` when there is no readable sitemap (`site_html.rs` tests that it is well-formed).
pub fn base_path(site: &Path) -> String {
    let Ok(text) = std::fs::read_to_string(site.join("sitemap.xml")) else {
        return "/".to_owned();
    };
    let Ok(document) = roxmltree::Document::parse(&text) else {
        return "/".to_owned();
    };
    let locs: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    let Some(first) = locs.first() else {
        return "/".to_owned();
    };
    let common = locs.iter().fold(*first, |common, loc| {
        let same = common
            .char_indices()
            .zip(loc.chars())
            .find(|((_, a), b)| a != b)
            .map_or(common.len().min(loc.len()), |((i, _), _)| i);
        &common[..same]
    });
    let folder = &common[..common.rfind('/').map_or(0, |i| i + 1)];
    // Drop the scheme and host.
    let path = folder
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    path.to_owned()
}

/// The site's own preview server (`norm serve` uses it), serving one folder on 127.0.0.1 as a
/// host would: under a path (`/norm/`), with the right Content-Type, `index.html` for a folder,
/// and the site's `404.html` with status 404 for a missing file. It stops when dropped.
pub struct Server(norm_site::serve::Server);

impl Server {
    /// Serves a built site at the path it is published at (see `base_path`): its 404 page links
    /// to its assets by absolute paths, the only ones that work from any missing URL.
    pub fn site(root: &Path) -> Server {
        Server::start(root, &base_path(root))
    }

    /// Serves `root` at `mount`, a path that starts and ends with `/`.
    pub fn start(root: &Path, mount: &str) -> Server {
        Server(norm_site::serve::Server::start_at(root.to_path_buf(), 0, mount).unwrap())
    }

    /// The URL of `path` (relative to the served folder; it may carry a query).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.0.url(), path.trim_start_matches('/'))
    }
}
