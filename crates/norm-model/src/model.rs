//! The typed model of the standard format (format.md). Field docs are what editors show on hover
//! through the generated JSON Schemas, so they are written for curators.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::yaml::{Positioned, elements, lenient};

/// `standards/<id>/standard.yaml`: one standard's identity, version, lifecycle and ownership.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "norm standard", transform = require_keys::<StandardMeta>)]
pub struct StandardMeta {
    /// Identifier of the standard: kebab-case (`^[a-z][a-z0-9-]*$`), equal to its folder name.
    /// It appears in URLs, tags (`<id>/v<version>`) and cross-standard references.
    pub id: String,
    /// Human-readable name, for example "Standard Safeguarding Dataset".
    #[serde(default, deserialize_with = "lenient")]
    pub title: Option<String>,
    /// Semantic version (semver 2.0) of this state of the standard, for example `1.2.0`.
    /// Below `1.0.0` the 0.y rules apply: a breaking change bumps the minor number.
    #[serde(default, deserialize_with = "lenient")]
    pub version: Option<String>,
    /// Lifecycle stage: `draft` → `consultation` → `active` → `deprecated` → `retired`.
    #[serde(default, deserialize_with = "lenient")]
    pub status: Option<StandardStatus>,
    /// One sentence shown in listings.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub summary: Option<String>,
    /// Longer description, in Markdown.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Who maintains the standard and answers questions about it.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub owner: Option<Owner>,
    /// Licence of the standard's content, as an SPDX-style identifier such as `OGL-UK-3.0`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub licence: Option<String>,
    /// The diff profile: `full` (default) protects both data validity and consumers;
    /// `backward` protects data validity only. See the change rules.
    #[serde(default, deserialize_with = "lenient")]
    pub compatibility: Option<Compatibility>,
    /// Other standards this one references, each with a semver range such as `"^1.0"`.
    #[serde(default, deserialize_with = "lenient")]
    pub requires: BTreeMap<String, String>,
    /// Where the content comes from.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub sources: Vec<Source>,
}

/// Keys the format requires but the model reads leniently, so that an element without them still
/// loads (the loader reports them as missing). The schema still marks them required.
trait LenientlyRequired {
    const KEYS: &'static [&'static str];
}

impl LenientlyRequired for StandardMeta {
    const KEYS: &'static [&'static str] = &["title", "version"];
}

impl LenientlyRequired for Field {
    const KEYS: &'static [&'static str] = &["type"];
}

fn require_keys<T: LenientlyRequired>(schema: &mut schemars::Schema) {
    if let Some(required) = schema
        .ensure_object()
        .entry("required")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()))
        .as_array_mut()
    {
        required.extend(T::KEYS.iter().map(|k| serde_json::Value::from(*k)));
    }
}

/// Lifecycle stage of a standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StandardStatus {
    /// Being written; nothing is promised.
    Draft,
    /// Open for comment.
    Consultation,
    /// In use; changes follow the versioning policy.
    Active,
    /// Still published, but to be retired; do not adopt it.
    Deprecated,
    /// No longer maintained.
    Retired,
}

impl StandardStatus {
    /// The word used in YAML, such as `consultation`.
    pub fn as_str(self) -> &'static str {
        match self {
            StandardStatus::Draft => "draft",
            StandardStatus::Consultation => "consultation",
            StandardStatus::Active => "active",
            StandardStatus::Deprecated => "deprecated",
            StandardStatus::Retired => "retired",
        }
    }
}

/// The diff profile of a standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Compatibility {
    /// Protect both data validity and consumers (the default).
    #[default]
    Full,
    /// Protect data validity only: loosening a constraint is a minor change.
    Backward,
}

/// Who maintains a standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// Name of the organisation or team.
    pub name: String,
    /// Web page of the owner.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<String>,
    /// Contact address for questions about the standard.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub email: Option<String>,
}

/// A publication the content is derived from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title of the publication.
    pub title: String,
    /// Where to find it.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<String>,
    /// Who published it.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub publisher: Option<String>,
    /// Its licence, as an SPDX-style identifier such as `OGL-UK-3.0`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub licence: Option<String>,
}

/// Status of an element (entity, field, code list or code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In consultation: documented with a banner, excluded from exports and from compatibility
    /// guarantees.
    Proposed,
    /// In use (the default).
    #[default]
    Active,
    /// To be removed; needs a `deprecation` block with `since` and `reason`.
    Deprecated,
}

impl Status {
    /// The word used in YAML, such as `proposed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Active => "active",
            Status::Deprecated => "deprecated",
        }
    }
}

/// Why and since when an element is deprecated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// The version of the standard that deprecated the element.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub since: Option<String>,
    /// Why it is deprecated and what to do instead.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub reason: Option<String>,
    /// What replaces it: a field of the same entity, a reference, or a code.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub replaced_by: Option<String>,
    /// The version planned to remove it.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub removal: Option<String>,
}

/// `standards/<id>/entities/<name>.yaml`: one entity (a table or record type).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "norm entity")]
pub struct Entity {
    /// Name of the entity: snake_case (`^[a-z][a-z0-9_]*$`), equal to the file name without
    /// `.yaml`.
    pub name: String,
    /// Human-readable name.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub title: Option<String>,
    /// What one record of this entity represents, in Markdown.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// `proposed`, `active` (default) or `deprecated`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<Status>,
    /// Required when `status: deprecated`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub deprecation: Option<Deprecation>,
    /// Earlier names of the entity, so that a rename is reported as a rename.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub renamed_from: Vec<String>,
    /// The field names that identify one record.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub primary_key: Vec<String>,
    /// Other combinations of fields that are unique, each a list of field names.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub unique_keys: Vec<Vec<String>>,
    /// The fields (columns) of the entity, in order.
    #[serde(default, deserialize_with = "elements")]
    pub fields: Vec<Field>,
}

