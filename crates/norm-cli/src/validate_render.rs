//! The text reports of `norm validate`: human, JSON, CSV, JUnit and GitHub annotations.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use norm_validate::{FileSummary, Issue, IssueKind, IssueSeverity, Report};

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

/// The check only last year's files have: this year, such a file stops the validation.
const FILE: (&str, &str) = (
    "file",
    "A file matches no entity, or holds an entity another file holds.",
);

/// The issues of each rule, structure checks first, in report order.
fn by_rule(issues: &[Issue]) -> Vec<(&str, Vec<&Issue>)> {
    let mut groups: BTreeMap<(IssueKind, &str), Vec<&Issue>> = BTreeMap::new();
    for issue in issues {
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
    match STRUCTURE.iter().chain([&FILE]).find(|(id, _)| *id == rule) {
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
    files(&report.files, out)?;
    groups(&report.issues, paint, out)?;
    if let Some(previous) = &report.previous {
        writeln!(out)?;
        writeln!(out, "{}", paint.bold("Last year's files (--previous):"))?;
        files(&previous.files, out)?;
        groups(&previous.issues, paint, out)?;
    }
    if !report.skipped.is_empty() {
        writeln!(out)?;
        // A statutory return has hundreds of rules, and those that did not run mostly share a
        // reason (a table not supplied, no SQL): one line per reason names their codes, in
        // the order first met, the rules without SQL last. The JSON report keeps each rule with
        // its own reason.
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for skipped in &report.skipped {
            let reason = if skipped.reason.starts_with(norm_validate::UNEXPRESSED) {
                norm_validate::UNEXPRESSED
            } else {
                skipped.reason.as_str()
            };
            match groups.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, codes)) => codes.push(&skipped.rule),
                None => groups.push((reason, vec![&skipped.rule])),
            }
        }
        groups.sort_by_key(|(reason, _)| *reason == norm_validate::UNEXPRESSED);
        for (reason, codes) in groups {
            let label = paint.warning("skipped");
            if reason == norm_validate::UNEXPRESSED {
                writeln!(
                    out,
                    "{label} {} rule{} {reason} (the standard gives each one's reason): {}",
                    codes.len(),
                    if codes.len() == 1 { "" } else { "s" },
                    codes.join(", ")
                )?;
            } else if let [code] = codes[..] {
                writeln!(out, "{label} {code}: {reason}")?;
            } else {
                writeln!(
                    out,
                    "{label} {} rules ({reason}): {}",
                    codes.len(),
                    codes.join(", ")
                )?;
            }
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
    if let Some(previous) = &report.previous {
        writeln!(
            out,
            "last year's files: {} error{}, {} quer{}, not counted above",
            previous.errors,
            if previous.errors == 1 { "" } else { "s" },
            previous.queries,
            if previous.queries == 1 { "y" } else { "ies" },
        )?;
    }
    Ok(())
}

fn files(files: &[FileSummary], out: &mut impl Write) -> Result<()> {
    for file in files {
        writeln!(
            out,
            "  {} -> {} ({} rows)",
            file.path, file.entity, file.rows
        )?;
    }
    Ok(())
}

/// A summary line per rule of `issues`, then the first rows of each.
fn groups(issues: &[Issue], paint: Paint, out: &mut impl Write) -> Result<()> {
    let groups = by_rule(issues);
    if groups.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    for (rule, issues) in &groups {
        let word = match issues[0].severity {
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
    Ok(())
}

/// The report as JSON (architecture.md).
pub fn json(report: &Report, out: &mut impl Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)?;
    Ok(())
}

/// This year's issues, then last year's (`previous` is `true` on those), one a row.
pub fn csv(report: &Report, out: &mut impl Write) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "kind", "rule", "severity", "entity", "file", "row", "line", "cell", "subject", "fields",
        "values", "message", "previous",
    ])?;
    for (issue, previous) in all_issues(report) {
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
            if previous { "true" } else { "false" },
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// Every issue with whether it is of last year's files: this year's first.
fn all_issues(report: &Report) -> impl Iterator<Item = (&Issue, bool)> {
    let previous = report.previous.iter().flat_map(|p| &p.issues);
    report
        .issues
        .iter()
        .map(|i| (i, false))
        .chain(previous.map(|i| (i, true)))
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One JUnit test case: whether it failed, and its XML.
struct Case {
    failed: bool,
    xml: String,
}

/// The test cases of `checks` (`(rule, class)`), each failing with its errors in `issues`.
fn cases<'a>(
    standard: &str,
    issues: &[Issue],
    checks: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<Case> {
    let groups: BTreeMap<&str, Vec<&Issue>> = by_rule(issues).into_iter().collect();
    checks
        .map(|(rule, class)| {
            let issues = groups.get(rule).map_or(&[][..], Vec::as_slice);
            let errors = issues
                .iter()
                .filter(|i| i.severity == IssueSeverity::Error)
                .count();
            let mut xml = format!(
                "    <testcase classname=\"{}.{class}\" name=\"{}\"",
                xml(standard),
                xml(rule)
            );
            if errors == 0 {
                xml.push_str("/>");
            } else {
                let lines: Vec<String> = issues
                    .iter()
                    .map(|i| format!("{}: {} {}", place(i), i.message, values(i)))
                    .collect();
                xml.push_str(&format!(
                    ">\n      <failure message=\"{}\" type=\"error\">{}</failure>\n    </testcase>",
                    self::xml(&format!(
                        "{errors} error{}: {}",
                        if errors == 1 { "" } else { "s" },
                        summary_of(rule, issues)
                    )),
                    self::xml(&lines.join("\n"))
                ));
            }
            Case {
                failed: errors > 0,
                xml,
            }
        })
        .collect()
}

/// JUnit XML: a test case per structure check and per rule that ran, failing with its issues;
/// rules that did not run are skipped test cases. Last year's files have a suite of their own,
/// a test case per structure check.
pub fn junit(report: &Report, out: &mut impl Write) -> Result<()> {
    let checks = STRUCTURE.iter().map(|(id, _)| (*id, "structure"));
    let rules = report.summary.rules.iter().map(|r| (r.as_str(), "rules"));
    let mut this_year = cases(&report.standard, &report.issues, checks.chain(rules));
    for skipped in &report.skipped {
        this_year.push(Case {
            failed: false,
            xml: format!(
                "    <testcase classname=\"{}.rules\" name=\"{}\">\n      <skipped message=\"{}\"/>\n    </testcase>",
                xml(&report.standard),
                xml(&skipped.rule),
                xml(&skipped.reason)
            ),
        });
    }
    let mut suites = vec![(report.standard.clone(), this_year, report.skipped.len())];
    if let Some(previous) = &report.previous {
        let checks = STRUCTURE
            .iter()
            .chain([&FILE])
            .map(|(id, _)| (*id, "previous"));
        suites.push((
            format!("{} (last year's files)", report.standard),
            cases(&report.standard, &previous.issues, checks),
            0,
        ));
    }
    let count = |cases: &[Case]| (cases.len(), cases.iter().filter(|c| c.failed).count());
    let (tests, failures) = suites.iter().fold((0, 0), |(t, f), (_, cases, _)| {
        let (tests, failures) = count(cases);
        (t + tests, f + failures)
    });
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"norm validate\" tests=\"{tests}\" failures=\"{failures}\" skipped=\"{}\">",
        report.skipped.len()
    )?;
    for (name, cases, skipped) in &suites {
        let (tests, failures) = count(cases);
        writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" skipped=\"{skipped}\">",
            xml(name)
        )?;
        for case in cases {
            writeln!(out, "{}", case.xml)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")?;
    Ok(())
}

/// GitHub Actions annotations: an error or warning per issue, at the file and line; those of
/// last year's files say so in their title.
pub fn github(report: &Report, out: &mut impl Write) -> Result<()> {
    let findings: Vec<Finding> = all_issues(report)
        .map(|(i, previous)| Finding {
            severity: match i.severity {
                IssueSeverity::Error => norm_model::Severity::Error,
                IssueSeverity::Query => norm_model::Severity::Warning,
            },
            rule: i.rule.clone(),
            title: match previous {
                true => format!("norm validate {} (last year's file)", i.rule),
                false => format!("norm validate {}", i.rule),
            },
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
