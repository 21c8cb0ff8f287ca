//! `norm check`: the pull request gate. Lint, then the diff against the base, then the change
//! policy and the review rules of `norm.yaml` `governance`.

use std::io::Write;

use anyhow::{Context, Result, bail};
use norm_diff::{ChangeSet, Verdict};
use norm_git::{Repo, Revision};
use norm_model::config::{Bump, Config, ReviewRule};
use norm_model::worktree;
use serde::Serialize;

use crate::Outcome;
use norm_cli::cli::{CheckArgs, CheckFormat};
use norm_govern::{Comparer, Scope};

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

/// A bump or verdict in the words the reports use.
fn word(value: impl std::fmt::Debug) -> String {
    format!("{value:?}").to_lowercase()
}

/// Parses `YYYY-MM-DD` into days since the epoch.
pub fn parse_date(text: &str) -> Result<i64> {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        bail!("`{text}` is not a date: write YYYY-MM-DD");
    };
    let (y, m, d): (i64, i64, i64) = (
        y.parse()
            .with_context(|| format!("`{text}` is not a date: write YYYY-MM-DD"))?,
        m.parse()
            .with_context(|| format!("`{text}` is not a date: write YYYY-MM-DD"))?,
        d.parse()
            .with_context(|| format!("`{text}` is not a date: write YYYY-MM-DD"))?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        bail!("`{text}` is not a date: write YYYY-MM-DD");
    }
    Ok(norm_model::dates::days_from_civil(y, m, d))
}

/// `YYYY-MM-DD` of a day count since the epoch.
pub fn format_date(days: i64) -> String {
    norm_model::dates::format_date(days)
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
                    format_date(opened + i64::from(review.consultation_days))
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

/// The base to compare with: `--base`, else the repository's default branch.
fn base_revision(repo: &Repo, given: Option<&str>) -> Result<String> {
    if let Some(rev) = given {
        return Ok(rev.to_owned());
    }
    repo.default_branch().context(
        "no default branch to compare with (neither `origin/HEAD`, `init.defaultBranch`, `main` \
         nor `master`, locally or on origin): pass `--base REV` (in GitHub Actions, \
         `--base origin/${{ github.base_ref }}` with `fetch-depth: 0`)",
    )
}

pub fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (secs / 86_400) as i64
}

pub fn run(args: &CheckArgs, styled: bool, out: &mut impl Write) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let root = worktree::find_root(&cwd)?;
    let comparer = Comparer::new(Repo::open(&root)?);
    let base_rev = base_revision(&comparer.repo(), args.base.as_deref())?;
    let opened_at = args.opened_at.as_deref().map(parse_date).transpose()?;
    let today = match args.today.as_deref() {
        Some(d) => parse_date(d)?,
        None => today(),
    };
    let comparison = comparer.compare(
        &Revision::parse(&base_rev),
        &Revision::WorkTree,
        &Scope::All,
    )?;
    let (base, head, set) = (&comparison.base, &comparison.head, &comparison.changes);
    let lint = head.lint();
    let config = head.catalog().config();
    let gate = judge(&config, lint.errors, set, opened_at, today);
    let reproduce = format!("norm check --base {base_rev}");
    let report = crate::diff_render::Report {
        comparison: &comparison,
        reproduce: &reproduce,
    };
    match args.format {
        CheckFormat::Human => {
            if lint.errors + lint.warnings > 0 {
                crate::render::human(lint, head.catalog(), styled, out)?;
                writeln!(out)?;
            }
            report.text(out)?;
            writeln!(out)?;
            write_gate_text(&gate, out)?;
        }
        CheckFormat::Markdown => {
            write_gate_markdown(&gate, out)?;
            report.markdown(out)?;
        }
        CheckFormat::Json => {
            let value = serde_json::json!({
                "passed": gate.passed,
                "failures": gate.failures,
                "review": gate.review,
                "notify": gate.notify,
                "lint": norm_lint::json::JsonReport::from(lint),
                "diff": { "base": base.label(), "head": head.label(), "standards": set.standards },
            });
            serde_json::to_writer_pretty(&mut *out, &value)?;
            writeln!(out)?;
        }
        CheckFormat::Github => {
            crate::render::github(lint, out)?;
            for f in &gate.failures {
                let file = f
                    .standard
                    .as_ref()
                    .map(|s| {
                        format!(
                            "file={},",
                            crate::render::escape_property(&format!("standards/{s}/standard.yaml"))
                        )
                    })
                    .unwrap_or_default();
                writeln!(
                    out,
                    "::error {file}title=norm check {}::{}",
                    f.kind,
                    crate::render::escape_data(&f.message)
                )?;
            }
        }
        CheckFormat::Sarif => crate::sarif::write_with(lint, head.catalog(), &gate.failures, out)?,
    }
    Ok(if gate.passed {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn write_gate_text(gate: &Gate, out: &mut impl Write) -> std::io::Result<()> {
    if gate.passed {
        writeln!(out, "norm check passed")?;
    } else {
        writeln!(out, "norm check failed:")?;
        for f in &gate.failures {
            writeln!(out, "  - [{}] {}", f.kind, f.message)?;
        }
    }
    if let Some(r) = &gate.review {
        writeln!(
            out,
            "review: {} changes need {} approval{} and {} days of consultation",
            word(r.bump),
            r.approvals,
            if r.approvals == 1 { "" } else { "s" },
            r.consultation_days
        )?;
    }
    if !gate.notify.is_empty() {
        writeln!(out, "notify: {}", gate.notify.join(", "))?;
    }
    Ok(())
}

fn write_gate_markdown(gate: &Gate, out: &mut impl Write) -> std::io::Result<()> {
    if gate.passed {
        writeln!(out, "> [!NOTE]\n> ✅ **norm check passed.**")?;
    } else {
        writeln!(
            out,
            "> [!CAUTION]\n> ❌ **norm check failed** ({} problem{}):",
            gate.failures.len(),
            if gate.failures.len() == 1 { "" } else { "s" }
        )?;
        for f in &gate.failures {
            writeln!(out, "> - `{}` {}", f.kind, f.message)?;
        }
    }
    if let Some(r) = &gate.review {
        writeln!(
            out,
            ">\n> **Review:** {} changes need {} approval{} and {} days of consultation.",
            word(r.bump),
            r.approvals,
            if r.approvals == 1 { "" } else { "s" },
            r.consultation_days
        )?;
    }
    if !gate.notify.is_empty() {
        writeln!(out, ">\n> **Notify:** {}.", gate.notify.join(", "))?;
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_count_days() {
        assert_eq!(parse_date("1970-01-01").unwrap(), 0);
        let d = parse_date("2026-11-27").unwrap();
        assert_eq!(format_date(d), "2026-11-27");
        assert_eq!(format_date(d + 28), "2026-12-25");
        assert_eq!(
            parse_date("2024-03-01").unwrap() - parse_date("2024-02-28").unwrap(),
            2
        );
        assert!(parse_date("27/11/2026").is_err());
        assert!(parse_date("2026-13-01").is_err());
    }
}
