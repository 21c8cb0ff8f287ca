//! Renders a change set: `text` for the terminal, `markdown` for the pull request comment,
//! `json` for tools (the shape of architecture.md, plus fields).

use std::io::Write;

use norm_diff::{Change, Declared, StandardDiff, Verdict};
use norm_model::config::Bump;

use norm_govern::gate::word;

use crate::render::Paint;
use norm_govern::{Comparison, Side};

mod markdown;

pub use markdown::COMMENT_LIMIT;

/// A comparison with what is needed to describe it.
pub struct Report<'a> {
    /// The sides and their changes.
    pub comparison: &'a Comparison,
    /// The command that reproduces the report.
    pub reproduce: &'a str,
    /// Colour for `text` on stdout.
    pub paint: Paint,
}

/// Where `text` sends its warnings, and whether to colour them.
pub struct Warnings<'a, W: Write> {
    /// Standard error.
    pub out: &'a mut W,
    /// Colour for it.
    pub paint: Paint,
}

fn versions(sd: &StandardDiff) -> String {
    match (&sd.old_version, &sd.new_version) {
        (Some(a), Some(b)) if a == b => a.clone(),
        (Some(a), Some(b)) => format!("{a} → {b}"),
        (None, Some(b)) => format!("new at {b}"),
        (Some(a), None) => format!("removed (was {a})"),
        (None, None) => "unversioned".into(),
    }
}

fn declared(sd: &StandardDiff) -> String {
    match sd.declared_bump {
        Declared::None => "no bump".into(),
        d => word(d),
    }
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "✅ ok",
        Verdict::Unreleased => "⚠️ unreleased",
        Verdict::Insufficient => "❌ insufficient",
        Verdict::Invalid => "❌ invalid",
    }
}

fn location(change: &Change) -> String {
    change
        .new
        .as_ref()
        .or(change.old.as_ref())
        .map(|p| format!("{}:{}", p.file, p.line))
        .unwrap_or_default()
}

fn impact_lines(change: &Change) -> Vec<String> {
    let i = &change.impact;
    let mut lines = Vec::new();
    if !i.consumers.is_empty() {
        lines.push(format!("consumers: {}", i.consumers.join(", ")));
    }
    let (rules, fields): (Vec<_>, Vec<_>) = i
        .dependents
        .iter()
        .partition(|d| d.kind() == norm_model::ElementKind::Rule);
    for (label, paths) in [("dependent fields", fields), ("validation rules", rules)] {
        if !paths.is_empty() {
            let paths: Vec<String> = paths.iter().map(ToString::to_string).collect();
            lines.push(format!("{label}: {}", paths.join(", ")));
        }
    }
    for s in &i.standards {
        lines.push(format!(
            "standard `{}` requires {}{}",
            s.id,
            s.range.as_deref().unwrap_or("(no range)"),
            if s.admits_new_version {
                ", which admits the new version"
            } else {
                ""
            }
        ));
    }
    lines
}

/// Why a file is listed as not compared.
const NOT_COMPARED: &str =
    "did not load on one side; nothing in it is classified until it loads (`norm lint` says why)";

impl Report<'_> {
    fn sides(&self) -> [&Side; 2] {
        [&self.comparison.base, &self.comparison.head]
    }

    fn lint_note(&self) -> Option<String> {
        let sides = self.sides();
        let broken: Vec<String> = sides
            .iter()
            .filter(|s| s.lint_errors() > 0)
            .map(|s| {
                let errors = s.lint_errors();
                format!(
                    "`{}` has {errors} lint error{}",
                    s.label(),
                    if errors == 1 { "" } else { "s" }
                )
            })
            .collect();
        (!broken.is_empty()).then(|| {
            format!(
                "{}; the diff compares what loads (`norm lint` lists the errors).",
                broken.join(" and ")
            )
        })
    }

    /// For the terminal: by standard, then by bump, with file:line. Warnings (a side with lint
    /// errors, files that did not load) go to `warnings`, so that stdout holds the report only.
    pub fn text(
        &self,
        out: &mut impl Write,
        warnings: Warnings<'_, impl Write>,
    ) -> std::io::Result<()> {
        let paint = self.paint;
        let [base, head] = self.sides();
        let label = warnings.paint.warning("warning:");
        if let Some(note) = self.lint_note() {
            writeln!(warnings.out, "{label} {note}")?;
        }
        for side in self.sides() {
            for problem in side.load_errors() {
                writeln!(warnings.out, "{label} in `{}`: {problem}", side.label())?;
            }
        }
        writeln!(
            out,
            "{}",
            paint.bold(&format!("norm diff {} → {}", base.label(), head.label()))
        )?;
        if self.comparison.changes.standards.is_empty() {
            return writeln!(out, "no changes");
        }
        for sd in &self.comparison.changes.standards {
            writeln!(
                out,
                "\n{} {}: declared {}, required {} → {}",
                paint.bold(&sd.id),
                versions(sd),
                declared(sd),
                paint.bump(sd.required_bump),
                paint.verdict(sd.verdict)
            )?;
            for file in &sd.not_compared {
                writeln!(
                    out,
                    "  {} {file} {NOT_COMPARED}",
                    paint.warning("not compared:")
                )?;
            }
            for bump in [Bump::Major, Bump::Minor, Bump::Patch, Bump::None] {
                let changes: Vec<&Change> = sd.changes.iter().filter(|c| c.bump == bump).collect();
                if changes.is_empty() {
                    continue;
                }
                writeln!(out, "  {}", paint.bump(bump))?;
                for c in changes {
                    let mut tags = String::new();
                    if c.proposed {
                        tags.push_str(" (proposed)");
                    }
                    if let Some(reason) = &c.accepted {
                        tags.push_str(&format!(" (accepted: {reason})"));
                    }
                    writeln!(out, "    {} [{}] {}{tags}", location(c), c.rule, c.message)?;
                    if let Some(t) = &c.text {
                        let marked: String = t
                            .segments
                            .iter()
                            .map(|s| match s.op {
                                "delete" => paint.deleted(&format!("[-{}-]", s.text)),
                                "insert" => paint.inserted(&format!("{{+{}+}}", s.text)),
                                _ => s.text.clone(),
                            })
                            .collect();
                        writeln!(out, "      {}", marked.trim_end().replace('\n', "\n      "))?;
                    }
                    for line in impact_lines(c) {
                        writeln!(out, "      {line}")?;
                    }
                }
            }
            if !sd.policy_errors.is_empty() {
                writeln!(out, "  {}", paint.error("policy errors"))?;
                for p in &sd.policy_errors {
                    let accepted = p
                        .accepted
                        .as_ref()
                        .map(|r| format!(" (accepted: {r})"))
                        .unwrap_or_default();
                    writeln!(out, "    [{}] {}{accepted}", p.rule, p.message)?;
                }
            }
        }
        Ok(())
    }

    /// For tools: the report of `norm_govern::Comparison::json`.
    pub fn json(&self, out: &mut impl Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.comparison.json())?;
        writeln!(out)
    }
}
