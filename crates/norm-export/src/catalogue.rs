//! `catalogue.json`, the machine-readable index at the root of every site `norm build`
//! writes: each standard, each release with its pages, downloads and DCAT record. `norm
//! catalogue` reads these files from other bodies' sites and aggregates them.
//!
//! Every `href` is relative to the catalogue file itself (the site's root), so a catalogue
//! stays true wherever the site is served; `base_url` says where it is published, when known.
//! Readers ignore fields they do not know, so that a newer norm may add fields without a new
//! [`FORMAT`]; a change that older readers would misread raises it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The name of the file at the site's root.
pub const FILE: &str = "catalogue.json";

/// The file name of its JSON Schema under `docs/schema/`.
pub const SCHEMA_FILE: &str = "catalogue.schema.json";

/// The version of this file's shape. A reader refuses a catalogue with a greater major number.
pub const FORMAT: u32 = 1;

/// The whole catalogue of one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Catalogue {
    /// The version of this file's shape (currently 1).
    pub format: u32,
    /// The site's title (`site.title` in norm.yaml).
    pub title: String,
    /// Where the site is published (`site.base_url` or `--base-url`), ending with `/`.
    pub base_url: Option<String>,
    /// The program that wrote the file, such as `norm 0.1.0`.
    pub generator: String,
    /// Every standard of the site, by id.
    pub standards: Vec<Standard>,
}

/// One standard: what its working tree says now, and its releases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Standard {
    /// Its id, as in URLs and tags.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its one-sentence summary, as plain text.
    pub summary: Option<String>,
    /// The name of the organisation or team that maintains it.
    pub owner: Option<String>,
    /// Its lifecycle stage: draft, consultation, active, deprecated or retired.
    pub status: String,
    /// The version of its latest release; none before the first release.
    pub latest: Option<String>,
    /// Its landing page.
    pub href: String,
    /// The unreleased working copy, when the site shows one.
    pub draft: Option<Draft>,
    /// Every release, oldest first.
    pub releases: Vec<Release>,
}

/// The unreleased working copy of a standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Draft {
    /// The version it prepares.
    pub version: String,
    /// Its pages.
    pub href: String,
}

/// One release of a standard.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Release {
    /// Its version.
    pub version: String,
    /// Its title as released.
    pub title: String,
    /// Its lifecycle stage as released.
    pub status: String,
    /// The owner's name as released.
    pub owner: Option<String>,
    /// The date of the release (`YYYY-MM-DD`, the release commit's date).
    pub date: Option<String>,
    /// The version released before it.
    pub previous: Option<String>,
    /// Its overview page.
    pub href: String,
    /// Its search shard, in the site's own search index format (`norm catalogue` searches
    /// across sites with it).
    pub search: String,
    /// Every download of the version.
    pub downloads: Vec<Download>,
    /// Its DCAT 3 record as JSON-LD (the same graph as its `.dcat.jsonld` download).
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub dcat: Record,
}

/// A DCAT record as its compact JSON text. A site keeps the record of every release until
/// `catalogue.json` is written, and the text is a fifth of the size of the parsed tree; it is
/// written into the catalogue as it is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Record(Box<serde_json::value::RawValue>);

impl Record {
    /// The record of `value`.
    pub fn new(value: &serde_json::Value) -> Record {
        // A `Value` always serialises (its map keys are strings); `null` stands in regardless.
        serde_json::value::to_raw_value(value).map_or_else(|_| Record::default(), Record)
    }

    /// The record, parsed.
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(self.0.get()).unwrap_or_default()
    }
}

impl Default for Record {
    /// `null`: no record.
    fn default() -> Self {
        Record(serde_json::value::RawValue::NULL.to_owned())
    }
}

impl PartialEq for Record {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

/// One download of a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Download {
    /// What it is, such as "Data dictionary".
    pub title: String,
    /// The file.
    pub href: String,
    /// Its IANA media type, such as `text/csv` ([`crate::media_type`]).
    pub media_type: String,
}

/// The JSON Schema (draft 2020-12) of `catalogue.json`, pretty-printed, ending with a newline.
pub fn schema() -> String {
    norm_model::schema::render::<Catalogue>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_schema_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/schema")
            .join(SCHEMA_FILE);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == schema(),
            "{} is stale: run `cargo xtask codegen`",
            path.display()
        );
    }
}
