//! Classifies the changes between two catalogs by semver bump (change-rules.md), gives each
//! standard a verdict on its declared version, reports policy errors, and lists who is affected.
//!
//! Pure: [`diff`] never touches git or the filesystem. Change rules are one file each under
//! `rules/`, declared with [`declare_change!`]; the engine ([`engine`]) matches elements by
//! identity (names, `renamed_from`, `item`) and asks each rule about each matched pair.

use std::collections::BTreeSet;

use norm_model::config::{Accept, Bump, Config};
use norm_model::{Catalog, Compatibility, ElementPath};
use serde::Serialize;

pub mod docs;
mod engine;
mod impact;
mod matching;
mod policy;
pub mod rules;
pub mod text;
mod view;

pub use engine::{Cx, Out, Pair};

/// The kind of element a change rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `standard.yaml`.
    Standard,
    /// An entity.
    Entity,
    /// A field.
    Field,
    /// A code list.
    Codelist,
    /// A code.
    Code,
    /// A validation rule.
    Rule,
    /// Any element (documentation and status rules).
    Any,
}

/// Static description of a change rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeMeta {
    /// Kebab-case id, equal to the rule's file stem.
    pub id: &'static str,
    /// The bump under the `full` profile (the default).
    pub full: Bump,
    /// The bump under the `backward` profile.
    pub backward: Bump,
    /// The kind of element it looks at.
    pub kind: Kind,
    /// The keys it classifies, as `kind.key` (`field.type`), for the unclassified check and
    /// the coverage test.
    pub keys: &'static [&'static str],
    /// The rule's documentation: what it detects and why it has its bump.
    pub docs: &'static str,
}

impl ChangeMeta {
    /// The bump under `profile`.
    pub fn bump(&self, profile: Compatibility) -> Bump {
        match profile {
            Compatibility::Full => self.full,
            Compatibility::Backward => self.backward,
        }
    }

    /// The first sentence of the docs.
    pub fn summary(&self) -> String {
        norm_model::first_sentence(self.docs)
    }
}

/// A change rule: a declaration and a hook for the element kind it looks at.
pub trait ChangeRule: ChangeDecl + Sync {
    /// Looks at one matched (or added, or removed) element and reports changes.
    fn check(&self, cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out);
}

/// A change rule's declaration; [`declare_change!`] implements it.
pub trait ChangeDecl {
    /// The rule's declaration.
    fn meta(&self) -> &'static ChangeMeta;
}

/// Declares a change rule: a unit struct with the doc comment, and its [`ChangeMeta`].
#[macro_export]
macro_rules! declare_change {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            full: $full:ident,
            backward: $backward:ident,
            kind: $kind:ident,
            keys: [$($key:literal),* $(,)?] $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            /// This rule's declaration.
            pub const META: $crate::ChangeMeta = $crate::ChangeMeta {
                id: $id,
                full: norm_model::config::Bump::$full,
                backward: norm_model::config::Bump::$backward,
                kind: $crate::Kind::$kind,
                keys: &[$($key),*],
                docs: concat!($($doc, "\n"),*),
            };
        }

        impl $crate::ChangeDecl for $name {
            fn meta(&self) -> &'static $crate::ChangeMeta {
                &Self::META
            }
        }
    };
}

/// Where an element is, on one side of the diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The file, relative to the repository root.
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

/// A standard that depends on a changed element.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DependentStandard {
    /// Its id.
    pub id: String,
    /// Its `requires` range for the changed standard, when it has one.
    pub range: Option<String>,
    /// Whether that range admits the new version (so the change reaches it unannounced).
    pub admits_new_version: bool,
}

/// Who is affected by a change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// Fields that reference the element or use the code list, and validation rules about its
    /// fields.
    pub dependents: Vec<ElementPath>,
    /// Other standards of the repository that reference or map to it.
    pub standards: Vec<DependentStandard>,
    /// Consumers (`used_by`) of the element and its dependents, statutory returns first.
    pub consumers: Vec<String>,
}

