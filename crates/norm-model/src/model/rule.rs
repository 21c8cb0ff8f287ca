//! Validation rule files: one rule of a standard, run by `norm validate` against data files.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Deprecation, Mapping, Status, model_struct, require_keys};
use crate::yaml::lenient;

model_struct! {
    /// `standards/<id>/rules/<code>.yaml`: one validation rule. The SQL sees every entity of the
    /// standard as a table named after it, one column per field, plus `_row` (the 1-based data
    /// row in its file) and `previous.<entity>` (last year's data, when given).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[schemars(title = "norm validation rule", transform = require_keys::<Rule>)]
    pub struct Rule {
        /// The rule's code, unique in the standard and equal to the file name without `.yaml`,
        /// for example `"213"` (quote it, so that YAML keeps it as text).
        pub code: String,
        /// The message a data producer sees when a row fails.
        #[serde(default, deserialize_with = "lenient")]
        pub title: Option<String>,
        /// The rule in full and why it exists, in Markdown.
        #[optional]
        pub description: Option<String>,
        /// `error`: the data is rejected; `query`: it must be explained.
        #[serde(default, deserialize_with = "lenient")]
        pub severity: Option<RuleSeverity>,
        /// `proposed`, `active` (default) or `deprecated`.
        #[optional]
        pub status: Option<Status>,
        /// Required when `status: deprecated`.
        #[optional]
        pub deprecation: Option<Deprecation>,
        /// The entity whose rows the rule reports.
        #[serde(default, deserialize_with = "lenient")]
        pub entity: Option<String>,
        /// The fields of `entity` a failing row is about (linked on the site, shown in reports).
        #[optional]
        pub fields: Vec<String>,
        /// An SQL boolean expression over one row of `entity`: the row fails when it is FALSE
        /// (NULL passes, as in an SQL `CHECK` constraint). Give exactly one of `check` and
        /// `select`.
        #[optional]
        pub check: Option<String>,
        /// An SQL query returning the `_row` of each failing row of `entity`, for rules that
        /// look at several rows or tables. Give exactly one of `check` and `select`.
        #[optional]
        pub select: Option<String>,
        /// Why the rule has no `check` or `select`, in one sentence (for example "needs data
        /// from other local authorities"). The rule is documented and published, and
        /// `norm validate` reports it as not run, with this reason. Give either this or SQL.
        #[optional]
        pub unexpressed: Option<String>,
        /// `2`: run only when no stage-1 rule found an error (default: stage 1).
        #[optional]
        pub stage: Option<u8>,
        /// The version of the standard that introduced the rule.
        #[optional]
        pub since: Option<String>,
        /// Earlier codes of the rule, so that a new code is reported as a rename rather than a
        /// rule removed and another added.
        #[optional]
        pub renamed_from: Vec<String>,
        /// The same rule elsewhere, such as the DfE's published rule.
        #[optional]
        pub mappings: Vec<Mapping>,
    }
}

impl super::LenientlyRequired for Rule {
    const KEYS: &'static [&'static str] = &["title", "severity", "entity"];
}

impl Rule {
    /// The rule's SQL, `check` or `select`, as written: `None` when it has neither.
    pub fn sql(&self) -> Option<RuleSql<'_>> {
        match (&self.check, &self.select) {
            (Some(check), _) => Some(RuleSql::Check(check)),
            (None, Some(select)) => Some(RuleSql::Select(select)),
            (None, None) => None,
        }
    }
}

/// A rule's SQL, by its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSql<'a> {
    /// A boolean expression over one row (`check`).
    Check(&'a str),
    /// A query returning the `_row` of failing rows (`select`).
    Select(&'a str),
}

impl<'a> RuleSql<'a> {
    /// The key it is written under: `check` or `select`.
    pub fn key(self) -> &'static str {
        match self {
            RuleSql::Check(_) => "check",
            RuleSql::Select(_) => "select",
        }
    }

    /// The SQL text.
    pub fn text(self) -> &'a str {
        match self {
            RuleSql::Check(text) | RuleSql::Select(text) => text,
        }
    }
}

/// How serious a failure of a rule is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RuleSeverity {
    /// It must be explained, but the data is accepted.
    Query,
    /// The data is rejected.
    Error,
}

impl RuleSeverity {
    /// The word used in YAML: `error` or `query`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleSeverity::Error => "error",
            RuleSeverity::Query => "query",
        }
    }
}
