//! The pull request gate of `norm check`: lint, the comparison with the base, the change policy
//! and the review rules of `norm.yaml` `governance`, judged into passed or failed.

use norm_diff::{ChangeSet, Verdict};
use norm_git::{Repo, Revision};
use norm_model::config::{Bump, Config, ReviewRule};
use serde::Serialize;

use crate::{Comparer, Comparison, GovernError, Scope};

/// One reason the gate fails.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// What kind of failure: `lint`, `verdict`, `unreleased`, `policy`, `consultation`.
    pub kind: &'static str,
    /// The standard concerned, when there is one.
    pub standard: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

/// What the change needs before it can merge.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// The largest bump class among the changes.
    pub bump: Bump,
    /// Approving reviews required for it.
    pub approvals: u32,
    /// Days of consultation required for it.
    pub consultation_days: u32,
}

/// `minor changes need 1 approval and 14 days of consultation`, as the reports say it.
impl std::fmt::Display for Review {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} changes need {} approval{} and {} days of consultation",
            word(self.bump),
            self.approvals,
            if self.approvals == 1 { "" } else { "s" },
            self.consultation_days
        )
    }
}

/// The gate's result.
#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    /// Whether the change may merge.
    pub passed: bool,
    /// Why not.
    pub failures: Vec<Failure>,
    /// What review the change needs.
    pub review: Option<Review>,
    /// Consumers of changed elements, statutory returns first.
    pub notify: Vec<String>,
}

/// A bump or verdict in the words the reports use (`major`, `insufficient`).
pub fn word(value: impl std::fmt::Debug) -> String {
    format!("{value:?}").to_lowercase()
}

/// Parses `YYYY-MM-DD` into days since the Unix epoch.
pub fn parse_date(text: &str) -> Result<i64, GovernError> {
    let bad = || GovernError::BadDate(text.to_owned());
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i64>(), m.parse::<i64>(), d.parse::<i64>()) else {
        return Err(bad());
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok(norm_model::dates::days_from_civil(y, m, d))
}

fn review_rule(config: &Config, bump: Bump) -> Option<ReviewRule> {
    let review = &config.governance.as_ref()?.review;
    match bump {
        Bump::Major => review.major.clone(),
        Bump::Minor => review.minor.clone(),
        Bump::Patch => review.patch.clone(),
        Bump::None => None,
    }
}

/// Judges a change set.
pub fn judge(
    config: &Config,
    lint_errors: usize,
    set: &ChangeSet,
    opened_at: Option<i64>,
    today: i64,
) -> Gate {
    let mut failures = Vec::new();
    if lint_errors > 0 {
        failures.push(Failure {
            kind: "lint",
            standard: None,
            message: format!(
                "{lint_errors} lint error{}: run `norm lint` and fix them",
                if lint_errors == 1 { "" } else { "s" }
            ),
        });
    }
    let require_bump = config
        .governance
        .as_ref()
        .is_none_or(|g| g.require_version_bump);
    for sd in &set.standards {
        let versions = format!(
            "{} → {}",
            sd.old_version.as_deref().unwrap_or("none"),
            sd.new_version.as_deref().unwrap_or("none")
        );
        match sd.verdict {
            Verdict::Insufficient => failures.push(Failure {
                kind: "verdict",
                standard: Some(sd.id.clone()),
                message: format!(
                    "`{}` {versions} declares a {} bump, but its changes need a {} bump: raise `version` in standards/{}/standard.yaml",
                    sd.id,
                    word(sd.declared_bump),
                    word(sd.required_bump),
                    sd.id
                ),
            }),
            Verdict::Invalid => failures.push(Failure {
                kind: "verdict",
                standard: Some(sd.id.clone()),
                message: format!("`{}` {versions}: the version went down or does not parse", sd.id),
            }),
            Verdict::Unreleased if require_bump => failures.push(Failure {
                kind: "unreleased",
                standard: Some(sd.id.clone()),
                message: format!(
                    "`{}` changed but its version is still {}: this repository requires the bump in the same pull request ({} at least)",
                    sd.id,
                    sd.old_version.as_deref().unwrap_or("unset"),
                    word(sd.required_bump)
                ),
            }),
            _ => {}
        }
        for p in sd.policy_errors.iter().filter(|p| p.accepted.is_none()) {
            failures.push(Failure {
                kind: "policy",
                standard: Some(sd.id.clone()),
                message: format!("[{}] {}", p.rule, p.message),
            });
        }
    }
    let largest = set
        .standards
        .iter()
        .flat_map(|s| &s.changes)
        .filter(|c| !c.proposed)
        .map(|c| c.bump)
        .max()
        .unwrap_or(Bump::None);
    let review = review_rule(config, largest).map(|r| Review {
        bump: largest,
        approvals: r.approvals,
        consultation_days: r.consultation_days,
    });
    if let (Some(review), Some(opened)) = (&review, opened_at) {
        let open_for = today - opened;
        if open_for < i64::from(review.consultation_days) {
            failures.push(Failure {
                kind: "consultation",
                standard: None,
                message: format!(
                    "{} changes need {} days of consultation; this pull request has been open {open_for} day{}, until {} at the earliest",
                    word(review.bump),
                    review.consultation_days,
                    if open_for == 1 { "" } else { "s" },
                    norm_model::dates::format_date(opened + i64::from(review.consultation_days))
                ),
            });
        }
    }
    let kind = |id: &str| {
        config
            .consumers
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.kind)
            .map_or(u8::MAX, |k| k as u8)
    };
    let mut notify: Vec<String> = set
        .standards
        .iter()
        .flat_map(|s| &s.changes)
        .filter(|c| !c.proposed && c.bump != Bump::None)
        .flat_map(|c| c.impact.consumers.iter().cloned())
        .collect();
    notify.sort_by(|a, b| (kind(a), a).cmp(&(kind(b), b)));
    notify.dedup();
    Gate {
        passed: failures.is_empty(),
        failures,
        review,
        notify,
    }
}

