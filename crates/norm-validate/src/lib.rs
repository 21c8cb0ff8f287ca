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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use norm_model::{Catalog, Entity, Standard};

pub mod dates;
pub mod engine;
mod functions;
mod matching;
mod plan;
mod report;
mod rules;
mod source;
pub mod structure;

pub use plan::Value;
pub use report::{FileSummary, Issue, IssueKind, IssueSeverity, Report, Skipped, Summary};
pub use rules::{RuleDef, UNEXPRESSED};
pub use source::Encoding;

use engine::Engine;
use matching::{MatchedBy, match_table};
use plan::Plan;
use source::Table;
use structure::{Discard, Pass, RowSink};

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

/// A table matched to its entity.
struct Matched<'s> {
    table: Table,
    entity: &'s Entity,
    by: MatchedBy,
}

/// Matches every table to an entity of `standard`, one table an entity.
fn match_all(standard: &Standard, files: DataFiles) -> Result<Vec<Matched<'_>>, ValidateError> {
    let mut matched: Vec<Matched<'_>> = Vec::new();
    for table in files.tables {
        let Some((i, by)) = match_table(standard, &table.name, &table.headers) else {
            let names: Vec<String> = standard
                .entities
                .iter()
                .map(|e| {
                    let entity = &e.value;
                    let data: Vec<&str> = entity
                        .data
                        .iter()
                        .flat_map(|d| d.names.iter().map(String::as_str))
                        .collect();
                    if data.is_empty() {
                        entity.name.clone()
                    } else {
                        format!("{} ({})", entity.name, data.join(", "))
                    }
                })
                .collect();
            return Err(ValidateError::Matching(format!(
                "{}: `{}` matches no entity of {} by name or by its headers; the entities are {}",
                table.file,
                table.name,
                standard.id(),
                names.join(", ")
            )));
        };
        let entity = &*standard.entities[i].value;
        if let Some(other) = matched.iter().find(|m| m.entity.name == entity.name) {
            return Err(ValidateError::Matching(format!(
                "{} and {} both hold {}: give one file for each entity",
                other.table.file, table.file, entity.name
            )));
        }
        matched.push(Matched { table, entity, by });
    }
    Ok(matched)
}

/// Validates `files` (and last year's `previous` files, for rules that compare) against
/// `standard`, which belongs to `catalog` (code lists may live in other standards).
pub fn validate(
    catalog: &Catalog,
    standard: &Standard,
    files: DataFiles,
    previous: Option<DataFiles>,
    options: Options,
) -> Result<Report, ValidateError> {
    let mut tables = match_all(standard, files)?;
    let mut previous = previous
        .map(|p| match_all(standard, p))
        .transpose()?
        .unwrap_or_default();
    let plans = tables
        .iter()
        .map(|m| Plan::new(catalog, standard, m.entity, &m.table))
        .collect::<Result<Vec<_>, _>>()?;
    let mut engine = match options.structure_only {
        true => None,
        false => {
            let engine = Engine::new()?;
            for entity in &standard.entities {
                engine.create(&entity.value, false)?;
                engine.create(&entity.value, true)?;
            }
            Some(engine)
        }
    };
    let supplied: HashSet<String> = tables.iter().map(|m| m.entity.name.clone()).collect();
    let mut report = Report {
        standard: standard.id().to_owned(),
        version: standard.meta.as_ref().and_then(|m| m.value.version.clone()),
        ..Report::default()
    };
    let mut pass = Pass::new(&plans);
    let mut rows = vec![0; tables.len()];
    for i in read_order(&plans) {
        let m = &mut tables[i];
        rows[i] = read(&mut pass, m, &plans[i], &supplied, engine.as_mut(), false)?;
    }
    let mut issues = pass.finish();
    for m in &tables {
        if let Some(note) = m.table.encoding_note() {
            issues.push(encoding_issue(m, note.line));
        }
    }
    // Last year's files are loaded as far as they type; their own problems are last year's.
    if let Some(engine) = engine.as_mut() {
        let supplied_before: HashSet<String> =
            previous.iter().map(|m| m.entity.name.clone()).collect();
        for m in &mut previous {
            let plan = Plan::new(catalog, standard, m.entity, &m.table)?;
            let mut ignored = Pass::new([&plan]);
            read(&mut ignored, m, &plan, &supplied_before, Some(engine), true)?;
        }
    }
    let order: HashMap<&str, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, m)| (m.table.file.as_str(), i))
        .collect();
    issues.sort_by_key(|i| (order.get(i.file.as_str()).copied(), i.row));
    report.files = tables
        .iter()
        .zip(&rows)
        .map(|(m, rows)| FileSummary {
            path: m.table.file.clone(),
            entity: m.entity.name.clone(),
            rows: *rows,
            matched_by: m.by.as_str(),
        })
        .collect();
    report.skipped = unchecked_references(&plans, &supplied);
    report.issues = issues;
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

