//! The pull request comment: `norm diff --format markdown`, and the report half of `norm check
//! --format markdown`, kept within what GitHub accepts.

use std::io::{self, Write};

use norm_diff::{Change, SECTIONS, StandardDiff};
use norm_model::config::Bump;

use super::{NOT_COMPARED, Report, declared, impact_lines, location, verdict, versions, word};

/// The most characters GitHub takes in a pull request comment. A longer body is refused, and
/// the reviewer of the largest changes, who needs the report most, would get none.
pub const COMMENT_LIMIT: usize = 65_536;

/// Kept back from the first share-out of characters, for the section headings, the notes of
/// what was left out and the footer; if that is not enough, more changes are left out.
const RESERVE: usize = 4_000;

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

/// One section of one standard: its heading and closing lines, and each change's lines.
struct Section {
    name: &'static str,
    items: Vec<String>,
    /// How many of `items` the comment has room for.
    shown: usize,
}

/// The number of characters (GitHub counts characters, not bytes).
fn chars(text: &str) -> usize {
    text.chars().count()
}

/// A change's lines: its message and tags, its word diff, who it affects.
fn item(c: &Change) -> String {
    let headline = c.message.replace('|', "\\|");
    let mut tags = vec![format!("`{}`", c.rule), format!("`{}`", location(c))];
    if c.proposed {
        tags.push("proposed, not bumped".into());
    }
    if let Some(r) = &c.accepted {
        tags.push(format!("accepted: {r}"));
    }
    let mut out = format!("- {headline} ({})\n", tags.join(" · "));
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
        out.push_str(&format!("  - {}\n", marked.replace('\n', " ")));
    }
    for line in impact_lines(c) {
        out.push_str(&format!("  - {line}\n"));
    }
    out
}

impl Report<'_> {
    /// The pull request comment, in at most `limit` characters ([`COMMENT_LIMIT`] less what
    /// the caller writes above it). When every change does not fit, the breaking changes of
    /// every standard come first, then the additions, deprecations, other changes and
    /// editorial ones; each section keeps its count and says how many of its changes are
    /// left out and which command lists them all.
    pub fn markdown(&self, out: &mut impl Write, limit: usize) -> io::Result<()> {
        let standards = &self.comparison.changes.standards;
        let mut sections: Vec<Vec<Section>> = standards
            .iter()
            .map(|sd| {
                SECTIONS
                    .iter()
                    .filter_map(|&name| {
                        let items: Vec<String> = sd
                            .changes
                            .iter()
                            .filter(|c| c.section() == name)
                            .map(item)
                            .collect();
                        (!items.is_empty()).then_some(Section {
                            name,
                            shown: 0,
                            items,
                        })
                    })
                    .collect()
            })
            .collect();
        let mut room = limit.saturating_sub(chars(&self.comment(&sections)) + RESERVE);
        'share: for name in SECTIONS {
            for section in sections.iter_mut().flatten().filter(|s| s.name == name) {
                for item in &section.items {
                    let cost = chars(item);
                    if cost > room {
                        break 'share;
                    }
                    room -= cost;
                    section.shown += 1;
                }
            }
        }
        let mut comment = self.comment(&sections);
        // The reserve is a guess; take back the last changes shown until the comment fits.
        while chars(&comment) > limit {
            let last = SECTIONS.iter().rev().find_map(|&name| {
                sections.iter().enumerate().rev().find_map(|(i, s)| {
                    s.iter()
                        .position(|s| s.name == name && s.shown > 0)
                        .map(|k| (i, k))
                })
            });
            let Some((i, k)) = last else {
                break;
            };
            sections[i][k].shown -= 1;
            comment = self.comment(&sections);
        }
        out.write_all(comment.as_bytes())
    }

    /// The comment with the changes of `sections` that are marked shown.
    fn comment(&self, sections: &[Vec<Section>]) -> String {
        let mut out = String::new();
        self.head(&mut out);
        for (sd, sections) in self.comparison.changes.standards.iter().zip(sections) {
            standard_head(sd, &mut out);
            for section in sections {
                let total = section.items.len();
                let fold = total > FOLD;
                if fold {
                    out.push_str(&format!(
                        "<details><summary><strong>{}</strong> ({total})</summary>\n\n",
                        section.name
                    ));
                } else {
                    out.push_str(&format!("#### {} ({total})\n\n", section.name));
                }
                for item in &section.items[..section.shown] {
                    out.push_str(item);
                }
                if section.shown < total {
                    out.push_str(&format!(
                        "- … {} more not shown: a pull request comment holds at most 65,536 \
                         characters. `{}` lists every change.\n",
                        total - section.shown,
                        self.reproduce
                    ));
                }
                out.push_str(if fold { "\n</details>\n\n" } else { "\n" });
            }
        }
        out.push_str(&format!(
            "---\n<sub>Reproduce locally: `{}`</sub>\n",
            self.reproduce
        ));
        out
    }

    /// The title, the warning about lint errors, and the table of standards.
    fn head(&self, out: &mut String) {
        out.push_str(&format!(
            "## Standards changes: `{}` → `{}`\n\n",
            self.comparison.base.label(),
            self.comparison.head.label()
        ));
        if let Some(note) = self.lint_note() {
            out.push_str(&format!("> [!WARNING]\n> {note}\n"));
            for side in self.sides() {
                for problem in side.load_errors() {
                    out.push_str(&format!("> - in `{}`: `{problem}`\n", side.label()));
                }
            }
            out.push('\n');
        }
        let standards = &self.comparison.changes.standards;
        if standards.is_empty() {
            out.push_str("No changes to any standard.\n\n");
            return;
        }
        out.push_str(
            "| Standard | Version | Declared | Required | Verdict |\n|---|---|---|---|---|\n",
        );
        for sd in standards {
            out.push_str(&format!(
                "| `{}` | {} | {} | {}{} | {} |\n",
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
            ));
        }
    }
}

/// A standard's heading, the files not compared and its policy errors.
fn standard_head(sd: &StandardDiff, out: &mut String) {
    out.push_str(&format!("\n### `{}` {}\n\n", sd.id, versions(sd)));
    for file in &sd.not_compared {
        out.push_str(&format!("- ⚠️ not compared: `{file}` {NOT_COMPARED}\n"));
    }
    if !sd.not_compared.is_empty() {
        out.push('\n');
    }
    if !sd.policy_errors.is_empty() {
        out.push_str("**Policy errors**\n\n");
        for p in &sd.policy_errors {
            match &p.accepted {
                Some(r) => out.push_str(&format!(
                    "- ☑️ accepted: `{}` {} (reason: {r})\n",
                    p.rule, p.message
                )),
                None => out.push_str(&format!("- ❌ `{}` {}\n", p.rule, p.message)),
            }
        }
        out.push('\n');
    }
}
