//! Findings for code-scanning outputs: lint diagnostics and the gate's failures in one shape,
//! so that GitHub annotations (`lint` and `check`) and SARIF (`lint` and `check`) are each
//! written by one function.

use std::io::Write;

use norm_govern::gate::Failure;
use norm_lint::Report;
use norm_model::{Catalog, Severity, Span};

/// One finding, located as precisely as its source allows.
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// The rule: a lint rule id, or `norm-check/<kind>` for the gate.
    pub rule: String,
    /// The GitHub annotation's title.
    pub title: String,
    /// The file, relative to the repository root.
    pub file: Option<String>,
    /// Where in the file it starts.
    pub start: Option<Span>,
    /// Where it ends, when the file's text is known.
    pub end: Option<Span>,
    /// The element concerned.
    pub path: Option<String>,
    /// The message, with its help line.
    pub message: String,
}

/// The findings of a lint report, with end positions from the catalog's files.
pub fn from_lint(report: &Report, catalog: &Catalog) -> Vec<Finding> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let end = d.span.and_then(|span| {
                let text = catalog.files.iter().find(|f| f.path == d.file)?;
                (span.end <= text.text.len() && span.end > span.start)
                    .then(|| norm_model::yaml::point(&text.text, span.end))
            });
            Finding {
                severity: d.severity,
                rule: d.rule.to_owned(),
                title: format!("norm {}", d.rule),
                file: Some(d.file.clone()),
                start: d.span,
                end,
                path: d.path.as_ref().map(ToString::to_string),
                message: match &d.help {
                    Some(help) => format!("{}\nhelp: {help}", d.message),
                    None => d.message.clone(),
                },
            }
        })
        .collect()
}

/// The failures of `norm check`, located at the standard's `standard.yaml` when they concern
/// one standard.
pub fn from_gate(failures: &[Failure]) -> Vec<Finding> {
    failures
        .iter()
        .map(|f| Finding {
            severity: Severity::Error,
            rule: format!("norm-check/{}", f.kind),
            title: format!("norm check {}", f.kind),
            file: f
                .standard
                .as_ref()
                .map(|s| format!("standards/{s}/standard.yaml")),
            start: None,
            end: None,
            path: None,
            message: f.message.clone(),
        })
        .collect()
}

/// GitHub Actions workflow commands, one per finding.
pub fn github(findings: &[Finding], out: &mut impl Write) -> std::io::Result<()> {
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = Vec::new();
        if let Some(file) = &f.file {
            properties.push(format!("file={}", escape_property(file)));
        }
        if let Some(span) = f.start {
            properties.push(format!("line={},col={}", span.line, span.column));
        }
        properties.push(format!("title={}", escape_property(&f.title)));
        writeln!(
            out,
            "::{level} {}::{}",
            properties.join(","),
            escape_data(&f.message)
        )?;
    }
    Ok(())
}

/// Escapes the message of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
