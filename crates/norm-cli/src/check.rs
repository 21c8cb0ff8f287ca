//! `norm check`: the pull request gate. Lint, then the diff against the base, then the change
//! policy and the review rules of `norm.yaml` `governance`.

use std::io::Write;

use anyhow::{Context, Result};
use norm_git::Repo;
use norm_govern::gate::{self, Gate, parse_date};
use norm_model::worktree;

use crate::diff_render::Warnings;
use crate::render::Paint;
use crate::{Outcome, findings};
use norm_cli::cli::{CheckArgs, CheckFormat};

pub fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (secs / 86_400) as i64
}

pub fn run(
    args: &CheckArgs,
    styled: bool,
    out: &mut impl Write,
    warnings: Warnings<'_, impl Write>,
) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let root = worktree::find_root(&cwd)?;
    let repo = Repo::open(&root)?;
    let base_rev = gate::base_revision(&repo, args.base.as_deref())?;
    let opened_at = args.opened_at.as_deref().map(parse_date).transpose()?;
    let today = match args.today.as_deref() {
        Some(d) => parse_date(d)?,
        None => today(),
    };
    let check = gate::check(repo, &base_rev, opened_at, today)?;
    let (comparison, gate) = (&check.comparison, &check.gate);
    let head = &comparison.head;
    let lint = head.lint();
    let reproduce = format!("norm check --base {base_rev}");
    let report = crate::diff_render::Report {
        comparison,
        reproduce: &reproduce,
        paint: Paint(styled),
    };
    match args.format {
        CheckFormat::Human => {
            if lint.errors + lint.warnings > 0 {
                crate::render::human(lint, head.catalog(), styled, out)?;
                writeln!(out)?;
            }
            report.text(out, warnings)?;
            writeln!(out)?;
            write_gate_text(gate, Paint(styled), out)?;
        }
        CheckFormat::Markdown => {
            let mut verdict = Vec::new();
            write_gate_markdown(gate, &mut verdict)?;
            out.write_all(&verdict)?;
            let used = String::from_utf8_lossy(&verdict).chars().count();
            report.markdown(out, crate::diff_render::COMMENT_LIMIT.saturating_sub(used))?;
        }
        CheckFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &check.json())?;
            writeln!(out)?;
        }
        CheckFormat::Github | CheckFormat::Sarif => {
            let mut all = findings::from_lint(lint, head.catalog());
            all.extend(findings::from_gate(&gate.failures));
            if args.format == CheckFormat::Github {
                findings::github(&all, out)?;
            } else {
                crate::sarif::write(&all, out)?;
            }
        }
    }
    Ok(if gate.passed {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn write_gate_text(gate: &Gate, paint: Paint, out: &mut impl Write) -> std::io::Result<()> {
    if gate.passed {
        writeln!(out, "{}", paint.good("norm check passed"))?;
    } else {
        writeln!(out, "{}", paint.error("norm check failed:"))?;
        for f in &gate.failures {
            writeln!(out, "  - [{}] {}", f.kind, f.message)?;
        }
    }
    if let Some(r) = &gate.review {
        writeln!(out, "review: {r}")?;
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
        writeln!(out, ">\n> **Review:** {r}.")?;
    }
    if !gate.notify.is_empty() {
        writeln!(out, ">\n> **Notify:** {}.", gate.notify.join(", "))?;
    }
    writeln!(out)
}
