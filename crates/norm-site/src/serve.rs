//! A small static file server for previewing a built site on this machine (`norm serve`) and
//! for the browser tests. It binds to 127.0.0.1 only and serves files under one folder.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::SiteError;

/// A running server; it stops when dropped.
pub struct Server {
    port: u16,
    mount: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// The Content-Type of a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// Where a request path points under `root`, or `None` when it escapes the folder.
fn local(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_decode(path)?;
    let mut out = root.to_path_buf();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The file a request path names under `root`, or `None` when it escapes the folder or does
/// not exist. Folders serve their `index.html`.
pub fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let mut out = local(root, url)?;
    if out.is_dir() {
        out.push("index.html");
    }
    out.is_file().then_some(out)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Tells the pages of a preview server to reload themselves after a rebuild.
#[derive(Debug, Clone, Default)]
pub struct Reload(Arc<AtomicU64>);

impl Reload {
    /// Marks the site as rebuilt: open pages reload within a second.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// The path, under the mount, that tells pages how many rebuilds there have been.
const RELOAD_PATH: &str = "/__norm/reload";

/// Added to every HTML page a preview serves (never to the built files): asks for the rebuild
/// count every second and reloads the page when it changes.
fn reload_script(prefix: &str) -> String {
    format!(
        "<script>(function () {{ var seen = null; setInterval(function () {{ \
         fetch(\"{prefix}{RELOAD_PATH}\").then(function (r) {{ return r.text(); }}).then(function (n) {{ \
         if (seen !== null && n !== seen) {{ location.reload(); }} seen = n; }}).catch(function () {{}}); \
         }}, 1000); }})();</script>"
    )
}

impl Server {
    /// Serves `root` on 127.0.0.1:`port` (0 picks a free port) from a background thread.
    pub fn start(root: PathBuf, port: u16) -> Result<Server, SiteError> {
        Server::spawn(root, port, "/", None)
    }

    /// Serves `root` like [`Server::start`] for a preview: every HTML page it serves reloads
    /// itself after `reload` is bumped (`norm serve` bumps it after each rebuild).
    pub fn preview(root: PathBuf, port: u16, reload: Reload) -> Result<Server, SiteError> {
        Server::spawn(root, port, "/", Some(reload))
    }

    /// Serves `root` at the path `mount` (which starts and ends with `/`), as a host that
    /// publishes the site under a path would (`/norm/` on GitHub Pages). Requests outside it get
    /// the 404 page.
    pub fn start_at(root: PathBuf, port: u16, mount: &str) -> Result<Server, SiteError> {
        Server::spawn(root, port, mount, None)
    }

    fn spawn(
        root: PathBuf,
        port: u16,
        mount: &str,
        reload: Option<Reload>,
    ) -> Result<Server, SiteError> {
        // tiny_http boxes the socket's error; unboxed, its kind (`AddrInUse`) reaches the caller
        // and its message is said once.
        let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| SiteError::Io {
            path: format!("127.0.0.1:{port}"),
            source: match e.downcast::<std::io::Error>() {
                Ok(io) => *io,
                Err(other) => std::io::Error::other(other.to_string()),
            },
        })?;
        let port = server.server_addr().to_ip().map_or(port, |a| a.port());
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let prefix = mount.trim_end_matches('/').to_owned();
        let thread = std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(100)) else {
                    continue;
                };
                let _ = respond(&root, &prefix, reload.as_ref(), request);
            }
        });
        Ok(Server {
            port,
            mount: mount.to_owned(),
            stop,
            thread: Some(thread),
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The site's address.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.mount)
    }
}

