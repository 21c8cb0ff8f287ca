//! The search index, served as static JSON: no server, no build tool.
//!
//! Each version has its own small shard (`<std>/<version>/search.json`); a manifest at
//! `assets/search-index.json` lists the standards and their versions, the size of the entry
//! chunks and the stop words. Searches without filters use the global index over the latest
//! version of every standard ([`global_index`]), so a phone downloads a few kilobytes, not the
//! whole history.
//!
//! Words are matched by their stem ([`stem`]), so `placement` finds the `placements` entity;
//! the search script stems the query with the same rules, leaves out the same stop words
//! ([`STOP`]), and tolerates a typo by edit distance over the terms of the index.

use std::collections::BTreeMap;

use norm_model::catalog::Standard;
use norm_model::model::Status;
use serde::Serialize;
use serde_json::{Value, json};

use crate::markdown;

/// Words too common to help find anything: neither indexed nor required in a query.
pub const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "is", "it", "its",
    "not", "of", "on", "or", "that", "the", "this", "to", "was", "which", "with",
];

/// Entries per chunk file of the global index: a result page fetches only the chunks that hold
/// its results. Our own standards' latest versions have about 1,800 entries: in chunks of 100 a
/// common word's best 50 results needed a dozen files at once, and under headless Chromium and
/// `norm serve` the search then never rendered (docs/design.md); in chunks of 400, five at most.
pub const CHUNK: usize = 400;

/// What a word is worth where it occurs: an element's own name or item reference, its title,
/// its description.
const NAME: u32 = 10;
const TITLE: u32 = 8;
const TEXT: u32 = 2;

/// The kinds of element, each with its letter in the index and the factor its scores get: a
/// reader searching "placement" wants the entity, then its fields, before any single code.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Entity,
    Field,
    CodeList,
    Code,
    Rule,
}

impl Kind {
    fn letter(self) -> &'static str {
        match self {
            Kind::Entity => "e",
            Kind::Field => "f",
            Kind::CodeList => "l",
            Kind::Code => "c",
            Kind::Rule => "r",
        }
    }

    fn factor(self) -> u32 {
        // A statutory return has hundreds of rules whose messages name its fields ("the date
        // of birth is after ..."): a reader asking for a field's words wants the field first.
        match self {
            Kind::Entity | Kind::CodeList => 3,
            Kind::Field => 2,
            Kind::Code | Kind::Rule => 1,
        }
    }
}

/// The stem of a lower-case word: a light English suffix stemmer (plurals, `-ing`, `-ed`, a
/// final `e`), so that `placements`/`placement`, `leaving`/`leave` and `ethnicities`/`ethnicity`
/// meet. Words with digits or other signs (`n00177`, `pers001a`) and words of three letters or
/// fewer stay as they are. `assets/search.js` applies the same rules to the query.
pub fn stem(word: &str) -> String {
    let mut n = word.chars().count();
    if n <= 3 || !word.chars().all(char::is_alphabetic) {
        return word.to_owned();
    }
    // Every suffix is ASCII, so cutting one cuts as many bytes as characters.
    let mut w = word;
    let ends = |w: &str, n: usize, suffix: &str| n > suffix.len() && w.ends_with(suffix);
    let cut = |w: &mut &str, n: &mut usize, k: usize| {
        *w = &w[..w.len() - k];
        *n -= k;
    };
    if ends(w, n, "ies") && n > 4 {
        // `-ies` becomes `-y`, which no later rule cuts.
        return format!("{}y", &w[..w.len() - 3]);
    } else if ends(w, n, "sses") {
        cut(&mut w, &mut n, 2);
    } else if ends(w, n, "s") && !ends(w, n, "ss") && !ends(w, n, "us") && !ends(w, n, "is") {
        cut(&mut w, &mut n, 1);
    }
    if ends(w, n, "ing") && n >= 6 {
        cut(&mut w, &mut n, 3);
    } else if ends(w, n, "ed") && n >= 5 {
        cut(&mut w, &mut n, 2);
    }
    if ends(w, n, "e") && n > 3 {
        cut(&mut w, &mut n, 1);
    }
    w.to_owned()
}

