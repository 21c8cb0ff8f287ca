//! The rules engine: SQLite (bundled, in memory). Each entity is a typed table with `_row`;
//! last year's files go into a second schema, `previous`. Row-level `check` rules are batched
//! into one scan per entity; `select` rules run one query each.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use norm_model::{Entity, Field, FieldType};
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, Statement};

use crate::ValidateError;
use crate::plan::Value;
use crate::structure::RowSink;

/// A rule as the engine runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    /// The rule's code.
    pub code: String,
    /// The entity whose rows it reports.
    pub entity: String,
    /// Its SQL.
    pub sql: Sql,
}

/// A rule's SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sql {
    /// A boolean expression over one row of the entity: the row fails when it is FALSE.
    Check(String),
    /// A query returning the `_row` of each failing row.
    Select(String),
}

/// The outcome of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It ran: the `_row`s that failed, in order.
    Failed(Vec<u64>),
    /// It did not run, for this reason.
    Skipped(String),
}

/// The page cache of each schema, in KiB: a whole LA's return and a million episodes fit in
/// it, larger files spill to a temporary file.
pub const CACHE_KIB: u32 = 256 * 1024;

/// A SQLite database holding the typed tables of one validation.
pub struct Engine {
    connection: Connection,
    /// Tables that hold a supplied file: `episodes` or `previous.episodes`.
    supplied: BTreeSet<String>,
}

fn engine_error(e: rusqlite::Error) -> ValidateError {
    ValidateError::Engine(e.to_string())
}

