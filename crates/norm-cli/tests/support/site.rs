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
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
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

/// How to install each tool the tests need; `tool` is the name `require` is given.
fn install_hint(tool: &str) -> &'static str {
    match tool {
        "chromium" => "`apt-get install chromium` (Debian's package)",
        "java" => "`apt-get install default-jre-headless`",
        _ => "`(cd .ci/browser && npm ci)` (npm packages axe-core and vnu-jar; .ci/run does it)",
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
        "{tool} not found, and CI=true: the site's browser and HTML tests must run in CI. \
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
pub const KINDS: [&str; 14] = [
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

/// A static HTTP server for one folder on 127.0.0.1, as a host would serve the site: under a
/// path (`/norm/`), with the right Content-Type, `index.html` for a folder, and the site's
/// `404.html` with status 404 for a missing file. It stops when dropped.
pub struct Server {
    addr: SocketAddr,
    mount: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves a built site at the path it is published at (see `base_path`): its 404 page links
    /// to its assets by absolute paths, the only ones that work from any missing URL.
    pub fn site(root: &Path) -> Server {
        Server::start(root, &base_path(root))
    }

    /// Serves `root` at `mount`, a path that starts and ends with `/`.
    pub fn start(root: &Path, mount: &str) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        // Non-blocking, so that the accepting thread sees `stop` between connections.
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let thread = {
            let stop = Arc::clone(&stop);
            let mount = mount.to_owned();
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let (root, mount) = (root.clone(), mount.clone());
                            // One thread per connection: a browser opens several at once, some
                            // of them idle. Each is bounded by the stream's timeouts.
                            std::thread::spawn(move || serve(&root, &mount, stream));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        Server {
            addr,
            mount: mount.to_owned(),
            stop,
            thread: Some(thread),
        }
    }

    /// The URL of `path` (relative to the served folder; it may carry a query).
    pub fn url(&self, path: &str) -> String {
        format!(
            "http://{}{}{}",
            self.addr,
            self.mount,
            path.trim_start_matches('/')
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}

/// Answers one request on `stream`, then closes it.
fn serve(root: &Path, mount: &str, stream: TcpStream) {
    // Accepted sockets may inherit the listener's non-blocking mode.
    stream.set_nonblocking(false).ok();
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    stream.set_write_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Skip the headers: nothing in them changes the answer.
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let (status, content_type, body, location) = respond(root, mount, method, target);
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(location) = location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = &stream;
    if stream.write_all(head.as_bytes()).is_ok() && method != "HEAD" {
        stream.write_all(&body).ok();
    }
    stream.flush().ok();
}

/// The status line, Content-Type, body and `Location` answering `method target`.
fn respond(
    root: &Path,
    mount: &str,
    method: &str,
    target: &str,
) -> (&'static str, &'static str, Vec<u8>, Option<String>) {
    if method != "GET" && method != "HEAD" {
        return (
            "405 Method Not Allowed",
            "text/plain",
            b"method not allowed".to_vec(),
            None,
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if format!("{path}/") == mount {
        return (
            "301 Moved Permanently",
            "text/plain",
            Vec::new(),
            Some(mount.to_owned()),
        );
    }
    let decoded = percent_decode(path);
    let inside = decoded.strip_prefix(mount);
    let relative = Path::new(inside.unwrap_or(""));
    let safe = inside.is_some()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    let mut file = root.join(relative);
    if safe && file.is_dir() {
        if !path.ends_with('/') {
            // As hosts do: relative links inside a folder's index.html need the slash.
            return (
                "301 Moved Permanently",
                "text/plain",
                Vec::new(),
                Some(format!("{path}/")),
            );
        }
        file = file.join("index.html");
    }
    let mut body = Vec::new();
    if safe
        && file.is_file()
        && File::open(&file)
            .and_then(|mut f| f.read_to_end(&mut body))
            .is_ok()
    {
        return ("200 OK", content_type(&file), body, None);
    }
    match std::fs::read(root.join("404.html")) {
        Ok(page) => ("404 Not Found", "text/html; charset=utf-8", page, None),
        Err(_) => ("404 Not Found", "text/plain", b"not found".to_vec(), None),
    }
}

/// The Content-Type of a file of the site, by its extension.
fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes of a URL path; anything malformed stays as it is.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
