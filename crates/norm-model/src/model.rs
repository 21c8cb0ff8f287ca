//! The typed model of the standard format (format.md). Field docs are what editors show on hover
//! through the generated JSON Schemas, so they are written for curators.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod codelist;
mod data;
mod entity;
mod rule;
mod standard;

pub use codelist::{Code, CodeList};
pub use data::{EntityData, ITEM_SEPARATOR, StandardData};
pub use entity::{Constraints, Entity, Field, FieldType, Mapping, Relation};
pub use rule::{Rule, RuleSeverity, RuleSql};
pub use standard::{Compatibility, Owner, StandardMeta, StandardStatus};

/// Declares a struct of the format in which every field marked `#[optional]` is an optional key:
/// absent means the default, a value that does not load is reported and replaced by the default
/// ([`lenient`](crate::yaml::lenient)), and the default is left out when serialising. Most keys
/// of the format are optional, so this says once what would otherwise be a five-line attribute
/// on each of them. Other fields and their attributes pass through unchanged.
macro_rules! model_struct {
    ($(#[$outer:meta])* $vis:vis struct $name:ident { $($body:tt)* }) => {
        $crate::model::model_struct!(@fields [$(#[$outer])* $vis struct $name] [] $($body)*);
    };
    (@fields $head:tt [$($done:tt)*]
        $(#[doc = $doc:literal])* #[optional] $fvis:vis $field:ident : $ty:ty, $($rest:tt)*) => {
        $crate::model::model_struct!(@fields $head [$($done)*
            $(#[doc = $doc])*
            #[serde(
                default,
                deserialize_with = "crate::yaml::lenient",
                skip_serializing_if = "crate::model::is_default"
            )]
            $fvis $field: $ty,
        ] $($rest)*);
    };
    (@fields $head:tt [$($done:tt)*]
        $(#[$attr:meta])* $fvis:vis $field:ident : $ty:ty, $($rest:tt)*) => {
        $crate::model::model_struct!(@fields $head [$($done)* $(#[$attr])* $fvis $field: $ty,]
            $($rest)*);
    };
    (@fields [$($head:tt)*] [$($done:tt)*]) => {
        $($head)* { $($done)* }
    };
}
pub(crate) use model_struct;

/// Whether `value` is its type's default: what an `#[optional]` key leaves out when serialising.
pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// Keys the format requires but the model reads leniently, so that an element without them still
/// loads (the loader reports them as missing). The schema still marks them required.
pub(crate) trait LenientlyRequired {
    /// The keys, as written in YAML.
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

model_struct! {
    /// A publication the content is derived from.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Source {
        /// Title of the publication.
        pub title: String,
        /// Where to find it.
        #[optional]
        pub url: Option<String>,
        /// Who published it.
        #[optional]
        pub publisher: Option<String>,
        /// Its licence, as an SPDX-style identifier such as `OGL-UK-3.0`.
        #[optional]
        pub licence: Option<String>,
    }
}

/// Status of an element (entity, field, code list, code or rule).
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

model_struct! {
    /// Why and since when an element is deprecated.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Deprecation {
        /// The version of the standard that deprecated the element.
        #[optional]
        pub since: Option<String>,
        /// Why it is deprecated and what to do instead.
        #[optional]
        pub reason: Option<String>,
        /// What replaces it: a field of the same entity, a reference, or a code.
        #[optional]
        pub replaced_by: Option<String>,
        /// The version planned to remove it.
        #[optional]
        pub removal: Option<String>,
    }
}
