//! The text reports of `norm validate`: human, JSON, CSV, JUnit and GitHub annotations.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use norm_validate::{Issue, IssueKind, IssueSeverity, Report, Skipped};

use crate::findings::{Finding, github as annotations};
use crate::render::Paint;

/// Rows shown under each rule in the human report.
const FIRST_ROWS: usize = 5;

/// The structure checks, each with the summary line the human and JUnit reports give it.
const STRUCTURE: [(&str, &str); 10] = [
    ("encoding", "The file is not in the declared encoding."),
    ("missing-column", "A column of the entity is missing."),
    ("unknown-column", "A column is not a field of the entity."),
    ("required", "A required value is empty."),
    ("type", "A value is not of its field's type."),
    ("codelist", "A value is not a code of its list."),
    ("constraint", "A value breaks a constraint of its field."),
    ("unique", "A value that must be unique is repeated."),
    ("primary-key", "A primary key is empty or repeated."),
    (
        "reference",
        "A value refers to a row that is not in the files.",
    ),
];

/// The issues of each rule, structure checks first, in report order.
fn by_rule(report: &Report) -> Vec<(&str, Vec<&Issue>)> {
    let mut groups: BTreeMap<(IssueKind, &str), Vec<&Issue>> = BTreeMap::new();
    for issue in &report.issues {
        groups
            .entry((issue.kind, issue.rule.as_str()))
            .or_default()
            .push(issue);
    }
    groups
        .into_iter()
        .map(|((_, rule), issues)| (rule, issues))
        .collect()
}

/// The summary line of a rule: a structure check's description, or a rule's own message.
fn summary_of<'a>(rule: &str, issues: &[&'a Issue]) -> &'a str {
    match STRUCTURE.iter().find(|(id, _)| *id == rule) {
        Some((_, text))
            if issues
                .first()
                .is_some_and(|i| i.kind == IssueKind::Structure) =>
        {
            text
        }
        _ => issues.first().map_or("", |i| i.message.as_str()),
    }
}

fn place(issue: &Issue) -> String {
    let mut place = issue.file.clone();
    if let Some(row) = issue.row {
        place.push_str(&format!(" row {row}"));
    }
    match (&issue.cell, issue.line) {
        (Some(cell), _) => place.push_str(&format!(" (cell {cell})")),
        (None, Some(line)) => place.push_str(&format!(" (line {line})")),
        _ => {}
    }
    place
}

fn values(issue: &Issue) -> String {
    let pairs: Vec<String> = issue
        .values
        .iter()
        .map(|(f, v)| format!("{f}={v}"))
        .collect();
    pairs.join(", ")
}

/// A summary per rule (code, severity, count, message), then the first rows of each.
pub fn human(report: &Report, styled: bool, out: &mut impl Write) -> Result<()> {
    let paint = Paint(styled);
    let version = report.version.as_deref().unwrap_or("(no version)");
    writeln!(out, "{} {version}", paint.bold(&report.standard))?;
    for file in &report.files {
        writeln!(
            out,
            "  {} -> {} ({} rows)",
            file.path, file.entity, file.rows
        )?;
    }
    let groups = by_rule(report);
    if !groups.is_empty() {
        writeln!(out)?;
        for (rule, issues) in &groups {
            let severity = issues[0].severity;
            let word = match severity {
                IssueSeverity::Error => paint.error("error"),
                IssueSeverity::Query => paint.warning("query"),
            };
            writeln!(
                out,
                "{word} {rule:>14} {:>6}  {}",
                issues.len(),
                summary_of(rule, issues)
            )?;
        }
        for (rule, issues) in &groups {
            writeln!(out)?;
            writeln!(out, "{}: {}", paint.bold(rule), summary_of(rule, issues))?;
            for issue in issues.iter().take(FIRST_ROWS) {
                let shown = values(issue);
                let message = if issue.kind == IssueKind::Structure {
                    issue.message.as_str()
                } else {
                    ""
                };
                let detail: Vec<&str> = [message, shown.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                writeln!(out, "  {}: {}", place(issue), detail.join("; "))?;
            }
            if issues.len() > FIRST_ROWS {
                writeln!(out, "  ... and {} more", issues.len() - FIRST_ROWS)?;
            }
        }
    }
    if !report.skipped.is_empty() {
        writeln!(out)?;
        // Rules the standard documents without SQL are many in a statutory return: one line
        // names them all, and their reasons are in the JSON report and on the rules page.
        let (unexpressed, others): (Vec<&Skipped>, Vec<&Skipped>) = report
            .skipped
            .iter()
            .partition(|s| s.reason.starts_with(norm_validate::UNEXPRESSED));
        for skipped in others {
            writeln!(
                out,
                "{} {}: {}",
                paint.warning("skipped"),
                skipped.rule,
                skipped.reason
            )?;
        }
        if !unexpressed.is_empty() {
            let codes: Vec<&str> = unexpressed.iter().map(|s| s.rule.as_str()).collect();
            writeln!(
                out,
                "{} {} rule{} {} (the standard gives each one's reason): {}",
                paint.warning("skipped"),
                codes.len(),
                if codes.len() == 1 { "" } else { "s" },
                norm_validate::UNEXPRESSED,
                codes.join(", ")
            )?;
        }
    }
    let s = &report.summary;
    writeln!(out)?;
    writeln!(
        out,
        "{} error{}, {} quer{} in {} rows; {} rule{} ran, {} skipped",
        s.errors,
        if s.errors == 1 { "" } else { "s" },
        s.queries,
        if s.queries == 1 { "y" } else { "ies" },
        s.rows,
        s.rules.len(),
        if s.rules.len() == 1 { "" } else { "s" },
        report.skipped.len()
    )?;
    Ok(())
}

/// The report as JSON (architecture.md).
pub fn json(report: &Report, out: &mut impl Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)?;
    Ok(())
}