fn respond(
    root: &Path,
    prefix: &str,
    reload: Option<&Reload>,
    request: tiny_http::Request,
) -> std::io::Result<()> {
    let header =
        |value: &str| tiny_http::Header::from_bytes(&b"Content-Type"[..], value.as_bytes()).ok();
    let no_cache = tiny_http::Header::from_bytes(&b"Cache-Control"[..], &b"no-store"[..]).ok();
    let url = request.url().to_owned();
    let inside = url
        .strip_prefix(prefix)
        .filter(|rest| rest.is_empty() || rest.starts_with(['/', '?']));
    if let (Some(reload), Some(RELOAD_PATH)) = (reload, inside) {
        let count = reload.0.load(Ordering::Relaxed).to_string();
        let mut response = tiny_http::Response::from_string(count);
        if let Some(h) = no_cache {
            response.add_header(h);
        }
        return request.respond(response);
    }
    // A folder asked for without its slash: redirect, or its page's relative links would
    // resolve against the parent folder.
    if let Some(rest) = inside {
        let path = rest.split(['?', '#']).next().unwrap_or_default();
        if !path.ends_with('/') && local(root, path).is_some_and(|p| p.is_dir()) {
            let (path, query) = url.split_at(url.find('?').unwrap_or(url.len()));
            let location = format!("{path}/{query}");
            let mut response = tiny_http::Response::empty(301);
            if let Ok(h) = tiny_http::Header::from_bytes(&b"Location"[..], location.as_bytes()) {
                response.add_header(h);
            }
            return request.respond(response);
        }
    }
    match inside.and_then(|rest| resolve(root, rest)) {
        Some(file) => {
            let mut body = std::fs::read(&file)?;
            if reload.is_some() && content_type(&file).starts_with("text/html") {
                let script = reload_script(prefix);
                let at = String::from_utf8_lossy(&body)
                    .rfind("</body>")
                    .unwrap_or(body.len());
                body.splice(at..at, script.into_bytes());
            }
            let mut response = tiny_http::Response::from_data(body);
            if let Some(h) = header(content_type(&file)) {
                response.add_header(h);
            }
            if let Some(h) = no_cache {
                response.add_header(h);
            }
            request.respond(response)
        }
        None => {
            let body =
                std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"Not found".to_vec());
            let mut response = tiny_http::Response::from_data(body).with_status_code(404);
            if let Some(h) = header("text/html; charset=utf-8") {
                response.add_header(h);
            }
            request.respond(response)
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("a/b c.html"), "y").unwrap();
        assert_eq!(
            resolve(dir.path(), "/a/"),
            Some(dir.path().join("a/index.html"))
        );
        assert_eq!(
            resolve(dir.path(), "/a/b%20c.html?q=1"),
            Some(dir.path().join("a/b c.html"))
        );
        assert_eq!(resolve(dir.path(), "/../etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/a/%2e%2e/%2e%2e/x"), None);
        assert_eq!(resolve(dir.path(), "/missing.html"), None);
    }

    fn get(port: u16, path: &str) -> String {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\n\r\n").unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn serves_files_and_a_404() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "home").unwrap();
        std::fs::write(dir.path().join("404.html"), "gone").unwrap();
        let server = Server::start(dir.path().to_path_buf(), 0).unwrap();
        let home = get(server.port(), "/");
        assert!(
            home.starts_with("HTTP/1.0 200") || home.starts_with("HTTP/1.1 200"),
            "{home}"
        );
        assert!(
            home.contains("text/html") && home.ends_with("home"),
            "{home}"
        );
        let missing = get(server.port(), "/nope");
        assert!(
            missing.contains(" 404 ") && missing.ends_with("gone"),
            "{missing}"
        );
        drop(server);

        let server = Server::start_at(dir.path().to_path_buf(), 0, "/site/").unwrap();
        assert!(server.url().ends_with("/site/"));
        assert!(get(server.port(), "/site/").ends_with("home"));
        assert!(get(server.port(), "/site/index.html?x=1").ends_with("home"));
        assert!(get(server.port(), "/index.html").contains(" 404 "));
        assert!(get(server.port(), "/sitemore/index.html").contains(" 404 "));
        std::fs::create_dir(dir.path().join("v1")).unwrap();
        std::fs::write(dir.path().join("v1/index.html"), "one").unwrap();
        let moved = get(server.port(), "/site/v1?q=2");
        assert!(
            moved.contains(" 301 ") && moved.contains("Location: /site/v1/?q=2"),
            "{moved}"
        );
        assert!(get(server.port(), "/site").contains("Location: /site/"));
        assert!(!get(server.port(), "/site/").contains("<script"));
        drop(server);

        // A preview adds the reload script to pages and counts rebuilds.
        std::fs::write(dir.path().join("index.html"), "<body>home</body>").unwrap();
        let reload = Reload::default();
        let server = Server::preview(dir.path().to_path_buf(), 0, reload.clone()).unwrap();
        let page = get(server.port(), "/");
        assert!(
            page.contains("home<script>") && page.ends_with("</script></body>"),
            "{page}"
        );
        assert!(page.contains("fetch(\"/__norm/reload\")"), "{page}");
        assert!(get(server.port(), "/__norm/reload").ends_with("\r\n0"));
        reload.bump();
        assert!(get(server.port(), "/__norm/reload").ends_with("\r\n1"));
        std::fs::write(dir.path().join("data.txt"), "plain").unwrap();
        assert!(get(server.port(), "/data.txt").ends_with("\r\nplain"));
    }
}
