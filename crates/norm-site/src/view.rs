//! The views page contexts are made of: plain, serialisable data, built by [`crate::context`]
//! and laid out by the templates.

use std::collections::BTreeMap;

use norm_model::model::Status;
use serde::Serialize;

/// A link.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Link {
    /// What the reader sees.
    pub label: String,
    /// Site-relative target, or `None` when the element has no page.
    pub href: Option<String>,
}

/// The status of an element or standard, with the words and colour of its tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    /// The status word (`active`, `deprecated`, `proposed`, `draft`, `consultation`...).
    pub text: String,
    /// The tag's colour class suffix.
    pub colour: &'static str,
}

impl Tag {
    /// The tag of a status word.
    pub fn new(text: &str) -> Tag {
        let colour = match text {
            "active" => "green",
            "deprecated" | "retired" => "grey",
            "proposed" | "consultation" | "draft" => "yellow",
            "unreleased" => "orange",
            _ => "blue",
        };
        Tag {
            text: text.to_owned(),
            colour,
        }
    }

    pub(crate) fn status(status: Option<Status>) -> Tag {
        Tag::new(status.unwrap_or_default().as_str())
    }
}

/// A deprecation, as readers see it.
#[derive(Debug, Clone, Serialize)]
pub struct DeprecationView {
    /// The version that deprecated the element.
    pub since: Option<String>,
    /// Why, as sanitised HTML.
    pub reason_html: String,
    /// The element to use instead.
    pub replaced_by: Option<Link>,
    /// The version planned to remove it.
    pub removal: Option<String>,
}

/// What the version pages of one standard link to.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// The version folder of each standard as this catalog sees it, when that version has
    /// pages (is released, or is the working tree rendered as `unreleased`).
    pub folders: BTreeMap<String, String>,
}

impl Links {
    pub(crate) fn folder(&self, standard: &str) -> Option<&str> {
        self.folders.get(standard).map(String::as_str)
    }

    /// The page of code list `name` of `standard`, or that standard's landing page when its
    /// version has no pages.
    pub fn codelist(&self, standard: &str, name: &str) -> String {
        match self.folder(standard) {
            Some(v) => format!("{standard}/{v}/codelists/{name}.html"),
            None => format!("{standard}/index.html"),
        }
    }

    /// The page (and anchor) of field `field` of entity `entity` of `standard`.
    pub fn field(&self, standard: &str, entity: &str, field: Option<&str>) -> String {
        match (self.folder(standard), field) {
            (Some(v), Some(f)) => format!("{standard}/{v}/entities/{entity}.html#{f}"),
            (Some(v), None) => format!("{standard}/{v}/entities/{entity}.html"),
            (None, _) => format!("{standard}/index.html"),
        }
    }

    /// The entry of validation rule `code` of `standard` on its rules page.
    pub fn rule(&self, standard: &str, code: &str) -> String {
        match self.folder(standard) {
            Some(v) => format!(
                "{standard}/{v}/rules.html#{}",
                crate::context::rule_anchor(code)
            ),
            None => format!("{standard}/index.html"),
        }
    }
}

/// One field in an entity's table.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    /// The name, also the row's anchor.
    pub name: String,
    /// The stable item reference.
    pub item: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// The header of its column in data files, when the field gives one (`column`).
    pub column: Option<String>,
    /// The description, as sanitised HTML.
    pub description_html: String,
    /// The value type, in words.
    pub type_name: String,
    /// Whether a value is required.
    pub required: bool,
    /// Whether it holds a list of values.
    pub multiple: bool,
    /// Whether the field is part of the primary key.
    pub key: bool,
    /// The code list its values come from.
    pub codelist: Option<Link>,
    /// The field it references.
    pub references: Option<Link>,
    /// Constraints, in words.
    pub constraints: Vec<String>,
    /// Example values.
    pub examples: Vec<String>,
    /// Its status.
    pub status: Tag,
    /// Its deprecation.
    pub deprecation: Option<DeprecationView>,
    /// Its mappings, in words.
    pub mappings: Vec<MappingView>,
    /// Consumers that use it.
    pub consumers: Vec<String>,
    /// The version that added it.
    pub since: Option<String>,
    /// Its earlier names.
    pub renamed_from: Vec<String>,
    /// The validation rules about it, linked to the rules page.
    pub rules: Vec<Link>,
}

/// A mapping of a field to another field or an external element.
#[derive(Debug, Clone, Serialize)]
pub struct MappingView {
    /// The SKOS relation in words.
    pub relation: &'static str,
    /// The target.
    pub target: Link,
}

/// A field of another entity that points at this one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Inbound {
    /// The referencing field, as `standard/entity.field` or `entity.field`.
    pub from: Link,
    /// The field of this entity it points at.
    pub to: String,
}

