//! `standard.yaml`: a standard's identity, version, lifecycle and ownership.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Source, StandardData, model_struct, require_keys};
use crate::yaml::lenient;

model_struct! {
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
        #[optional]
        pub summary: Option<String>,
        /// Longer description, in Markdown.
        #[optional]
        pub description: Option<String>,
        /// Who maintains the standard and answers questions about it.
        #[optional]
        pub owner: Option<Owner>,
        /// Licence of the standard's content, as an SPDX-style identifier such as `OGL-UK-3.0`.
        #[optional]
        pub licence: Option<String>,
        /// The diff profile: `full` (default) protects both data validity and consumers;
        /// `backward` protects data validity only. See the change rules.
        #[serde(default, deserialize_with = "lenient")]
        pub compatibility: Option<Compatibility>,
        /// Other standards this one references, each with a semver range such as `"^1.0"`.
        #[serde(default, deserialize_with = "lenient")]
        pub requires: BTreeMap<String, String>,
        /// Where the content comes from.
        #[optional]
        pub sources: Vec<Source>,
        /// How the standard's data files are written: date format, subject field.
        #[optional]
        pub data: Option<StandardData>,
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

model_struct! {
    /// Who maintains a standard.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Owner {
        /// Name of the organisation or team.
        pub name: String,
        /// Web page of the owner.
        #[optional]
        pub url: Option<String>,
        /// Contact address for questions about the standard.
        #[optional]
        pub email: Option<String>,
    }
}