/// The stems of the searchable words of `text`, each with `score`, kept at its best in `out`.
/// Words are runs of letters, digits and `_`; a name also gives its parts (`pers_ethnicity`
/// gives `pers` and `ethnicity` too). Stop words and single characters are left out, as the
/// search script leaves them out of the query.
fn add_words(text: &str, score: u32, out: &mut BTreeMap<String, u32>) {
    for run in text
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
    {
        let lower = run.to_lowercase();
        // A part of a name counts less than the whole of one: `ethnicity` is the list a search
        // for "ethnicity" means before `annex_a_ethnicity`.
        let part = if lower.contains('_') {
            score * 3 / 4
        } else {
            score
        };
        let words = lower.split('_').map(|w| (w, part));
        for (word, score) in words.chain(std::iter::once((lower.as_str(), score))) {
            if word.chars().count() >= 2 && !STOP.contains(&word) {
                let slot = out.entry(stem(word)).or_insert(0);
                *slot = (*slot).max(score);
            }
        }
    }
}

/// What one element shows and is found by.
struct Element<'a> {
    kind: Kind,
    /// Its address in the shard: `entity`, `entity.field`, `list`, `list:code`.
    key: String,
    /// Its own name (a field's, not its entity's; a code, not its list's): only these words
    /// count as a name match, so that the codes of `ethnicity` do not outrank its fields.
    name: &'a str,
    item: Option<&'a str>,
    title: Option<&'a str>,
    description: Option<&'a str>,
    deprecated: bool,
}

/// A shard's entry: `[kind, key, title, summary, deprecated, item, {stem: score}]`.
#[derive(Serialize)]
struct Entry<'a>(
    &'static str,
    String,
    &'a str,
    String,
    u8,
    &'a str,
    BTreeMap<String, u32>,
);

/// A version's shard; the fields in the order a JSON object's keys sort.
#[derive(Serialize)]
struct Shard<'a> {
    e: Vec<Entry<'a>>,
    s: &'a str,
    v: &'a str,
}

impl<'a> Element<'a> {
    fn entry(self) -> Entry<'a> {
        let mut terms = BTreeMap::new();
        let description = self.description.map(markdown::to_plain).unwrap_or_default();
        add_words(&description, TEXT, &mut terms);
        add_words(self.title.unwrap_or_default(), TITLE, &mut terms);
        add_words(self.name, NAME, &mut terms);
        add_words(self.item.unwrap_or_default(), NAME, &mut terms);
        for score in terms.values_mut() {
            *score *= self.kind.factor();
            if self.deprecated {
                *score = (*score / 2).max(1);
            }
        }
        let summary = markdown::first_sentence(&description, 80);
        Entry(
            self.kind.letter(),
            self.key,
            self.title.unwrap_or_default(),
            summary,
            u8::from(self.deprecated),
            self.item.unwrap_or_default(),
            terms,
        )
    }
}

fn deprecated(status: Option<Status>) -> bool {
    status == Some(Status::Deprecated)
}