/// One issue a row.
pub fn csv(report: &Report, out: &mut impl Write) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "kind", "rule", "severity", "entity", "file", "row", "line", "cell", "subject", "fields",
        "values", "message",
    ])?;
    for issue in &report.issues {
        let number = |n: Option<u64>| n.map_or_else(String::new, |n| n.to_string());
        writer.write_record([
            match issue.kind {
                IssueKind::Structure => "structure",
                IssueKind::Rule => "rule",
            },
            &issue.rule,
            issue.severity.as_str(),
            &issue.entity,
            &issue.file,
            &number(issue.row),
            &number(issue.line),
            issue.cell.as_deref().unwrap_or(""),
            issue.subject.as_deref().unwrap_or(""),
            &issue.fields.join(" "),
            &values(issue),
            &issue.message,
        ])?;
    }
    writer.flush()?;
    Ok(())
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JUnit XML: a test case per structure check and per rule that ran, failing with its issues;
/// rules that did not run are skipped test cases.
pub fn junit(report: &Report, out: &mut impl Write) -> Result<()> {
    let groups: BTreeMap<&str, Vec<&Issue>> = by_rule(report).into_iter().collect();
    let mut cases = Vec::new();
    let checks = STRUCTURE.iter().map(|(id, _)| (*id, "structure"));
    let rules = report.summary.rules.iter().map(|r| (r.as_str(), "rules"));
    for (rule, class) in checks.chain(rules) {
        let issues = groups.get(rule).map_or(&[][..], Vec::as_slice);
        let errors = issues
            .iter()
            .filter(|i| i.severity == IssueSeverity::Error)
            .count();
        let mut case = format!(
            "    <testcase classname=\"{}.{class}\" name=\"{}\"",
            xml(&report.standard),
            xml(rule)
        );
        if errors == 0 {
            case.push_str("/>");
        } else {
            let lines: Vec<String> = issues
                .iter()
                .map(|i| format!("{}: {} {}", place(i), i.message, values(i)))
                .collect();
            case.push_str(&format!(
                ">\n      <failure message=\"{}\" type=\"error\">{}</failure>\n    </testcase>",
                xml(&format!(
                    "{errors} error{}: {}",
                    if errors == 1 { "" } else { "s" },
                    summary_of(rule, issues)
                )),
                xml(&lines.join("\n"))
            ));
        }
        cases.push((errors > 0, case));
    }
    for skipped in &report.skipped {
        cases.push((false, format!(
            "    <testcase classname=\"{}.rules\" name=\"{}\">\n      <skipped message=\"{}\"/>\n    </testcase>",
            xml(&report.standard),
            xml(&skipped.rule),
            xml(&skipped.reason)
        )));
    }
    let failures = cases.iter().filter(|(failed, _)| *failed).count();
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"norm validate\" tests=\"{}\" failures=\"{failures}\" skipped=\"{}\">",
        cases.len(),
        report.skipped.len()
    )?;
    writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{}\">",
        xml(&report.standard),
        cases.len(),
        report.skipped.len()
    )?;
    for (_, case) in cases {
        writeln!(out, "{case}")?;
    }
    writeln!(out, "  </testsuite>\n</testsuites>")?;
    Ok(())
}

/// GitHub Actions annotations: an error or warning per issue, at the file and line.
pub fn github(report: &Report, out: &mut impl Write) -> Result<()> {
    let findings: Vec<Finding> = report
        .issues
        .iter()
        .map(|i| Finding {
            severity: match i.severity {
                IssueSeverity::Error => norm_model::Severity::Error,
                IssueSeverity::Query => norm_model::Severity::Warning,
            },
            rule: i.rule.clone(),
            title: format!("norm validate {}", i.rule),
            file: Some(i.file.clone()),
            start: i.line.map(|line| norm_model::Span {
                start: 0,
                end: 0,
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: 1,
            }),
            end: None,
            path: None,
            message: match (i.row, values(i)) {
                (Some(row), v) if !v.is_empty() => format!("{} (row {row}: {v})", i.message),
                (Some(row), _) => format!("{} (row {row})", i.message),
                (None, _) => i.message.clone(),
            },
        })
        .collect();
    annotations(&findings, out)?;
    Ok(())
}