/// Quotes an SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Engine {
    /// An empty database with the documented functions and the `previous` schema.
    ///
    /// Both schemas are SQLite's private temporary databases (an empty file name): held in
    /// memory up to [`CACHE_KIB`] each, then spilled to a temporary file deleted on close, so
    /// that a file of any size is validated in bounded memory.
    pub fn new() -> Result<Engine, ValidateError> {
        let connection = Connection::open("").map_err(engine_error)?;
        connection
            .execute_batch(&format!(
                "ATTACH DATABASE '' AS previous; \
                 PRAGMA main.journal_mode = OFF; PRAGMA previous.journal_mode = OFF; \
                 PRAGMA synchronous = OFF; \
                 PRAGMA main.cache_size = -{CACHE_KIB}; PRAGMA previous.cache_size = -{CACHE_KIB};"
            ))
            .map_err(engine_error)?;
        crate::functions::register(&connection).map_err(engine_error)?;
        Ok(Engine {
            connection,
            supplied: BTreeSet::new(),
        })
    }

    /// Creates the table of `entity` (in `previous` when `previous`), empty: every entity has
    /// one, so a rule's SQL compiles whatever was supplied.
    pub fn create(&self, entity: &Entity, previous: bool) -> Result<(), ValidateError> {
        let schema = if previous { "previous" } else { "main" };
        let columns: Vec<String> = entity
            .fields
            .iter()
            .map(|f| format!("{} {}", quoted(&f.name), sql_type(f)))
            .collect();
        let sql = format!(
            "CREATE TABLE {schema}.{} (_row INTEGER PRIMARY KEY, _line INTEGER{}{})",
            quoted(&entity.name),
            if columns.is_empty() { "" } else { ", " },
            columns.join(", ")
        );
        self.connection.execute_batch(&sql).map_err(engine_error)
    }

    /// A sink that loads the rows of `entity`'s supplied file, inside one transaction.
    pub fn loader(&mut self, entity: &Entity, previous: bool) -> Result<Loader<'_>, ValidateError> {
        let name = if previous {
            format!("previous.{}", entity.name)
        } else {
            entity.name.clone()
        };
        self.supplied.insert(name.clone());
        self.connection
            .execute_batch("BEGIN")
            .map_err(engine_error)?;
        let schema = if previous { "previous" } else { "main" };
        let marks = vec!["?"; entity.fields.len() + 2].join(", ");
        let statement = self
            .connection
            .prepare(&format!(
                "INSERT INTO {schema}.{} VALUES ({marks})",
                quoted(&entity.name)
            ))
            .map_err(engine_error)?;
        // Rules look a child's rows up by key (`NOT EXISTS (... WHERE f.child = e.child AND
        // f.decom < e.decom)`): without an index such a rule is quadratic in the rows.
        let index = (!entity.primary_key.is_empty()).then(|| {
            let columns: Vec<String> = entity.primary_key.iter().map(|c| quoted(c)).collect();
            format!(
                "CREATE INDEX {schema}.{} ON {}({})",
                quoted(&format!("{}_primary_key", entity.name)),
                quoted(&entity.name),
                columns.join(", ")
            )
        });
        Ok(Loader {
            statement,
            connection: &self.connection,
            index,
        })
    }

    /// Runs `rules`, row-level checks batched per entity. Results are in the order of `rules`.
    pub fn run(&self, rules: &[RuleSpec]) -> Vec<Outcome> {
        let mut outcomes: Vec<Option<Outcome>> = vec![None; rules.len()];
        let mut batches: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
        for (i, rule) in rules.iter().enumerate() {
            let probe = match &rule.sql {
                Sql::Check(check) => format!(
                    "SELECT _row FROM {} WHERE ({check}) IS FALSE",
                    quoted(&rule.entity)
                ),
                Sql::Select(select) => select.clone(),
            };
            // Preparing the statement says which tables it reads, and whether it compiles.
            match self.tables_read(&probe) {
                Err(e) => outcomes[i] = Some(Outcome::Skipped(does_not_run(&e))),
                Ok(tables) => {
                    // The rule reports rows of its entity, so it needs that table too.
                    let missing: BTreeSet<&str> = tables
                        .iter()
                        .chain(std::iter::once(&rule.entity))
                        .filter(|t| !self.supplied.contains(*t))
                        .map(String::as_str)
                        .collect();
                    if !missing.is_empty() {
                        let names: Vec<&str> = missing.into_iter().collect();
                        outcomes[i] = Some(Outcome::Skipped(format!("needs {}", names.join(", "))));
                    } else if let Sql::Select(select) = &rule.sql {
                        outcomes[i] =
                            Some(self.rows(select, 0).map_or_else(
                                |e| Outcome::Skipped(does_not_run(&e)),
                                Outcome::Failed,
                            ));
                    } else {
                        batches.entry(&rule.entity).or_default().push(i);
                    }
                }
            }
        }
        for (entity, members) in batches {
            for (i, failed) in self.batch(entity, rules, &members) {
                outcomes[i] = Some(failed);
            }
        }
        outcomes
            .into_iter()
            .map(|o| o.unwrap_or_else(|| Outcome::Skipped("not run".to_owned())))
            .collect()
    }

    /// One scan of `entity` for the check rules `members`: a flag column per rule.
    fn batch(&self, entity: &str, rules: &[RuleSpec], members: &[usize]) -> Vec<(usize, Outcome)> {
        let flags: Vec<String> = members
            .iter()
            .filter_map(|&i| match &rules[i].sql {
                Sql::Check(check) => Some(format!("({check}) IS FALSE")),
                Sql::Select(_) => None,
            })
            .collect();
        let sql = format!(
            "SELECT _row, {} FROM {} WHERE {}",
            flags.join(", "),
            quoted(entity),
            flags.join(" OR ")
        );
        let mut failed: Vec<Vec<u64>> = vec![Vec::new(); members.len()];
        let mut scan = || -> rusqlite::Result<()> {
            let mut statement = self.connection.prepare(&sql)?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let at: i64 = row.get(0)?;
                for (j, list) in failed.iter_mut().enumerate() {
                    if row.get::<_, bool>(j + 1)? {
                        list.push(at as u64);
                    }
                }
            }
            Ok(())
        };
        match scan() {
            Ok(()) => members
                .iter()
                .copied()
                .zip(failed.into_iter().map(Outcome::Failed))
                .collect(),
            Err(e) => members
                .iter()
                .map(|&i| (i, Outcome::Skipped(does_not_run(&e))))
                .collect(),
        }
    }

    /// The integers of column `column` of every row of `sql`.
    fn rows(&self, sql: &str, column: usize) -> rusqlite::Result<Vec<u64>> {
        let mut statement = self.connection.prepare(sql)?;
        let rows = statement.query_map([], |r| r.get::<_, Option<i64>>(column))?;
        let mut out: Vec<u64> = rows
            .filter_map(|r| r.transpose())
            .map(|r| r.map(|v| v as u64))
            .collect::<rusqlite::Result<_>>()?;
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// The tables (`entity` or `previous.entity`) that `sql` reads, found as SQLite prepares it.
    fn tables_read(&self, sql: &str) -> rusqlite::Result<BTreeSet<String>> {
        let seen = Arc::new(Mutex::new(BTreeSet::new()));
        let record = Arc::clone(&seen);
        self.connection
            .authorizer(Some(move |context: AuthContext<'_>| {
                if let AuthAction::Read { table_name, .. } = context.action
                    && let Ok(mut seen) = record.lock()
                {
                    let table = match context.database_name {
                        Some("previous") => format!("previous.{table_name}"),
                        _ => table_name.to_owned(),
                    };
                    seen.insert(table);
                }
                Authorization::Allow
            }));
        let prepared = self.connection.prepare(sql).map(|_| ());
        self.connection
            .authorizer(None::<fn(AuthContext<'_>) -> Authorization>);
        prepared?;
        let tables = seen.lock().map(|s| s.clone()).unwrap_or_default();
        Ok(tables)
    }

    /// The values of `columns` (and of `subject`) in row `row` of `entity`, as text, with the
    /// row's physical line. A column the table does not have has no value: SQLite would read
    /// its quoted name as a string, and report the name as the value.
    pub fn row_values(
        &self,
        entity: &str,
        row: u64,
        columns: &[String],
    ) -> Option<(u64, Vec<Option<String>>)> {
        let known = self.columns_of(entity)?;
        let list: Vec<String> = std::iter::once("_line".to_owned())
            .chain(columns.iter().map(|c| match known.contains(c) {
                true => quoted(c),
                false => "NULL".to_owned(),
            }))
            .collect();
        let sql = format!(
            "SELECT {} FROM {} WHERE _row = ?",
            list.join(", "),
            quoted(entity)
        );
        let mut statement = self.connection.prepare_cached(&sql).ok()?;
        statement
            .query_row([row as i64], |r| {
                let line: i64 = r.get(0)?;
                let values = (1..=columns.len())
                    .map(|i| r.get_ref(i).map(text_of))
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((line as u64, values))
            })
            .ok()
    }

    /// The columns of the table of `entity`.
    fn columns_of(&self, entity: &str) -> Option<BTreeSet<String>> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT name FROM pragma_table_info(?)")
            .ok()?;
        let names = statement
            .query_map([entity], |r| r.get::<_, String>(0))
            .ok()?;
        names.collect::<rusqlite::Result<BTreeSet<String>>>().ok()
    }
}

