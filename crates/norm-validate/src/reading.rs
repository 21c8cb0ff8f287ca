//! The tables of one validation matched to their entities and read through the structure
//! pass into the engine: this year's files, and last year's (`--previous`) the same way.

use std::collections::{BTreeMap, HashMap, HashSet};

use norm_model::{Catalog, Entity, Standard};

use crate::engine::Engine;
use crate::matching::{MatchedBy, match_table};
use crate::plan::Plan;
use crate::report::{FileSummary, Issue, IssueKind, IssueSeverity, Skipped};
use crate::source::Table;
use crate::structure::{Discard, Pass, RowSink};
use crate::{DataFiles, ValidateError};

/// A table matched to its entity.
pub(crate) struct Matched<'s> {
    pub table: Table,
    pub entity: &'s Entity,
    by: MatchedBy,
}

/// A table that could not be matched: it holds no entity, or an entity another table holds.
pub(crate) struct Unmatched {
    /// The table, as reports name it.
    pub file: String,
    /// The entity it holds, when it holds one already taken.
    pub entity: Option<String>,
    /// What is wrong (naming the other file, for a second file of an entity).
    pub why: String,
}

impl Unmatched {
    /// The problem as an issue of the table, with `then` (what became of it) after it.
    pub fn issue(&self, then: &str) -> Issue {
        Issue {
            kind: IssueKind::Structure,
            rule: "file".to_owned(),
            severity: IssueSeverity::Error,
            entity: self.entity.clone().unwrap_or_default(),
            file: self.file.clone(),
            row: None,
            line: None,
            cell: None,
            fields: Vec::new(),
            item: None,
            values: BTreeMap::new(),
            subject: None,
            message: format!("{}: {then}", self.why),
        }
    }
}

/// Matches every table of `files` to an entity of `standard`, one table an entity: a table
/// that matches none, or an entity already matched, is set aside as [`Unmatched`].
pub(crate) fn match_tables(
    standard: &Standard,
    files: DataFiles,
) -> (Vec<Matched<'_>>, Vec<Unmatched>) {
    let mut matched: Vec<Matched<'_>> = Vec::new();
    let mut unmatched = Vec::new();
    for table in files.tables {
        let Some((i, by)) = match_table(standard, &table.name, &table.headers) else {
            unmatched.push(Unmatched {
                why: format!(
                    "`{}` matches no entity of {} by name or by its headers; the entities are {}",
                    table.name,
                    standard.id(),
                    entity_names(standard)
                ),
                file: table.file,
                entity: None,
            });
            continue;
        };
        let entity = &*standard.entities[i].value;
        if let Some(other) = matched.iter().find(|m| m.entity.name == entity.name) {
            unmatched.push(Unmatched {
                why: format!(
                    "{} and {} both hold {}",
                    other.table.file, table.file, entity.name
                ),
                file: table.file,
                entity: Some(entity.name.clone()),
            });
            continue;
        }
        matched.push(Matched { table, entity, by });
    }
    (matched, unmatched)
}

/// The entities of `standard`, each with its `data.names`, for a message.
fn entity_names(standard: &Standard) -> String {
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
    names.join(", ")
}

/// What reading a set of tables found.
pub(crate) struct Read {
    /// The tables read, in the order given.
    pub files: Vec<FileSummary>,
    /// Their issues, in table and row order.
    pub issues: Vec<Issue>,
    /// The references that could not be checked, their target not supplied.
    pub skipped: Vec<Skipped>,
}

/// Reads every table through the structure pass, referenced tables first, into `engine`'s
/// tables (its `previous` schema when `previous`), or into nothing without one.
pub(crate) fn read_all(
    catalog: &Catalog,
    standard: &Standard,
    tables: &mut [Matched<'_>],
    mut engine: Option<&mut Engine>,
    previous: bool,
) -> Result<Read, ValidateError> {
    let plans = tables
        .iter()
        .map(|m| Plan::new(catalog, standard, m.entity, &m.table))
        .collect::<Result<Vec<_>, _>>()?;
    let supplied: HashSet<String> = tables.iter().map(|m| m.entity.name.clone()).collect();
    let mut pass = Pass::new(&plans);
    let mut rows = vec![0; tables.len()];
    for i in read_order(&plans) {
        let m = &mut tables[i];
        rows[i] = read(
            &mut pass,
            m,
            &plans[i],
            &supplied,
            engine.as_deref_mut(),
            previous,
        )?;
    }
    let mut issues = pass.finish();
    for m in tables.iter() {
        if let Some(note) = m.table.encoding_note() {
            issues.push(encoding_issue(m, note.line));
        }
    }
    let order: HashMap<&str, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, m)| (m.table.file.as_str(), i))
        .collect();
    issues.sort_by_key(|i| (order.get(i.file.as_str()).copied(), i.row));
    let files = tables
        .iter()
        .zip(&rows)
        .map(|(m, rows)| FileSummary {
            path: m.table.file.clone(),
            entity: m.entity.name.clone(),
            rows: *rows,
            matched_by: m.by.as_str(),
        })
        .collect();
    Ok(Read {
        files,
        issues,
        skipped: unchecked_references(&plans, &supplied, previous),
    })
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
fn unchecked_references(
    plans: &[Plan],
    supplied: &HashSet<String>,
    previous: bool,
) -> Vec<Skipped> {
    let (whose, option) = if previous {
        ("last year's ", "no --previous file")
    } else {
        ("", "no file")
    };
    let mut skipped: Vec<Skipped> = plans
        .iter()
        .flat_map(|p| {
            p.references
                .iter()
                .filter(|(_, target, _)| !supplied.contains(target))
                .map(|(field, target, target_field)| Skipped {
                    rule: "reference".to_owned(),
                    reason: format!(
                        "{whose}{}.{} references {target}.{target_field}, and {option} holds {target}",
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
