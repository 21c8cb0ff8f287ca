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

/// One searchable element: `[kind, name, title, summary, deprecated]`. The kind is one
/// letter (`e`ntity, `f`ield, code `l`ist, `c`ode) and the page address is derived from it
/// and the name by the search script, which keeps the shard a third smaller.
type Entry = (&'static str, String, String, String, u8);

fn deprecated(status: Option<Status>) -> u8 {
    u8::from(status == Some(Status::Deprecated))
}

fn text(t: Option<&str>, max: usize) -> String {
    t.map(|t| markdown::summary(t, max)).unwrap_or_default()
}

/// The shard of one version: every entity, field, code list and code.
pub fn shard(standard: &Standard, folder: &str) -> String {
    let mut entries: Vec<Entry> = Vec::new();
    for e in &standard.entities {
        let e = &e.value;
        entries.push((
            "e",
            e.name.clone(),
            e.title.clone().unwrap_or_default(),
            text(e.description.as_deref(), 80),
            deprecated(e.status),
        ));
        for f in &e.fields {
            entries.push((
                "f",
                format!("{}.{}", e.name, f.name),
                f.title.clone().unwrap_or_default(),
                text(f.description.as_deref(), 80),
                deprecated(f.status.or(e.status)),
            ));
        }
    }
    for c in &standard.codelists {
        let c = &c.value;
        entries.push((
            "l",
            c.name.clone(),
            c.title.clone().unwrap_or_default(),
            text(c.description.as_deref(), 80),
            deprecated(c.status),
        ));
        for code in &c.codes {
            entries.push((
                "c",
                format!("{}:{}", c.name, code.code),
                code.label.clone().unwrap_or_default(),
                String::new(),
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