impl Impact {
    /// Whether nothing depends on the element.
    pub fn is_empty(&self) -> bool {
        self.dependents.is_empty() && self.standards.is_empty() && self.consumers.is_empty()
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The change rule's id, or `unclassified`.
    pub rule: &'static str,
    /// The bump it requires (after the profile and `diff.rules` overrides).
    pub bump: Bump,
    /// A stable hash of rule, path, old and new value: it survives rebases.
    pub fingerprint: String,
    /// The element, such as `ssd/entities/ssd_person/fields/pers_sex`.
    pub path: ElementPath,
    /// What changed, in a sentence.
    pub message: String,
    /// Where the element was.
    pub old: Option<Position>,
    /// Where the element is.
    pub new: Option<Position>,
    /// For renames: the old and new names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rename: Option<(String, String)>,
    /// For text changes: a word-level diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<text::TextDiff>,
    /// Who is affected.
    pub impact: Impact,
    /// Set when the change is inside a `proposed` element: reported, never bumped.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub proposed: bool,
    /// The reason, when `norm.yaml` `diff.accept` accepts this change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// The sections of a change report, in the order readers want them: what breaks first.
pub const SECTIONS: [&str; 5] = ["Breaking", "Added", "Deprecated", "Changed", "Editorial"];

impl Change {
    /// The section of a report (one of [`SECTIONS`]) this change belongs in.
    pub fn section(&self) -> &'static str {
        if self.bump == Bump::Major {
            "Breaking"
        } else if self.rule.contains("added") || self.rule == "status-activated" {
            "Added"
        } else if self.rule == "element-deprecated" {
            "Deprecated"
        } else if self.bump == Bump::Patch {
            "Editorial"
        } else {
            "Changed"
        }
    }
}

/// A breach of the change policy (change-rules.md, "Policy errors").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyError {
    /// The policy's id.
    pub rule: &'static str,
    /// The element concerned.
    pub path: ElementPath,
    /// What is wrong and what to do instead.
    pub message: String,
    /// The reason, when `norm.yaml` `diff.accept` accepts it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// How a standard's version moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Declared {
    /// The version did not change.
    None,
    /// The patch number went up.
    Patch,
    /// The minor number went up.
    Minor,
    /// The major number went up.
    Major,
    /// The version went down.
    Decreased,
    /// A version does not parse.
    Invalid,
    /// The standard is new.
    Added,
    /// The standard was removed.
    Removed,
}

/// Whether a standard's declared version change covers its changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The declared bump is at least the required bump.
    Ok,
    /// Changes exist and the version is unchanged.
    Unreleased,
    /// The declared bump is below the required bump.
    Insufficient,
    /// The version decreased or does not parse.
    Invalid,
}

/// The diff of one standard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandardDiff {
    /// The standard's id.
    pub id: String,
    /// The version on the old side.
    pub old_version: Option<String>,
    /// The version on the new side.
    pub new_version: Option<String>,
    /// How the version moved.
    pub declared_bump: Declared,
    /// The bump the changes require, as the version component to raise (the 0.y rules
    /// applied: below 1.0.0 a breaking change raises the minor number).
    pub required_bump: Bump,
    /// Whether any change breaks (a major change, whatever the 0.y rules make of it).
    pub breaking: bool,
    /// The verdict.
    pub verdict: Verdict,
    /// The changes, in document order.
    pub changes: Vec<Change>,
    /// Policy errors.
    pub policy_errors: Vec<PolicyError>,
    /// Files of this standard that did not load on one side (a syntax error, say): their
    /// elements are left out of the comparison instead of being reported as removed or added.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_compared: Vec<String>,
}

/// Every standard's diff.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChangeSet {
    /// One entry per standard present on either side and changed (or re-versioned).
    pub standards: Vec<StandardDiff>,
}

/// What the diff needs besides the two catalogs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The repository configuration (`diff.rules`, `diff.accept`, `governance`, `consumers`).
    pub config: Config,
    /// Element paths deprecated in any earlier release (for `deprecate_before_remove`), on top
    /// of what the old side itself deprecates.
    pub deprecated_earlier: BTreeSet<ElementPath>,
}

/// Diffs two catalogs.
pub fn diff(old: &Catalog, new: &Catalog, options: &Options) -> ChangeSet {
    let ids: BTreeSet<&String> = old.standards.keys().chain(new.standards.keys()).collect();
    let indexes = impact::Indexes::new(old, new);
    let mut standards = Vec::new();
    for id in ids {
        let mut sd = engine::diff_standard(old, new, id, options, &indexes);
        policy::check(old, new, &mut sd, options);
        apply_accepts(&mut sd, &options.config);
        verdict(&mut sd);
        if !sd.changes.is_empty()
            || sd.declared_bump != Declared::None
            || !sd.policy_errors.is_empty()
            || !sd.not_compared.is_empty()
        {
            standards.push(sd);
        }
    }
    ChangeSet { standards }
}

