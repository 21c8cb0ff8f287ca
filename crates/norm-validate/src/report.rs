//! What a validation finds, as plain data: the report `norm validate` renders in every format.

use std::collections::BTreeMap;

use serde::Serialize;

/// Where an issue comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IssueKind {
    /// A check that comes from the model itself (columns, types, code lists, keys).
    Structure,
    /// One of the standard's validation rules.
    Rule,
}

/// How serious an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IssueSeverity {
    /// The data is rejected.
    Error,
    /// The data must be explained, but is not rejected.
    Query,
}

impl IssueSeverity {
    /// The word reports use, such as `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            IssueSeverity::Error => "error",
            IssueSeverity::Query => "query",
        }
    }
}

/// One problem in the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// `structure` or `rule`.
    pub kind: IssueKind,
    /// The rule's code, or for structure one of `missing-column`, `unknown-column`,
    /// `required`, `type`, `codelist`, `constraint`, `unique`, `primary-key`, `reference`,
    /// `encoding`, and for last year's files `file` (a file matching no entity, or a second
    /// file for one).
    pub rule: String,
    /// `error` or `query`.
    pub severity: IssueSeverity,
    /// The entity the row belongs to.
    pub entity: String,
    /// The file (and for a workbook, `file#sheet`) the row was read from.
    pub file: String,
    /// The 1-based data row (the header is not a row); `None` for a whole column or file.
    pub row: Option<u64>,
    /// The physical line of a CSV file, or the sheet row of a workbook.
    pub line: Option<u64>,
    /// The spreadsheet cell, such as `C7`, for workbooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// The fields the issue is about.
    pub fields: Vec<String>,
    /// For an item of a `multiple` field, its 1-based position in the cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<u64>,
    /// The values of those fields in the row, as written in the file.
    pub values: BTreeMap<String, String>,
    /// The value of the standard's `data.subject` field in the row (the child), when known.
    pub subject: Option<String>,
    /// What is wrong, for the person who produced the file.
    pub message: String,
}

/// A rule that did not run, and why: never reported as passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The rule's code.
    pub rule: String,
    /// Why it did not run, such as `needs previous.episodes`.
    pub reason: String,
}

/// One input table: a CSV file or a workbook's sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    /// The file, as given (a workbook's sheet as `file#sheet`).
    pub path: String,
    /// The entity it was matched to.
    pub entity: String,
    /// Its data rows.
    pub rows: u64,
    /// How it was matched: `name` (`data.names`), `entity` (the entity's name) or `headers`.
    pub matched_by: &'static str,
}

/// Totals of a validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Data rows read, over every file (previous years' files excluded).
    pub rows: u64,
    /// Issues of severity `error`.
    pub errors: usize,
    /// Issues of severity `query`.
    pub queries: usize,
    /// Issues per rule (structure checks by their rule id).
    pub by_rule: BTreeMap<String, usize>,
    /// Every rule of the standard that ran, including those that flagged nothing.
    pub rules: Vec<String>,
}

/// Last year's files (`--previous`), read for the rules that compare with them: what was read
/// and the files' own problems, kept apart from this year's. They do not count towards this
/// year's errors or the exit code: last year's return was sent already, and its problems are
/// shown so that the comparisons can be judged.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Previous {
    /// The files read, in the order given.
    pub files: Vec<FileSummary>,
    /// Their issues: a file that matches no entity (`file`), then each file's structure
    /// issues in file and row order.
    pub issues: Vec<Issue>,
    /// Issues of severity `error`.
    pub errors: usize,
    /// Issues of severity `query`.
    pub queries: usize,
}

/// The result of validating a set of files against one standard.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// The standard's id.
    pub standard: String,
    /// Its version, as declared.
    pub version: Option<String>,
    /// The files read, in the order given.
    pub files: Vec<FileSummary>,
    /// The issues, structure first, then rules; each in file and row order.
    pub issues: Vec<Issue>,
    /// Rules that did not run.
    pub skipped: Vec<Skipped>,
    /// Totals.
    pub summary: Summary,
    /// Last year's files, when they were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Previous>,
}

impl Report {
    /// Fills in [`Report::summary`]'s counts from the issues (the rule list is kept).
    pub(crate) fn tally(&mut self) {
        let summary = &mut self.summary;
        summary.rows = self.files.iter().map(|f| f.rows).sum();
        summary.errors = self
            .issues
            .iter()
            .filter(|i| i.severity == IssueSeverity::Error)
            .count();
        summary.queries = self.issues.len() - summary.errors;
        summary.by_rule.clear();
        for issue in &self.issues {
            *summary.by_rule.entry(issue.rule.clone()).or_default() += 1;
        }
        if let Some(previous) = &mut self.previous {
            previous.errors = previous
                .issues
                .iter()
                .filter(|i| i.severity == IssueSeverity::Error)
                .count();
            previous.queries = previous.issues.len() - previous.errors;
        }
    }

    /// Whether any issue is an error (the exit code is 1 then).
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}