/// Reads one table through the structure pass into the engine (when there is one).
fn read(
    pass: &mut Pass,
    m: &mut Matched<'_>,
    plan: &Plan,
    supplied: &HashSet<String>,
    engine: Option<&mut Engine>,
    previous: bool,
) -> Result<u64, ValidateError> {
    match engine {
        None => pass.table(&mut m.table, plan, supplied, &mut Discard),
        Some(engine) => {
            let mut loader = engine.loader(m.entity, previous)?;
            let rows = pass.table(
                &mut m.table,
                plan,
                supplied,
                &mut loader as &mut dyn RowSink,
            )?;
            loader.finish()?;
            Ok(rows)
        }
    }
}

/// The order to read tables in: referenced tables first, so a reference is checked as its row
/// is read (a cycle of references is settled at the end).
fn read_order(plans: &[Plan]) -> Vec<usize> {
    let index: HashMap<&str, usize> = plans
        .iter()
        .enumerate()
        .map(|(i, p)| (p.entity.as_str(), i))
        .collect();
    let mut depth = vec![0_usize; plans.len()];
    // Longest chains settle within as many rounds as there are tables.
    for _ in 0..plans.len() {
        for (i, plan) in plans.iter().enumerate() {
            for (_, target, _) in &plan.references {
                if let Some(&t) = index.get(target.as_str())
                    && t != i
                {
                    depth[i] = depth[i].max((depth[t] + 1).min(plans.len()));
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..plans.len()).collect();
    order.sort_by_key(|&i| depth[i]);
    order
}

/// The references that could not be checked, their target not supplied.
fn unchecked_references(plans: &[Plan], supplied: &HashSet<String>) -> Vec<Skipped> {
    let mut skipped: Vec<Skipped> = plans
        .iter()
        .flat_map(|p| {
            p.references
                .iter()
                .filter(|(_, target, _)| !supplied.contains(target))
                .map(|(field, target, target_field)| Skipped {
                    rule: "reference".to_owned(),
                    reason: format!(
                        "{}.{} references {target}.{target_field}, and no file holds {target}",
                        p.entity, p.fields[*field].name
                    ),
                })
        })
        .collect();
    skipped.dedup();
    skipped
}

fn encoding_issue(m: &Matched<'_>, line: u64) -> Issue {
    Issue {
        kind: IssueKind::Structure,
        rule: "encoding".to_owned(),
        severity: IssueSeverity::Error,
        entity: m.entity.name.clone(),
        file: m.table.file.clone(),
        row: None,
        line: Some(line),
        cell: None,
        fields: Vec::new(),
        item: None,
        values: BTreeMap::new(),
        subject: None,
        message: "the file is not UTF-8 (first on this line); it was read as Windows-1252, which \
                  case-management systems often export: save it as UTF-8, or declare \
                  --encoding windows-1252"
            .to_owned(),
    }
}
