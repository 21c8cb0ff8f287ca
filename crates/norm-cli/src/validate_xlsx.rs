//! The workbook report of `norm validate`, in the layout local authorities know from the
//! SSDA903 validator: an error summary sheet, and every issue by child (the standard's
//! `data.subject`), with its table, row, code, message, fields and values.

use std::collections::BTreeMap;

use anyhow::Result;
use norm_model::Standard;
use norm_validate::{Issue, Report};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

/// The workbook's bytes.
pub fn workbook(report: &Report, standard: &Standard) -> Result<Vec<u8>> {
    let subject = standard
        .meta
        .as_ref()
        .and_then(|m| m.value.data.as_ref())
        .and_then(|d| d.subject.clone());
    let bold = Format::new().set_bold();
    let mut book = Workbook::new();

    let summary = book.add_worksheet();
    summary.set_name("Error summary")?;
    header(
        summary,
        &["Code", "Severity", "Description", "Count"],
        &bold,
    )?;
    let mut counts: BTreeMap<&str, (&Issue, u32)> = BTreeMap::new();
    for issue in &report.issues {
        counts.entry(&issue.rule).or_insert((issue, 0)).1 += 1;
    }
    for (row, (code, (first, count))) in (1_u32..).zip(&counts) {
        summary.write_string(row, 0, *code)?;
        summary.write_string(row, 1, first.severity.as_str())?;
        summary.write_string(row, 2, &first.message)?;
        summary.write_number(row, 3, *count)?;
    }
    summary.autofit();

    // The sheet is named after the subject as the 903 validator names it: "Child summary".
    let noun = subject
        .as_deref()
        .map_or_else(|| "Row".to_owned(), capitalised);
    let by_subject = book.add_worksheet();
    by_subject.set_name(format!("{noun} summary"))?;
    issue_sheet(by_subject, &noun, &report.issues, &bold)?;
    // Last year's files have their own sheet, so that their problems are never read as this
    // year's.
    if let Some(previous) = &report.previous {
        let sheet = book.add_worksheet();
        sheet.set_name("Last year's files")?;
        issue_sheet(sheet, &noun, &previous.issues, &bold)?;
    }
    Ok(book.save_to_buffer()?)
}

/// Every issue of `issues`, a row each, sorted by subject (`noun`), table and row.
fn issue_sheet(sheet: &mut Worksheet, noun: &str, issues: &[Issue], bold: &Format) -> Result<()> {
    header(
        sheet,
        &[
            noun, "Table", "Row", "Code", "Severity", "Message", "Fields", "Values",
        ],
        bold,
    )?;
    let mut issues: Vec<&Issue> = issues.iter().collect();
    issues.sort_by(|a, b| {
        (a.subject.as_deref(), &a.entity, a.row).cmp(&(b.subject.as_deref(), &b.entity, b.row))
    });
    for (row, issue) in (1_u32..).zip(issues) {
        sheet.write_string(row, 0, issue.subject.as_deref().unwrap_or(""))?;
        sheet.write_string(row, 1, &issue.entity)?;
        if let Some(r) = issue.row {
            sheet.write_number(row, 2, r as f64)?;
        }
        sheet.write_string(row, 3, &issue.rule)?;
        sheet.write_string(row, 4, issue.severity.as_str())?;
        sheet.write_string(row, 5, &issue.message)?;
        sheet.write_string(row, 6, issue.fields.join(", "))?;
        let values: Vec<String> = issue
            .values
            .iter()
            .map(|(f, v)| format!("{f}={v}"))
            .collect();
        sheet.write_string(row, 7, values.join(", "))?;
    }
    sheet.autofit();
    Ok(())
}

fn header(sheet: &mut Worksheet, names: &[&str], bold: &Format) -> Result<()> {
    for (column, name) in (0_u16..).zip(names) {
        sheet.write_string_with_format(0, column, *name, bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
