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

/// Entries per chunk file of the global index: a result page fetches only the chunks that hold
/// its results.
pub const CHUNK: usize = 100;

/// Words too common to help find anything.
const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "is", "it", "its",
    "not", "of", "on", "or", "that", "the", "this", "to", "was", "which", "with",
];

/// The searchable words of a text: lower-case runs of letters and digits, stop words left out.
/// Names also give their parts (`pers_ethnicity` gives `pers` and `ethnicity` too).
fn words(text: &str, out: &mut std::collections::BTreeSet<String>) {
    for run in text
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
    {
        let lower = run.to_lowercase();
        for part in lower.split('_').chain(std::iter::once(lower.as_str())) {
            if part.chars().count() >= 2 && !STOP.contains(&part) {
                out.insert(part.to_owned());
            }
        }
    }
}

/// The first two characters of a word: which term file holds it.
pub fn prefix(word: &str) -> String {
    word.chars().take(2).collect()
}

/// The global index over the latest version of every standard, for searches without filters.
///
/// `shards` are the per-version shards (as [`shard`] writes them). The index is written as
/// `search/terms/<prefix>.json` (`{"word": [entry, score, entry, score, ...]}`, score 6 for a
/// name, 4 for a title, 2 for a description, halved for deprecated elements) and
/// `search/entries/<n>.json` (chunks of [`CHUNK`] entries: `[kind, name, title, summary,
/// deprecated, standard, version]`). A search downloads one term file per word and the chunks of
/// its best results, however many standards there are.
pub fn global_index(shards: &[String]) -> Vec<(String, Vec<u8>)> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut entries: Vec<serde_json::Value> = Vec::new();
    let mut terms: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for text in shards {
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        let (s, v) = (doc["s"].clone(), doc["v"].clone());
        for e in doc["e"].as_array().into_iter().flatten() {
            let id = u32::try_from(entries.len()).unwrap_or(u32::MAX);
            let field = |i: usize| e[i].as_str().unwrap_or_default();
            let deprecated = e[4].as_u64() == Some(1);
            let mut best: BTreeMap<String, u32> = BTreeMap::new();
            for (i, weight) in [(1, 6), (2, 4), (3, 2)] {
                let mut found = BTreeSet::new();
                words(field(i), &mut found);
                for w in found {
                    let score = if deprecated { weight / 2 } else { weight };
                    let slot = best.entry(w).or_insert(0);
                    *slot = (*slot).max(score);
                }
            }
            for (w, score) in best {
                terms
                    .entry(prefix(&w))
                    .or_default()
                    .entry(w)
                    .or_default()
                    .extend([id, score]);
            }
            let mut entry = e.as_array().cloned().unwrap_or_default();
            entry.extend([s.clone(), v.clone()]);
            entries.push(serde_json::Value::Array(entry));
        }
    }
    let mut files = Vec::new();
    for (p, words) in terms {
        files.push((
            format!("search/terms/{}.json", file_name(&p)),
            serde_json::to_vec(&words).unwrap_or_default(),
        ));
    }
    for (n, chunk) in entries.chunks(CHUNK).enumerate() {
        files.push((
            format!("search/entries/{n}.json"),
            serde_json::to_vec(chunk).unwrap_or_default(),
        ));
    }
    files
}

/// A prefix as a file name: letters and digits as they are, anything else as `_` and its code
/// point, so every prefix maps to a distinct, portable name. The search script does the same.
pub fn file_name(prefix: &str) -> String {
    prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("_{:x}", c as u32)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_names_and_drop_stop_words() {
        let mut out = std::collections::BTreeSet::new();
        words("pers_ethnicity: The Ethnic group of a child", &mut out);
        let got: Vec<&str> = out.iter().map(String::as_str).collect();
        assert_eq!(
            got,
            [
                "child",
                "ethnic",
                "ethnicity",
                "group",
                "pers",
                "pers_ethnicity"
            ]
        );
        assert_eq!(file_name("ét"), "_e9t");
    }

    #[test]
    fn the_global_index_finds_words_and_ranks_names_first() {
        let shard = serde_json::json!({"s": "ssd", "v": "1.2.0", "e": [
            ["f", "person.pers_ethnicity", "Ethnicity", "The person's ethnic group.", 0],
            ["f", "person.pers_sex", "Sex", "Not ethnicity.", 1],
        ]})
        .to_string();
        let files: std::collections::BTreeMap<String, Vec<u8>> =
            global_index(&[shard]).into_iter().collect();
        let terms: serde_json::Value =
            serde_json::from_slice(&files["search/terms/et.json"]).unwrap();
        // Entry 0 has the word in its name (6); entry 1, deprecated, in its description (2 / 2).
        assert_eq!(terms["ethnicity"], serde_json::json!([0, 6, 1, 1]));
        let chunk: serde_json::Value =
            serde_json::from_slice(&files["search/entries/0.json"]).unwrap();
        assert_eq!(chunk[1][5], "ssd");
        assert_eq!(chunk[1][6], "1.2.0");
    }
}
