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
    header(
        by_subject,
        &[
            &noun, "Table", "Row", "Code", "Severity", "Message", "Fields", "Values",
        ],
        &bold,
    )?;
    let mut issues: Vec<&Issue> = report.issues.iter().collect();
    issues.sort_by(|a, b| {
        (a.subject.as_deref(), &a.entity, a.row).cmp(&(b.subject.as_deref(), &b.entity, b.row))
    });
    for (row, issue) in (1_u32..).zip(issues) {
        by_subject.write_string(row, 0, issue.subject.as_deref().unwrap_or(""))?;
        by_subject.write_string(row, 1, &issue.entity)?;
        if let Some(r) = issue.row {
            by_subject.write_number(row, 2, r as f64)?;
        }
        by_subject.write_string(row, 3, &issue.rule)?;
        by_subject.write_string(row, 4, issue.severity.as_str())?;
        by_subject.write_string(row, 5, &issue.message)?;
        by_subject.write_string(row, 6, issue.fields.join(", "))?;
        let values: Vec<String> = issue
            .values
            .iter()
            .map(|(f, v)| format!("{f}={v}"))
            .collect();
        by_subject.write_string(row, 7, values.join(", "))?;
    }
    by_subject.autofit();
    Ok(book.save_to_buffer()?)
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
