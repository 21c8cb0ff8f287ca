//! A link checker for a built site: every internal `href` and `src` of every page must name
//! a file that exists, and its `#anchor` an `id` in that file. The tests run it over whole
//! sites; it is public so that a repository's own CI can run it over a customised theme.

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

/// Checks every internal `href` and `src` of every page: the file exists and so does the
/// anchor. Returns the broken links as `page: link`.
pub fn broken_links(dir: &Path) -> Vec<String> {
    let pages = crate::walk(dir);
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
    for p in pages
        .iter()
        .filter(|p| p.ends_with(".html") && *p != "404.html")
    {
        let html = std::fs::read_to_string(dir.join(p)).unwrap_or_default();
        let base = Path::new(p).parent().unwrap_or(Path::new(""));
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
                let mut parts: Vec<String> = base
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                for seg in file.split('/') {
                    match seg {
                        ".." => {
                            parts.pop();
                        }
                        "." | "" => {}
                        s => parts.push(s.to_owned()),
                    }
                }
                parts.join("/")
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