/// One field (column) of an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = require_keys::<Field>)]
pub struct Field {
    /// Name of the field: snake_case (`^[a-z][a-z0-9_]*$`), as it appears in data and SQL.
    pub name: String,
    /// Stable item identifier (for example `PERS001A`). It survives renames: two versions of a
    /// field with the same `item` are the same field.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub item: Option<String>,
    /// Human-readable name.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub title: Option<String>,
    /// What the field holds and how to fill it in, in Markdown.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// The value type. `code` requires `codelist`.
    #[serde(rename = "type", default, deserialize_with = "lenient")]
    pub field_type: Option<FieldType>,
    /// Whether every record must have a value (default `false`).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub required: bool,
    /// Whether the field holds a list of values (default `false`).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub multiple: bool,
    /// The code list of a `type: code` field: `name` (same standard) or `standard-id/name`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub codelist: Option<String>,
    /// Foreign key: the field this one points at, as `entity.field` or
    /// `standard-id/entity.field`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub references: Option<String>,
    /// Restrictions on the values (Table Schema vocabulary).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub constraints: Option<Constraints>,
    /// Synthetic example values. Never real personal data.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub examples: Vec<String>,
    /// Consumers (ids from `norm.yaml` `consumers`) or standards that use this field.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub used_by: Vec<String>,
    /// Correspondences with fields elsewhere.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub mappings: Vec<Mapping>,
    /// `proposed`, `active` (default) or `deprecated`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<Status>,
    /// Required when `status: deprecated`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub deprecation: Option<Deprecation>,
    /// Earlier names of the field, so that a rename is reported as a rename.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub renamed_from: Vec<String>,
    /// The version of the standard that introduced the field (norm can derive it from history).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub since: Option<String>,
    /// Index of the field in the entity's `fields` list, set by the loader.
    #[serde(skip)]
    #[schemars(skip)]
    pub position: usize,
}

impl Positioned for Field {
    fn set_position(&mut self, index: usize) {
        self.position = index;
    }
}

/// The value type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// A number with a fractional part.
    Decimal,
    /// `true` or `false`.
    Boolean,
    /// A calendar date.
    Date,
    /// A date and time.
    Datetime,
    /// A time of day.
    Time,
    /// A year.
    Year,
    /// A year and month.
    YearMonth,
    /// A value from a code list (set `codelist`).
    Code,
    /// A JSON document.
    Json,
}

impl FieldType {
    /// The word used in YAML, such as `year_month`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Decimal => "decimal",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Time => "time",
            FieldType::Year => "year",
            FieldType::YearMonth => "year_month",
            FieldType::Code => "code",
            FieldType::Json => "json",
        }
    }
}

/// Restrictions on a field's values.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Fewest characters allowed.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_length: Option<u64>,
    /// Most characters allowed.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_length: Option<u64>,
    /// Smallest value allowed.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub minimum: Option<f64>,
    /// Largest value allowed.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub maximum: Option<f64>,
    /// Values must be greater than this.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub exclusive_minimum: Option<f64>,
    /// Values must be less than this.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub exclusive_maximum: Option<f64>,
    /// A regular expression every value must match.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub pattern: Option<String>,
    /// Whether no two records may share a value.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub unique: Option<bool>,
}

/// A correspondence between a field and a field elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// A field in a standard of this repository: `standard-id/entity.field`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub to: Option<String>,
    /// An identifier outside this repository, such as `CBDS N00097`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub external: Option<String>,
    /// How closely the two match.
    pub relation: Relation,
}

/// How closely two mapped fields match (SKOS mapping relations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The same meaning.
    Exact,
    /// Nearly the same meaning.
    Close,
    /// The other field is broader.
    Broad,
    /// The other field is narrower.
    Narrow,
    /// Related in some other way.
    Related,
}

/// `standards/<id>/codelists/<name>.yaml`: one code list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "norm code list")]
pub struct CodeList {
    /// Name of the code list: snake_case, equal to the file name without `.yaml`.
    pub name: String,
    /// Human-readable name.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub title: Option<String>,
    /// What the list classifies, in Markdown.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Identifier of the list in its source, such as the CBDS item `N00177`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub item: Option<String>,
    /// `false`: a closed list (consumers may switch on its codes, so adding one is breaking);
    /// `true`: an open list that may grow.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub extensible: Option<bool>,
    /// Where the codes come from.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Source>,
    /// `proposed`, `active` (default) or `deprecated`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<Status>,
    /// Required when `status: deprecated`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub deprecation: Option<Deprecation>,
    /// Earlier names of the list.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub renamed_from: Vec<String>,
    /// The codes, in display order.
    #[serde(default, deserialize_with = "elements")]
    pub codes: Vec<Code>,
}

/// One code of a code list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Code {
    /// The code as it appears in data. Quote it (`"01"`) so that YAML keeps it as written.
    pub code: String,
    /// What the code means, in a few words.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub label: Option<String>,
    /// Longer guidance on when to use the code.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// `proposed`, `active` (default) or `deprecated`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<Status>,
    /// Required when `status: deprecated`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub deprecation: Option<Deprecation>,
    /// Earlier spellings of the code.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub renamed_from: Vec<String>,
    /// The version of the standard that introduced the code.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub since: Option<String>,
    /// Index of the code in the list's `codes`, set by the loader.
    #[serde(skip)]
    #[schemars(skip)]
    pub position: usize,
}

impl Positioned for Code {
    fn set_position(&mut self, index: usize) {
        self.position = index;
    }
}