/// The shard of one version: every entity, field, code list and code, as
/// `{"s": standard, "v": folder, "e": [[kind, key, title, summary, deprecated, item, terms]]}`.
/// The kind is one letter (`e`ntity, `f`ield, code `l`ist, `c`ode); the search script derives
/// the page address from it and the key.
pub fn shard(standard: &Standard, folder: &str) -> String {
    let mut entries = Vec::new();
    for e in &standard.entities {
        let e = &e.value;
        entries.push(
            Element {
                kind: Kind::Entity,
                key: e.name.clone(),
                name: &e.name,
                item: None,
                title: e.title.as_deref(),
                description: e.description.as_deref(),
                deprecated: deprecated(e.status),
            }
            .entry(),
        );
        for f in &e.fields {
            entries.push(
                Element {
                    kind: Kind::Field,
                    key: format!("{}.{}", e.name, f.name),
                    name: &f.name,
                    item: f.item.as_deref(),
                    title: f.title.as_deref(),
                    description: f.description.as_deref(),
                    deprecated: deprecated(f.status.or(e.status)),
                }
                .entry(),
            );
        }
    }
    for c in &standard.codelists {
        let c = &c.value;
        entries.push(
            Element {
                kind: Kind::CodeList,
                key: c.name.clone(),
                name: &c.name,
                item: c.item.as_deref(),
                title: c.title.as_deref(),
                description: c.description.as_deref(),
                deprecated: deprecated(c.status),
            }
            .entry(),
        );
        for code in &c.codes {
            entries.push(
                Element {
                    kind: Kind::Code,
                    key: format!("{}:{}", c.name, code.code),
                    name: &code.code,
                    item: None,
                    title: code.label.as_deref(),
                    description: code.description.as_deref(),
                    deprecated: deprecated(code.status.or(c.status)),
                }
                .entry(),
            );
        }
    }
    for r in &standard.rules {
        let r = &r.value;
        entries.push(
            Element {
                kind: Kind::Rule,
                key: r.code.clone(),
                name: &r.code,
                item: None,
                title: r.title.as_deref(),
                description: r.description.as_deref(),
                deprecated: deprecated(r.status),
            }
            .entry(),
        );
    }
    let doc = Shard {
        e: entries,
        s: standard.id(),
        v: folder,
    };
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
    /// Where the latest version's pages are when they are on another site (the catalogue of
    /// `norm catalogue`): its version folder, ending with `/`. `None` on the standard's own
    /// site, where pages are at `<id>/<version>/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// `assets/search-index.json`: the standards and their versions, the chunk size of the global
/// index and the stop words the script leaves out of a query.
pub fn manifest(standards: &[ManifestEntry]) -> Vec<u8> {
    serde_json::to_vec(&json!({ "chunk": CHUNK, "stop": STOP, "standards": standards }))
        .unwrap_or_default()
}

/// The first two characters of a term: which term file holds it.
pub fn prefix(term: &str) -> String {
    term.chars().take(2).collect()
}

/// The global index over the latest version of every standard, for searches without filters.
///
/// `shards` are the per-version shards (as [`shard`] writes them). The index is written as
/// `search/terms/<prefix>.json` (`{"stem": [entry, score, entry, score, ...]}`) and
/// `search/entries/<n>.json` (chunks of [`CHUNK`] entries: `[kind, key, title, summary,
/// deprecated, item, standard, version]`). A search downloads one term file per word (where it
/// also finds the near spellings it tolerates) and the chunks of its best results, however many
/// standards there are.
///
/// The shards are read one at a time and each entry is kept as its written JSON, so the index
/// of a hundred standards never holds their parsed shards at once; each file goes to `emit` as
/// soon as it is made, and what it was made from is dropped, so the index is never held twice.
pub fn global_index<E>(
    shards: impl IntoIterator<Item = String>,
    emit: &mut dyn FnMut((String, Vec<u8>)) -> Result<(), E>,
) -> Result<(), E> {
    let mut entries: Vec<String> = Vec::new();
    let mut terms: BTreeMap<String, BTreeMap<String, Vec<u64>>> = BTreeMap::new();
    for text in shards {
        let Ok(doc) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        drop(text);
        let (s, v) = (&doc["s"], &doc["v"]);
        for e in doc["e"].as_array().into_iter().flatten() {
            let id = entries.len() as u64;
            for (term, score) in e[6].as_object().into_iter().flatten() {
                terms
                    .entry(prefix(term))
                    .or_default()
                    .entry(term.clone())
                    .or_default()
                    .extend([id, score.as_u64().unwrap_or(0)]);
            }
            let entry: Vec<&Value> = e
                .as_array()
                .into_iter()
                .flatten()
                .take(6)
                .chain([s, v])
                .collect();
            entries.push(serde_json::to_string(&entry).unwrap_or_default());
        }
    }
    for (p, words) in terms {
        emit((
            format!("search/terms/{}.json", file_name(&p)),
            serde_json::to_vec(&words).unwrap_or_default(),
        ))?;
    }
    for (n, chunk) in entries.chunks(CHUNK).enumerate() {
        emit((
            format!("search/entries/{n}.json"),
            format!("[{}]", chunk.join(",")).into_bytes(),
        ))?;
    }
    Ok(())
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
    fn stems_meet_across_plurals_and_verb_endings() {
        for (word, expected) in [
            ("placements", "placement"),
            ("placement", "placement"),
            ("ethnicities", "ethnicity"),
            ("ethnicity", "ethnicity"),
            ("leaving", "leav"),
            ("leave", "leav"),
            ("dates", "dat"),
            ("date", "dat"),
            ("status", "status"),
            ("addresses", "address"),
            ("address", "address"),
            ("upn", "upn"),
            ("n00177", "n00177"),
            ("pers001a", "pers001a"),
            ("pers_person_id", "pers_person_id"),
            // Letters beyond ASCII count as one each, and suffixes are cut after them.
            ("cafés", "café"),
            ("écoles", "écol"),
            ("ées", "ées"),
            ("naïvetés", "naïveté"),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }

    #[test]
    fn words_split_names_stem_and_drop_stop_words() {
        let mut out = BTreeMap::new();
        add_words("pers_ethnicity: The Ethnic group of a child", 1, &mut out);
        let got: Vec<&str> = out.keys().map(String::as_str).collect();
        assert_eq!(
            got,
            [
                "child",
                "ethnic",
                "ethnicity",
                "group",
                "per",
                "pers_ethnicity"
            ]
        );
        assert_eq!(file_name("ét"), "_e9t");
    }

    fn entry(kind: Kind, name: &str, title: &str, description: &str) -> Value {
        value(Element {
            kind,
            key: name.to_owned(),
            name,
            item: None,
            title: Some(title),
            description: Some(description),
            deprecated: false,
        })
    }

    fn value(element: Element<'_>) -> Value {
        serde_json::to_value(element.entry()).unwrap()
    }

    #[test]
    fn own_names_and_titles_outweigh_descriptions_and_kinds_are_weighted() {
        let field = entry(
            Kind::Field,
            "pers_ethnicity",
            "Ethnicity",
            "The ethnic group.",
        );
        let code = entry(Kind::Code, "WBRI", "White British", "An ethnicity.");
        let entity = entry(
            Kind::Entity,
            "placements",
            "Placements",
            "Where a child lives.",
        );
        // A part of a name counts 3/4 of the whole name, here less than the field's title.
        assert_eq!(field[6]["pers_ethnicity"], NAME * 2);
        assert_eq!(field[6]["ethnicity"], (NAME * 3 / 4).max(TITLE) * 2);
        assert_eq!(code[6]["ethnicity"], TEXT);
        assert_eq!(code[6]["wbri"], NAME);
        assert_eq!(entity[6]["placement"], NAME * 3);
    }

    #[test]
    fn item_references_are_found_as_names() {
        let list = value(Element {
            kind: Kind::CodeList,
            key: "ethnicity".into(),
            name: "ethnicity",
            item: Some("N00177"),
            title: None,
            description: None,
            deprecated: true,
        });
        assert_eq!(list[5], "N00177");
        // Deprecated elements count half.
        assert_eq!(list[6]["n00177"], NAME * 3 / 2);
    }

    #[test]
    fn the_global_index_holds_stems_and_entries_with_their_version() {
        let shard = json!({"s": "ssd", "v": "1.2.0", "e": [
            entry(Kind::Field, "person.pers_ethnicity", "Ethnicity", "The person's ethnic group."),
            entry(Kind::Entity, "placements", "Placements", ""),
        ]})
        .to_string();
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        global_index::<()>([shard], &mut |(path, bytes)| {
            files.insert(path, bytes);
            Ok(())
        })
        .unwrap();
        let terms: Value = serde_json::from_slice(&files["search/terms/pl.json"]).unwrap();
        assert_eq!(terms["placement"], json!([1, NAME * 3]));
        let chunk: Value = serde_json::from_slice(&files["search/entries/0.json"]).unwrap();
        assert_eq!(chunk[1][1], "placements");
        assert_eq!(chunk[1][6], "ssd");
        assert_eq!(chunk[1][7], "1.2.0");
        let manifest: Value = serde_json::from_slice(&manifest(&[])).unwrap();
        assert_eq!(manifest["stop"][0], "a");
    }
}
