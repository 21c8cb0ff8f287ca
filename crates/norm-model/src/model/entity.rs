//! Entity files: an entity and its fields.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Deprecation, EntityData, Status, model_struct, require_keys};
use crate::yaml::{Positioned, elements, lenient};

model_struct! {
    /// `standards/<id>/entities/<name>.yaml`: one entity (a table or record type).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[schemars(title = "norm entity")]
    pub struct Entity {
        /// Name of the entity: snake_case (`^[a-z][a-z0-9_]*$`), equal to the file name without
        /// `.yaml`.
        pub name: String,
        /// Human-readable name.
        #[optional]
        pub title: Option<String>,
        /// What one record of this entity represents, in Markdown.
        #[optional]
        pub description: Option<String>,
        /// `proposed`, `active` (default) or `deprecated`.
        #[optional]
        pub status: Option<Status>,
        /// Required when `status: deprecated`.
        #[optional]
        pub deprecation: Option<Deprecation>,
        /// Earlier names of the entity, so that a rename is reported as a rename.
        #[optional]
        pub renamed_from: Vec<String>,
        /// The field names that identify one record.
        #[optional]
        pub primary_key: Vec<String>,
        /// Other combinations of fields that are unique, each a list of field names.
        #[optional]
        pub unique_keys: Vec<Vec<String>>,
        /// Where the entity's rows are found in data files (file stems, sheet names).
        #[optional]
        pub data: Option<EntityData>,
        /// The fields (columns) of the entity, in order.
        #[serde(default, deserialize_with = "elements")]
        pub fields: Vec<Field>,
    }
}

model_struct! {
    /// One field (column) of an entity.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[schemars(transform = require_keys::<Field>)]
    pub struct Field {
        /// Name of the field: snake_case (`^[a-z][a-z0-9_]*$`), as it appears in data and SQL.
        pub name: String,
        /// Stable item identifier (for example `PERS001A`). It survives renames: two versions of a
        /// field with the same `item` are the same field.
        #[optional]
        pub item: Option<String>,
        /// The header of this field's column in data files, when it is not the field's name
        /// (matched case-insensitively, for example `DECOM`).
        #[optional]
        pub column: Option<String>,
        /// Human-readable name.
        #[optional]
        pub title: Option<String>,
        /// What the field holds and how to fill it in, in Markdown.
        #[optional]
        pub description: Option<String>,
        /// The value type. `code` requires `codelist`.
        #[serde(rename = "type", default, deserialize_with = "lenient")]
        pub field_type: Option<FieldType>,
        /// Whether every record must have a value (default `false`).
        #[optional]
        pub required: bool,
        /// Whether the field holds a list of values (default `false`). Data files write the
        /// items in one cell, separated by `;` (`LD;AUTI`); each item is checked on its own.
        #[optional]
        pub multiple: bool,
        /// The code list of a `type: code` field: `name` (same standard) or `standard-id/name`.
        #[optional]
        pub codelist: Option<String>,
        /// Foreign key: the field this one points at, as `entity.field` or
        /// `standard-id/entity.field`.
        #[optional]
        pub references: Option<String>,
        /// Restrictions on the values (Table Schema vocabulary).
        #[optional]
        pub constraints: Option<Constraints>,
        /// Synthetic example values. Never real personal data.
        #[optional]
        pub examples: Vec<String>,
        /// Consumers (ids from `norm.yaml` `consumers`) or standards that use this field.
        #[optional]
        pub used_by: Vec<String>,
        /// Correspondences with fields elsewhere.
        #[optional]
        pub mappings: Vec<Mapping>,
        /// `proposed`, `active` (default) or `deprecated`.
        #[optional]
        pub status: Option<Status>,
        /// Required when `status: deprecated`.
        #[optional]
        pub deprecation: Option<Deprecation>,
        /// Earlier names of the field, so that a rename is reported as a rename.
        #[optional]
        pub renamed_from: Vec<String>,
        /// The version of the standard that introduced the field (norm can derive it from history).
        #[optional]
        pub since: Option<String>,
        /// Index of the field in the entity's `fields` list, set by the loader.
        #[serde(skip)]
        #[schemars(skip)]
        pub position: usize,
    }
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

model_struct! {
    /// Restrictions on a field's values.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Constraints {
        /// Fewest characters allowed.
        #[optional]
        pub min_length: Option<u64>,
        /// Most characters allowed.
        #[optional]
        pub max_length: Option<u64>,
        /// Smallest value allowed.
        #[optional]
        pub minimum: Option<f64>,
        /// Largest value allowed.
        #[optional]
        pub maximum: Option<f64>,
        /// Values must be greater than this.
        #[optional]
        pub exclusive_minimum: Option<f64>,
        /// Values must be less than this.
        #[optional]
        pub exclusive_maximum: Option<f64>,
        /// A regular expression every value must match.
        #[optional]
        pub pattern: Option<String>,
        /// Whether no two records may share a value.
        #[optional]
        pub unique: Option<bool>,
    }
}

model_struct! {
    /// A correspondence between a field and a field elsewhere.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Mapping {
        /// A field in a standard of this repository: `standard-id/entity.field`.
        #[optional]
        pub to: Option<String>,
        /// An identifier outside this repository, such as `CBDS N00097`.
        #[optional]
        pub external: Option<String>,
        /// How closely the two match.
        pub relation: Relation,
    }
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