/// An entity page.
#[derive(Debug, Clone, Serialize)]
pub struct EntityView {
    /// The name.
    pub name: String,
    /// The title.
    pub title: String,
    /// The description, as sanitised HTML.
    pub description_html: String,
    /// Its status.
    pub status: Tag,
    /// Its deprecation.
    pub deprecation: Option<DeprecationView>,
    /// Primary key fields.
    pub primary_key: Vec<String>,
    /// Unique keys, each as its fields.
    pub unique_keys: Vec<Vec<String>>,
    /// Earlier names.
    pub renamed_from: Vec<String>,
    /// The file stems or sheet names that hold its rows, when the entity gives them (`data.names`).
    pub data_names: Vec<String>,
    /// The fields, in document order.
    pub fields: Vec<FieldView>,
    /// Fields of this entity that reference other entities.
    pub references_out: Vec<Inbound>,
    /// Fields elsewhere that reference this entity.
    pub referenced_by: Vec<Inbound>,
    /// Consumers of any of its fields, by title.
    pub consumers: Vec<String>,
}

/// A code.
#[derive(Debug, Clone, Serialize)]
pub struct CodeView {
    /// The code value.
    pub code: String,
    /// The row anchor.
    pub anchor: String,
    /// The label.
    pub label: String,
    /// The description, as sanitised HTML.
    pub description_html: String,
    /// Its status.
    pub status: Tag,
    /// Its deprecation.
    pub deprecation: Option<DeprecationView>,
    /// The version that added it.
    pub since: Option<String>,
}

/// A code list page.
#[derive(Debug, Clone, Serialize)]
pub struct CodeListView {
    /// The name.
    pub name: String,
    /// The title.
    pub title: String,
    /// The description, as sanitised HTML.
    pub description_html: String,
    /// Its stable item reference.
    pub item: Option<String>,
    /// Whether local codes may be added.
    pub extensible: Option<bool>,
    /// Where the list comes from.
    pub source: Option<Link>,
    /// Its status.
    pub status: Tag,
    /// Its deprecation.
    pub deprecation: Option<DeprecationView>,
    /// The codes.
    pub codes: Vec<CodeView>,
    /// Fields that take their values from it, in any standard of the catalog.
    pub used_by: Vec<Link>,
    /// Its codes as CSV (site-relative), unless the list is proposed.
    pub download: Option<String>,
}

/// A row of an overview's entity or code list table.
#[derive(Debug, Clone, Serialize)]
pub struct ElementRow {
    /// The name.
    pub name: String,
    /// The title.
    pub title: String,
    /// Its page.
    pub href: String,
    /// The first sentence of its description.
    pub summary: String,
    /// Its status.
    pub status: Tag,
    /// Fields or codes it has.
    pub count: usize,
}

/// A download.
#[derive(Debug, Clone, Serialize)]
pub struct Download {
    /// What it is.
    pub label: String,
    /// Its format, for the link text.
    pub format: &'static str,
    /// Its site-relative path.
    pub href: String,
}

/// A summary list row (label and value) of a standard's metadata.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The key.
    pub key: String,
    /// The value, as sanitised HTML.
    pub value_html: String,
}

/// One version of a standard: what every page of the version shares.
#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    /// The standard's id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The version folder (`1.2.0` or `unreleased`).
    pub folder: String,
    /// The version as declared in `standard.yaml`.
    pub version: String,
    /// Whether this version is a release.
    pub released: bool,
    /// The release date (`YYYY-MM-DD`), for releases.
    pub date: Option<String>,
    /// The standard's status.
    pub status: Tag,
    /// The one-sentence summary.
    pub summary: String,
    /// The description, as sanitised HTML.
    pub description_html: String,
    /// Metadata as a summary list.
    pub metadata: Vec<Row>,
    /// Entities.
    pub entities: Vec<ElementRow>,
    /// Code lists.
    pub codelists: Vec<ElementRow>,
    /// How many validation rules the version has (its rules page exists when there are any).
    pub rules: usize,
    /// Downloads.
    pub downloads: Vec<Download>,
}

/// One validation rule on the rules page.
#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    /// The rule's code.
    pub code: String,
    /// The anchor of its entry on the rules page.
    pub anchor: String,
    /// The message a data producer sees.
    pub title: String,
    /// The description, as sanitised HTML.
    pub description_html: String,
    /// `error` or `query`, with the colour of its tag.
    pub severity: Tag,
    /// Its status.
    pub status: Tag,
    /// Its deprecation.
    pub deprecation: Option<DeprecationView>,
    /// The fields a failing row is about, linked to their rows on the entity page.
    pub fields: Vec<Link>,
    /// `check` (an expression over one row) or `select` (a query).
    pub sql_kind: &'static str,
    /// The SQL as written (empty when the rule has none).
    pub sql: String,
    /// Why the rule has no SQL, when it says.
    pub unexpressed: Option<String>,
    /// The stage, when it is not the first.
    pub stage: Option<u8>,
    /// The version that added it.
    pub since: Option<String>,
    /// The same rule elsewhere (the DfE's published rule), in words.
    pub mappings: Vec<String>,
    /// Its earlier codes.
    pub renamed_from: Vec<String>,
}

/// The rules about one entity.
#[derive(Debug, Clone, Serialize)]
pub struct RuleGroupView {
    /// The entity, linked to its page (no link when the standard has no such entity).
    pub entity: Link,
    /// The anchor of the group's heading.
    pub anchor: String,
    /// Its rules, in code order.
    pub rules: Vec<RuleView>,
}
