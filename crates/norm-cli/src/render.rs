//! Renders lint reports: `human` (rustc-style snippets), `concise` and `json` (GitHub and
//! SARIF, shared with `norm check`, are in `findings` and `sarif`).

use std::io::Write;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use norm_lint::Report;
use norm_model::{Catalog, Diagnostic, Severity};

/// rustc-style snippets, then a summary line.
pub fn human(
    report: &Report,
    catalog: &Catalog,
    styled: bool,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for d in &report.diagnostics {
        let text = catalog
            .files
            .iter()
            .find(|f| f.path == d.file)
            .map(|f| &*f.text);
        writeln!(out, "{}\n", renderer.render(&snippet(d, text)))?;
    }
    writeln!(out, "{}", summary(report))
}

fn snippet<'a>(d: &'a Diagnostic, text: Option<&'a str>) -> Vec<Group<'a>> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let title = level.primary_title(d.message.as_str()).id(d.rule);
    let mut group = match (d.span, text) {
        (Some(span), Some(text)) if span.end <= text.len() => {
            // Underline the first line only (a whole mapping is too much), and give a
            // zero-width span (end of file) a caret all the same.
            let line_end = text[span.start..]
                .find('\n')
                .map_or(text.len(), |i| span.start + i);
            let end = span.end.min(line_end);
            let end = if end > span.start {
                end
            } else {
                (span.start + 1).min(text.len())
            };
            title.element(
                Snippet::source(text)
                    .path(d.file.as_str())
                    .annotation(AnnotationKind::Primary.span(span.start..end)),
            )
        }
        (Some(span), _) => title.element(
            Origin::path(d.file.as_str())
                .line(span.line as usize)
                .char_column(span.column as usize - 1),
        ),
        (None, _) => title.element(Origin::path(d.file.as_str())),
    };
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    vec![group]
}

/// `N errors and M warnings` in words.
fn summary(report: &Report) -> String {
    if report.diagnostics.is_empty() {
        return "no problems found".into();
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut files: Vec<&str> = report.diagnostics.iter().map(|d| d.file.as_str()).collect();
    files.dedup();
    format!(
        "{} and {} in {}",
        plural(report.errors, "error"),
        plural(report.warnings, "warning"),
        plural(files.len(), "file")
    )
}

/// `path:line:col: severity[rule] message`, one line each.
pub fn concise(report: &Report, out: &mut impl Write) -> std::io::Result<()> {
    for d in &report.diagnostics {
        writeln!(out, "{d}")?;
    }
    Ok(())
}

/// The JSON shape of architecture.md (`norm_lint::json`).
pub fn json(report: &Report, out: &mut impl Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &norm_lint::json::JsonReport::from(report))?;
    writeln!(out)
}

/// ANSI colour for the reports of `diff` and `check`, on when `--color` and the terminal say so
/// (the same decision as lint's snippets: `Color::enabled` in main).
#[derive(Debug, Clone, Copy)]
pub struct Paint(pub bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Headings and names.
    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    /// Failures and breaking changes.
    pub fn error(self, text: &str) -> String {
        self.wrap("1;31", text)
    }

    /// What needs attention.
    pub fn warning(self, text: &str) -> String {
        self.wrap("1;33", text)
    }

    /// Passed and ok.
    pub fn good(self, text: &str) -> String {
        self.wrap("1;32", text)
    }

    /// Deleted text.
    pub fn deleted(self, text: &str) -> String {
        self.wrap("31", text)
    }

    /// Inserted text.
    pub fn inserted(self, text: &str) -> String {
        self.wrap("32", text)
    }

    /// A bump class in words, coloured by how much it asks of consumers.
    pub fn bump(self, bump: norm_model::config::Bump) -> String {
        let word = norm_govern::gate::word(bump);
        match bump {
            norm_model::config::Bump::Major => self.error(&word),
            norm_model::config::Bump::Minor => self.warning(&word),
            _ => word,
        }
    }

    /// A verdict in words, coloured.
    pub fn verdict(self, verdict: norm_diff::Verdict) -> String {
        let word = norm_govern::gate::word(verdict);
        match verdict {
            norm_diff::Verdict::Ok => self.good(&word),
            norm_diff::Verdict::Unreleased => self.warning(&word),
            _ => self.error(&word),
        }
    }
}