/// The base `norm check` compares with: `given`, else the repository's default branch.
pub fn base_revision(repo: &Repo, given: Option<&str>) -> Result<String, GovernError> {
    match given {
        Some(rev) => Ok(rev.to_owned()),
        None => repo.default_branch().ok_or(GovernError::NoBase),
    }
}

/// What `norm check` found: the comparison it judged, and the judgement.
pub struct Check {
    /// The base (its release history included) against the working tree.
    pub comparison: Comparison,
    /// Whether the change may merge, and what it needs.
    pub gate: Gate,
}

impl Check {
    /// The report `norm check --format json` prints: the gate, the head's lint report and the
    /// comparison's standards.
    pub fn json(&self) -> serde_json::Value {
        let (gate, comparison) = (&self.gate, &self.comparison);
        serde_json::json!({
            "passed": gate.passed,
            "failures": gate.failures,
            "review": gate.review,
            "notify": gate.notify,
            "lint": norm_lint::json::JsonReport::from(comparison.head.lint()),
            "diff": {
                "base": comparison.base.label(),
                "head": comparison.head.label(),
                "standards": comparison.changes.standards,
            },
        })
    }
}

/// Runs the gate: the working tree against `base`, whose history also holds the untagged
/// releases, judged on `today` for a pull request opened on `opened_at` (days since the epoch).
pub fn check(
    repo: Repo,
    base: &str,
    opened_at: Option<i64>,
    today: i64,
) -> Result<Check, GovernError> {
    let comparer = Comparer::with_release_branch(repo, Some(base.to_owned()));
    let comparison = comparer.compare(&Revision::parse(base), &Revision::WorkTree, &Scope::All)?;
    let head = &comparison.head;
    let gate = judge(
        &head.catalog().config(),
        head.lint().errors,
        &comparison.changes,
        opened_at,
        today,
    );
    Ok(Check { comparison, gate })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_count_days() {
        assert_eq!(parse_date("1970-01-01").ok(), Some(0));
        let d = parse_date("2026-11-27").unwrap_or_default();
        assert_eq!(norm_model::dates::format_date(d), "2026-11-27");
        assert_eq!(norm_model::dates::format_date(d + 28), "2026-12-25");
        assert_eq!(
            parse_date("2024-03-01")
                .ok()
                .zip(parse_date("2024-02-28").ok())
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(
            parse_date("27/11/2026")
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some("`27/11/2026` is not a date: write YYYY-MM-DD")
        );
        assert!(parse_date("2026-13-01").is_err());
    }
}
