//! Renders a change set: `text` for the terminal, `markdown` for the pull request comment,
//! `json` for tools (the shape of architecture.md, plus fields).

use std::io::Write;

use norm_diff::{Change, Declared, SECTIONS, StandardDiff, Verdict};
use norm_model::config::Bump;

use norm_govern::gate::word;

use crate::render::Paint;
use norm_govern::{Comparison, Side};

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

/// Escapes the Markdown that descriptions may hold, so the diff marks stay the only markup.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '*' | '_' | '~' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '\\'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Wraps `text` in a Markdown `mark`, keeping surrounding white space outside it (Markdown
/// ignores `** word**`).
fn emphasise(text: &str, mark: &str) -> String {
    let core = text.trim();
    if core.is_empty() {
        return text.to_owned();
    }
    let start = text.len() - text.trim_start().len();
    let end = start + core.len();
    format!("{}{mark}{core}{mark}{}", &text[..start], &text[end..])
}

/// Sections longer than this fold into `<details>`.
const FOLD: usize = 10;

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

    /// The pull request comment.
    pub fn markdown(&self, out: &mut impl Write) -> std::io::Result<()> {
        writeln!(
            out,
            "## Standards changes: `{}` → `{}`\n",
            self.comparison.base.label(),
            self.comparison.head.label()
        )?;
        if let Some(note) = self.lint_note() {
            writeln!(out, "> [!WARNING]\n> {note}")?;
            for side in self.sides() {
                for problem in side.load_errors() {
                    writeln!(out, "> - in `{}`: `{problem}`", side.label())?;
                }
            }
            writeln!(out)?;
        }
        if self.comparison.changes.standards.is_empty() {
            writeln!(out, "No changes to any standard.\n")?;
        } else {
            writeln!(
                out,
                "| Standard | Version | Declared | Required | Verdict |"
            )?;
            writeln!(out, "|---|---|---|---|---|")?;
            for sd in &self.comparison.changes.standards {
                writeln!(
                    out,
                    "| `{}` | {} | {} | {}{} | {} |",
                    sd.id,
                    versions(sd),
                    declared(sd),
                    word(sd.required_bump),
                    if sd.breaking && sd.required_bump != Bump::Major {
                        " (breaking, 0.y)"
                    } else {
                        ""
                    },
                    verdict(sd.verdict)
                )?;
            }
        }
        for sd in &self.comparison.changes.standards {
            writeln!(out, "\n### `{}` {}\n", sd.id, versions(sd))?;
            for file in &sd.not_compared {
                writeln!(out, "- ⚠️ not compared: `{file}` {NOT_COMPARED}")?;
            }
            if !sd.not_compared.is_empty() {
                writeln!(out)?;
            }
            if !sd.policy_errors.is_empty() {
                writeln!(out, "**Policy errors**\n")?;
                for p in &sd.policy_errors {
                    match &p.accepted {
                        Some(r) => writeln!(
                            out,
                            "- ☑️ accepted: `{}` {} (reason: {r})",
                            p.rule, p.message
                        )?,
                        None => writeln!(out, "- ❌ `{}` {}", p.rule, p.message)?,
                    }
                }
                writeln!(out)?;
            }
            for name in SECTIONS {
                let changes: Vec<&Change> =
                    sd.changes.iter().filter(|c| c.section() == name).collect();
                if changes.is_empty() {
                    continue;
                }
                let fold = changes.len() > FOLD;
                if fold {
                    writeln!(
                        out,
                        "<details><summary><strong>{name}</strong> ({})</summary>\n",
                        changes.len()
                    )?;
                } else {
                    writeln!(out, "#### {name} ({})\n", changes.len())?;
                }
                for c in changes {
                    let headline = c.message.replace('|', "\\|");
                    let mut tags = vec![format!("`{}`", c.rule), format!("`{}`", location(c))];
                    if c.proposed {
                        tags.push("proposed, not bumped".into());
                    }
                    if let Some(r) = &c.accepted {
                        tags.push(format!("accepted: {r}"));
                    }
                    writeln!(out, "- {headline} ({})", tags.join(" · "))?;
                    if let Some(t) = &c.text {
                        let marked: String = t
                            .segments
                            .iter()
                            .map(|s| {
                                let text = escape_markdown(&s.text);
                                match s.op {
                                    "delete" => emphasise(&text, "~~"),
                                    "insert" => emphasise(&text, "**"),
                                    _ => text,
                                }
                            })
                            .collect();
                        writeln!(out, "  - {}", marked.replace('\n', " "))?;
                    }
                    for line in impact_lines(c) {
                        writeln!(out, "  - {line}")?;
                    }
                }
                writeln!(out, "{}", if fold { "\n</details>\n" } else { "" })?;
            }
        }
        writeln!(
            out,
            "---\n<sub>Reproduce locally: `{}`</sub>",
            self.reproduce
        )
    }

    /// For tools: the report of `norm_govern::Comparison::json`.
    pub fn json(&self, out: &mut impl Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.comparison.json())?;
        writeln!(out)
    }
}