fn matches(accept: &Accept, rule: &str, path: &ElementPath, fingerprint: Option<&str>) -> bool {
    match (&accept.fingerprint, fingerprint) {
        (Some(f), Some(fp)) if f == fp => return true,
        (Some(_), _) => return false,
        _ => {}
    }
    accept.rule.as_deref().is_none_or(|r| r == rule)
        && accept
            .path
            .as_deref()
            .is_some_and(|p| p.parse::<ElementPath>().is_ok_and(|p| p == *path))
}

fn apply_accepts(sd: &mut StandardDiff, config: &Config) {
    let accepts = config
        .diff
        .as_ref()
        .map(|d| d.accept.as_slice())
        .unwrap_or_default();
    for change in &mut sd.changes {
        change.accepted = accepts
            .iter()
            .find(|a| matches(a, change.rule, &change.path, Some(&change.fingerprint)))
            .map(|a| a.reason.clone());
    }
    for error in &mut sd.policy_errors {
        error.accepted = accepts
            .iter()
            .find(|a| matches(a, error.rule, &error.path, None))
            .map(|a| a.reason.clone());
    }
}

/// The semver position a version change raises.
pub fn declared_bump(old: &semver::Version, new: &semver::Version) -> Declared {
    let (o, n) = (
        (old.major, old.minor, old.patch),
        (new.major, new.minor, new.patch),
    );
    if n < o {
        Declared::Decreased
    } else if n.0 > o.0 {
        Declared::Major
    } else if n.1 > o.1 {
        Declared::Minor
    } else if n.2 > o.2 {
        Declared::Patch
    } else {
        Declared::None
    }
}

fn verdict(sd: &mut StandardDiff) {
    let max = sd
        .changes
        .iter()
        .map(|c| c.bump)
        .max()
        .unwrap_or(Bump::None);
    sd.breaking = max == Bump::Major;
    let parse = |v: &Option<String>| v.as_deref().map(semver::Version::parse);
    let (old, new) = (parse(&sd.old_version), parse(&sd.new_version));
    // Below 1.0.0 a breaking change raises the minor number, anything else the patch number.
    let zero = matches!(&old, Some(Ok(v)) if v.major == 0);
    sd.required_bump = match (zero, max) {
        (true, Bump::Major) => Bump::Minor,
        (true, Bump::Minor) => Bump::Patch,
        (_, bump) => bump,
    };
    let (declared, verdict) = match (old, new) {
        (None, _) => (Declared::Added, Verdict::Ok),
        (_, None) => (Declared::Removed, Verdict::Ok),
        (Some(Err(_)), _) | (_, Some(Err(_))) => (Declared::Invalid, Verdict::Invalid),
        (Some(Ok(o)), Some(Ok(n))) => {
            let declared = declared_bump(&o, &n);
            let raised = match declared {
                Declared::Major => Some(Bump::Major),
                Declared::Minor => Some(Bump::Minor),
                Declared::Patch => Some(Bump::Patch),
                Declared::None => Some(Bump::None),
                _ => None,
            };
            let verdict = match raised {
                None => Verdict::Invalid,
                Some(_) if sd.required_bump == Bump::None => Verdict::Ok,
                Some(Bump::None) => Verdict::Unreleased,
                Some(r) if r < sd.required_bump => Verdict::Insufficient,
                Some(_) => Verdict::Ok,
            };
            (declared, verdict)
        }
    };
    sd.declared_bump = declared;
    sd.verdict = verdict;
}

#[cfg(test)]
mod tests;

/// The paths of the elements of `standard` that are deprecated: what a release contributes to
/// [`Options::deprecated_earlier`].
pub fn deprecated_paths(standard: &norm_model::Standard) -> Vec<ElementPath> {
    standard
        .elements()
        .filter(|e| e.status() == Some(norm_model::Status::Deprecated))
        .map(|e| e.path())
        .collect()
}