/// Why a rule's SQL does not run, in SQLite's words without the statement around it.
fn does_not_run(e: &rusqlite::Error) -> String {
    let why = match e {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    };
    format!("its SQL does not run: {why}")
}

fn text_of(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(r) => Some(r.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
    }
}

/// The column type of `field`: a list is text, its typed items joined by `;`.
fn sql_type(field: &Field) -> &'static str {
    if field.multiple {
        return "TEXT";
    }
    match field.field_type {
        Some(FieldType::Integer | FieldType::Year | FieldType::Boolean) => "INTEGER",
        Some(FieldType::Decimal) => "REAL",
        _ => "TEXT",
    }
}

/// Loads one table's rows, committed (and its primary key indexed) by [`Loader::finish`].
pub struct Loader<'c> {
    statement: Statement<'c>,
    connection: &'c Connection,
    /// The index on the entity's primary key, built once its rows are in.
    index: Option<String>,
}

impl Loader<'_> {
    /// Commits the rows loaded.
    pub fn finish(self) -> Result<(), ValidateError> {
        drop(self.statement);
        if let Some(index) = &self.index {
            self.connection.execute_batch(index).map_err(engine_error)?;
        }
        self.connection
            .execute_batch("COMMIT")
            .map_err(engine_error)
    }
}

impl RowSink for Loader<'_> {
    fn row(&mut self, row: u64, line: u64, values: &[Value]) -> Result<(), ValidateError> {
        let head = [
            ToSqlOutput::from(row as i64),
            ToSqlOutput::from(line as i64),
        ];
        let params = head.into_iter().chain(values.iter().map(|v| match v {
            Value::Null => ToSqlOutput::from(rusqlite::types::Null),
            Value::Integer(i) => ToSqlOutput::from(*i),
            Value::Real(r) => ToSqlOutput::from(*r),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        }));
        self.statement
            .execute(rusqlite::params_from_iter(params))
            .map(|_| ())
            .map_err(engine_error)
    }
}
