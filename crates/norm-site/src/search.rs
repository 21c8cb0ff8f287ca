//! The search index, served as static JSON: no server, no build tool.
//!
//! Each version has its own small shard (`<std>/<version>/search.json`); a manifest at
//! `assets/search-index.json` lists the standards and their versions. The search page loads
//! only the latest shard of each standard unless the reader filters by version, so a phone
//! downloads a few kilobytes, not the whole history.

use norm_model::catalog::Standard;
use norm_model::model::Status;
use serde::Serialize;
use serde_json::json;

use crate::markdown;

/// One searchable element: `[kind, name, title, summary, href, deprecated]`.
type Entry = (&'static str, String, String, String, String, u8);

fn deprecated(status: Option<Status>) -> u8 {
    u8::from(status == Some(Status::Deprecated))
}

fn text(t: Option<&str>, max: usize) -> String {
    t.map(|t| markdown::summary(t, max)).unwrap_or_default()
}

/// The shard of one version whose pages live under `base` (`ssd/1.2.0`).
pub fn shard(standard: &Standard, base: &str, folder: &str) -> String {
    let mut entries: Vec<Entry> = Vec::new();
    for e in &standard.entities {
        let e = &e.value;
        let page = format!("{base}/entities/{}.html", e.name);
        entries.push((
            "entity",
            e.name.clone(),
            e.title.clone().unwrap_or_default(),
            text(e.description.as_deref(), 90),
            page.clone(),
            deprecated(e.status),
        ));
        for f in &e.fields {
            entries.push((
                "field",
                format!("{}.{}", e.name, f.name),
                f.title.clone().unwrap_or_default(),
                text(f.description.as_deref(), 90),
                format!("{page}#{}", f.name),
                deprecated(f.status.or(e.status)),
            ));
        }
    }
    for c in &standard.codelists {
        let c = &c.value;
        let page = format!("{base}/codelists/{}.html", c.name);
        entries.push((
            "codelist",
            c.name.clone(),
            c.title.clone().unwrap_or_default(),
            text(c.description.as_deref(), 90),
            page.clone(),
            deprecated(c.status),
        ));
        for code in &c.codes {
            entries.push((
                "code",
                format!("{}: {}", c.name, code.code),
                code.label.clone().unwrap_or_default(),
                String::new(),
                format!("{page}#{}", crate::context::code_anchor(&code.code)),
                deprecated(code.status.or(c.status)),
            ));
        }
    }
    let doc = json!({ "s": standard.id(), "v": folder, "e": entries });
    serde_json::to_string(&doc).unwrap_or_default()
}

/// A standard in the search manifest.
#[derive(Debug, Clone, Serialize)]
pub struct ManifestEntry {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The folder searched by default: the latest release, else `unreleased`.
    pub latest: String,
    /// Every version folder, newest first.
    pub versions: Vec<String>,
}
