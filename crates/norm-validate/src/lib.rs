//! Data files checked against a standard (`norm validate`).
//!
//! Validation runs in two parts. The structure pass ([`structure`]) reads each file once,
//! streaming, and checks what the model says: columns, required fields, types (dates in the
//! standard's `data.date_format`), code lists, constraints, unique and primary keys and
//! references between the supplied files. It needs no SQL, so it can run on its own. Its typed
//! rows fill the tables of an in-memory SQLite database ([`engine`]), where the standard's
//! validation rules run as SQL.
//!
//! Findings are data: [`validate`] returns a [`Report`]; an `Err` means the validation could
//! not run (a file that cannot be read, a table that matches no entity).

use std::collections::BTreeMap;
use std::path::PathBuf;

use norm_model::{Catalog, Standard};

pub mod dates;
pub mod engine;
mod functions;
mod keys;
mod matching;
mod plan;
mod reading;
mod report;
mod rules;
mod source;
pub mod structure;

pub use plan::Value;
pub use report::{
    FileSummary, Issue, IssueKind, IssueSeverity, Previous, Report, Skipped, Summary,
};
pub use rules::{RuleDef, UNEXPRESSED};
pub use source::Encoding;

use engine::Engine;
use matching::match_table;
use reading::{match_tables, read_all};
use source::Table;

/// Why a validation could not run.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// A file could not be opened or read.
    #[error("{file}: {error}")]
    Io {
        /// The file.
        file: String,
        /// What went wrong.
        error: String,
    },
    /// A file was read but cannot be understood as a table.
    #[error("{file}{}: {why}", if place.is_empty() { String::new() } else { format!(", {place}") })]
    Unreadable {
        /// The file.
        file: String,
        /// The line or cell, such as `line 4` or `sheet Episodes, cell B3`.
        place: String,
        /// What is wrong and how to fix it.
        why: String,
    },
    /// The files do not match the standard's entities one to one.
    #[error("{0}")]
    Matching(String),
    /// The standard cannot be used to validate (a code list that does not resolve, say).
    #[error("standard {standard}: {why}")]
    Standard {
        /// The standard's id.
        standard: String,
        /// What is wrong.
        why: String,
    },
    /// The SQL engine failed outside any rule.
    #[error("the SQL engine failed: {0}")]
    Engine(String),
}

/// Data files with their header rows read, ready to be matched to a standard.
pub struct DataFiles {
    tables: Vec<Table>,
}

impl DataFiles {
    /// Opens every file: a CSV file is one table, a workbook (`.xlsx`, `.xlsm`, `.ods`) one
    /// table per sheet. CSV files are read in `encoding`.
    pub fn open(paths: &[PathBuf], encoding: Encoding) -> Result<DataFiles, ValidateError> {
        let mut tables = Vec::new();
        for path in paths {
            tables.extend(source::open(path, encoding)?);
        }
        Ok(DataFiles { tables })
    }

    /// How many tables the files hold.
    pub fn len(&self) -> usize {
        self.tables.len()
    }

    /// Whether the files hold no table.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }
}

/// What to run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Check structure only: no SQL engine, no rules (every rule is reported as skipped).
    pub structure_only: bool,
    /// How many connections run the rules at once, each with a copy of the tables; `None`:
    /// one a core (at most four) when the tables are small enough to copy, else one.
    pub connections: Option<usize>,
}

/// The standard of `catalog` whose entities match every table of `files`.
pub fn standard_for<'c>(
    catalog: &'c Catalog,
    files: &DataFiles,
) -> Result<&'c Standard, ValidateError> {
    let matches = |s: &Standard| {
        files
            .tables
            .iter()
            .filter(|t| match_table(s, &t.name, &t.headers).is_some())
            .count()
    };
    let all: Vec<&Standard> = catalog
        .standards
        .values()
        .filter(|s| matches(s) == files.tables.len())
        .collect();
    match all.as_slice() {
        [only] => Ok(only),
        [] => {
            let names: Vec<&str> = files.tables.iter().map(|t| t.file.as_str()).collect();
            Err(ValidateError::Matching(format!(
                "no standard has an entity for each of {}: name one with --standard",
                names.join(", ")
            )))
        }
        several => {
            let ids: Vec<&str> = several.iter().map(|s| s.id()).collect();
            Err(ValidateError::Matching(format!(
                "the files match the entities of several standards ({}): name one with --standard",
                ids.join(", ")
            )))
        }
    }
}

/// Validates `files` (and last year's `previous` files, for rules that compare) against
/// `standard`, which belongs to `catalog` (code lists may live in other standards).
///
/// Last year's files are checked like this year's, and their problems reported apart
/// ([`Report::previous`]): one that matches no entity is an issue there, not an error of the
/// validation, and the rules that would read it are skipped.
pub fn validate(
    catalog: &Catalog,
    standard: &Standard,
    files: DataFiles,
    previous: Option<DataFiles>,
    options: Options,
) -> Result<Report, ValidateError> {
    let (mut tables, unmatched) = match_tables(standard, files);
    if let Some(first) = unmatched.first() {
        return Err(ValidateError::Matching(match first.entity {
            Some(_) => format!("{}: give one file for each entity", first.why),
            None => format!("{}: {}", first.file, first.why),
        }));
    }
    let mut engine = match options.structure_only {
        true => None,
        false => {
            let mut engine = Engine::new()?;
            engine.set_connections(options.connections);
            for entity in &standard.entities {
                engine.create(&entity.value, false)?;
                engine.create(&entity.value, true)?;
            }
            Some(engine)
        }
    };
    let read = read_all(catalog, standard, &mut tables, engine.as_mut(), false)?;
    let mut report = Report {
        standard: standard.id().to_owned(),
        version: standard.meta.as_ref().and_then(|m| m.value.version.clone()),
        files: read.files,
        issues: read.issues,
        skipped: read.skipped,
        ..Report::default()
    };
    if let Some(files) = previous {
        let (mut tables, unmatched) = match_tables(standard, files);
        let read = read_all(catalog, standard, &mut tables, engine.as_mut(), true)?;
        let mut issues: Vec<Issue> = unmatched
            .iter()
            .map(|u| match u.entity {
                Some(_) => u.issue("only the first is read"),
                None => u.issue("it is not read"),
            })
            .collect();
        issues.extend(read.issues);
        report.skipped.extend(read.skipped);
        report.previous = Some(Previous {
            files: read.files,
            issues,
            ..Previous::default()
        });
    }
    let subject = standard
        .meta
        .as_ref()
        .and_then(|m| m.value.data.as_ref())
        .and_then(|d| d.subject.clone());
    let files: BTreeMap<String, String> = tables
        .iter()
        .map(|m| (m.entity.name.clone(), m.table.file.clone()))
        .collect();
    rules::run_standard(
        &mut report,
        standard,
        engine.as_ref(),
        &files,
        subject.as_deref(),
    );
    report.tally();
    Ok(report)
}
