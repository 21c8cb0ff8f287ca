//! `norm.yaml`: the repository configuration.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::model_struct;
use crate::yaml::lenient;

model_struct! {
    /// `norm.yaml` at the repository root: site, consumers, lint, diff and governance settings.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[schemars(title = "norm repository configuration")]
    pub struct Config {
        /// The documentation site.
        #[optional]
        pub site: Option<Site>,
        /// Downstream users of the standards, for impact analysis.
        #[optional]
        pub consumers: Vec<Consumer>,
        /// Lint settings.
        #[optional]
        pub lint: Option<LintConfig>,
        /// Diff settings.
        #[optional]
        pub diff: Option<DiffConfig>,
        /// Change-process settings enforced by `norm check`.
        #[optional]
        pub governance: Option<Governance>,
    }
}

model_struct! {
    /// Settings of the documentation site.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Site {
        /// Title shown in the header of every page.
        #[optional]
        pub title: Option<String>,
        /// Where the site is published, for absolute links in the feed and sitemap.
        #[optional]
        pub base_url: Option<String>,
        /// The repository, for "propose a change" and "view source" links.
        #[optional]
        pub repository: Option<String>,
    }
}

model_struct! {
    /// A downstream user of the standards.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Consumer {
        /// Identifier used in `used_by`.
        pub id: String,
        /// Human-readable name.
        #[optional]
        pub title: Option<String>,
        /// What kind of user it is; statutory returns are listed first in impact reports.
        #[optional]
        pub kind: Option<ConsumerKind>,
        /// Who runs it.
        #[optional]
        pub owner: Option<String>,
    }
}

/// Kinds of consumer, in the order impact reports list them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ConsumerKind {
    /// A return that local authorities must submit by law.
    StatutoryReturn,
    /// Another data collection.
    Collection,
    /// An API.
    Api,
    /// A case management or other system.
    System,
    /// A dashboard or report.
    Dashboard,
    /// Anything else.
    Other,
}

model_struct! {
    /// Lint settings.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct LintConfig {
        /// The base rule set: `recommended` (default), `all` or `none`.
        #[serde(default, deserialize_with = "lenient")]
        pub extends: Extends,
        /// Per-rule settings that override the base set, keyed by rule id: a level (`error`,
        /// `warn`, `off`) or `{ level: ..., options: { ... } }`.
        #[optional]
        pub rules: BTreeMap<String, RuleSetting>,
        /// Accepted findings, each with a reason.
        #[optional]
        pub allow: Vec<Allow>,
    }
}

/// The base rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Extends {
    /// The rules on by default.
    #[default]
    Recommended,
    /// Every rule.
    All,
    /// No rule: turn rules on one by one.
    None,
}

/// The level of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Report and fail the run.
    Error,
    /// Report without failing the run (unless `--deny-warnings`).
    Warn,
    /// Do not run the rule.
    Off,
}

/// The setting of one rule: a level, or a level with options.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum RuleSetting {
    /// Just the level.
    Level(Level),
    /// A level and the rule's options.
    Detailed(RuleDetail),
}

impl RuleSetting {
    /// The level, when one is set.
    pub fn level(&self) -> Option<Level> {
        match self {
            RuleSetting::Level(level) => Some(*level),
            RuleSetting::Detailed(detail) => detail.level,
        }
    }

    /// The rule's options (empty when none are set).
    pub fn options(&self) -> Option<&serde_json::Map<String, serde_json::Value>> {
        match self {
            RuleSetting::Level(_) => None,
            RuleSetting::Detailed(detail) => Some(&detail.options),
        }
    }
}

impl<'de> Deserialize<'de> for RuleSetting {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Setting;
        impl<'de> serde::de::Visitor<'de> for Setting {
            type Value = RuleSetting;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`error`, `warn`, `off`, or a mapping with `level` and `options`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RuleSetting, E> {
                use serde::de::IntoDeserializer;
                Level::deserialize(v.into_deserializer()).map(RuleSetting::Level)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RuleSetting, A::Error> {
                RuleDetail::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RuleSetting::Detailed)
            }
        }
        deserializer.deserialize_any(Setting)
    }
}

/// A rule's level and options.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDetail {
    /// The level; the base set's level when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Options of the rule; `norm rules ID` lists them.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub options: serde_json::Map<String, serde_json::Value>,
}

/// An accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    /// The rule id.
    pub rule: String,
    /// The element, as `standard/entities/entity` or `standard/entities/entity/fields/field`.
    pub path: String,
    /// Why the finding is accepted.
    pub reason: String,
}

/// A change bump class.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// No version change needed.
    None,
    /// Documentation and metadata.
    Patch,
    /// Added surface that breaks nobody.
    Minor,
    /// Breaks data validity or consumers.
    Major,
}

model_struct! {
    /// Diff settings.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct DiffConfig {
        /// Per-rule bump overrides, keyed by change rule id.
        #[optional]
        pub rules: BTreeMap<String, Bump>,
        /// Intentional breaks, accepted with a reason: matched by `fingerprint`, or by `rule` and
        /// `path`. They are still reported, marked as accepted, and no longer fail `norm check`.
        #[optional]
        pub accept: Vec<Accept>,
    }
}

/// An accepted change or policy error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Accept {
    /// The fingerprint `norm diff` printed for the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// The change rule or policy id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The element path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Why the break is accepted (for example the DfE change that made it).
    pub reason: String,
}

/// Change-process settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Governance {
    /// A normative change must bump the version in the same pull request.
    #[serde(default = "yes")]
    pub require_version_bump: bool,
    /// An element must be deprecated in a release before it is removed.
    #[serde(default = "yes")]
    pub deprecate_before_remove: bool,
    /// Review requirements per bump class.
    #[serde(default, deserialize_with = "lenient")]
    pub review: Review,
}

fn yes() -> bool {
    true
}

model_struct! {
    /// Review requirements per bump class.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Review {
        /// For breaking changes.
        #[optional]
        pub major: Option<ReviewRule>,
        /// For additions.
        #[optional]
        pub minor: Option<ReviewRule>,
        /// For documentation changes.
        #[optional]
        pub patch: Option<ReviewRule>,
    }
}

/// What a change of one bump class needs before it can merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRule {
    /// Approving reviews required.
    #[serde(default, deserialize_with = "lenient")]
    pub approvals: u32,
    /// Days the pull request must stay open for comment.
    #[serde(default, deserialize_with = "lenient")]
    pub consultation_days: u32,
}
