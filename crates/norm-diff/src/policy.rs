//! The policy errors of change-rules.md that need more than one element pair: removals without
//! an earlier deprecation or before the planned version, and breaks that reach a dependent
//! standard whose `requires` range still admits the new version.

use norm_model::config::Bump;
use norm_model::model::StandardStatus;
use norm_model::{Catalog, ElementPath, Status};

use crate::{Options, PolicyError, StandardDiff};

const REMOVALS: &[&str] = &[
    "entity-removed",
    "field-removed",
    "codelist-removed",
    "code-removed",
];

/// Adds the policy errors of `sd`.
pub(crate) fn check(old: &Catalog, new: &Catalog, sd: &mut StandardDiff, options: &Options) {
    let governance = options.config.governance.clone();
    let require_deprecation = governance
        .as_ref()
        .is_none_or(|g| g.deprecate_before_remove);
    let new_version = sd
        .new_version
        .as_deref()
        .and_then(|v| semver::Version::parse(v).ok());
    let mut errors = Vec::new();
    for change in sd
        .changes
        .iter()
        .filter(|c| REMOVALS.contains(&c.rule) && !c.proposed)
    {
        let Some(element) = old.element(&change.path) else {
            continue;
        };
        let (status, deprecation) = (element.status(), element.deprecation());
        let deprecated =
            status == Some(Status::Deprecated) || options.deprecated_earlier.contains(&change.path);
        if require_deprecation && !deprecated {
            errors.push(PolicyError {
                rule: "removed-without-deprecation",
                path: change.path.clone(),
                message: format!(
                    "`{}` was removed without being deprecated in an earlier release; deprecate it \
                     (with a reason and a replacement) in a minor release, then remove it in the next major",
                    change.path
                ),
                accepted: None,
            });
        }
        let planned = deprecation
            .and_then(|d| d.removal.as_deref())
            .and_then(|r| semver::Version::parse(r).ok());
        if let (Some(planned), Some(version)) = (planned, &new_version)
            && version < &planned
        {
            errors.push(PolicyError {
                rule: "removed-before-planned",
                path: change.path.clone(),
                message: format!(
                    "`{}` was removed in {version}, before its planned removal in {planned}",
                    change.path
                ),
                accepted: None,
            });
        }
    }
    if let (Some(o), None) = (old.standards.get(&sd.id), new.standards.get(&sd.id)) {
        let status = o.meta.as_ref().and_then(|m| m.value.status);
        if require_deprecation
            && !matches!(
                status,
                Some(StandardStatus::Deprecated | StandardStatus::Retired)
            )
        {
            errors.push(PolicyError {
                rule: "removed-without-deprecation",
                path: ElementPath::standard(&sd.id),
                message: format!(
                    "standard `{}` was removed without first being deprecated or retired",
                    sd.id
                ),
                accepted: None,
            });
        }
    }
    // A dependent that moved its range in the same change has been reviewed against the new
    // version; the error is for dependents whose range, as it was, lets the break in unseen.
    let new_version = new_version.map(|v| semver::Version::new(v.major, v.minor, v.patch));
    let old_range_admits = |dependent: &str| {
        let range = old
            .standards
            .get(dependent)
            .and_then(|s| s.meta.as_ref())
            .and_then(|m| m.value.requires.get(&sd.id));
        match (range, &new_version) {
            (Some(r), Some(v)) => semver::VersionReq::parse(r).is_ok_and(|req| req.matches(v)),
            _ => false,
        }
    };
    for change in sd.changes.iter().filter(|c| c.bump == Bump::Major) {
        for dependent in change
            .impact
            .standards
            .iter()
            .filter(|d| d.admits_new_version && old_range_admits(&d.id))
        {
            errors.push(PolicyError {
                rule: "requires-broken",
                path: change.path.clone(),
                message: format!(
                    "`{}` requires `{}` {}, which admits {} although this change breaks it ({})",
                    dependent.id,
                    sd.id,
                    dependent.range.as_deref().unwrap_or_default(),
                    sd.new_version.as_deref().unwrap_or("the new version"),
                    change.message
                ),
                accepted: None,
            });
        }
    }
    sd.policy_errors.extend(errors);
}
