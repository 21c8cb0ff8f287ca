//! The rules engine: SQLite (bundled, in memory). Each entity is a typed table with `_row`;
//! last year's files go into a second schema, `previous`. Row-level `check` rules are batched
//! into one scan per entity; `select` rules run one query each. The queries are independent and
//! read only, so that, when the tables are small enough to copy, they run on one connection a
//! core, each holding a copy of the tables.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use norm_model::{Entity, Field, FieldType};
use rusqlite::backup::Backup;
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

/// The largest tables (both schemas, in bytes) copied to run rules on other cores: a whole LA
/// return takes a few MB; a million rows would double the memory for less than it gains.
const COPY_LIMIT: i64 = 32 * 1024 * 1024;

/// At most this many connections run rules at once.
const MAX_WORKERS: usize = 4;

/// A SQLite database holding the typed tables of one validation.
pub struct Engine {
    connection: Connection,
    /// Tables that hold a supplied file: `episodes` or `previous.episodes`.
    supplied: BTreeSet<String>,
    /// How many connections run the rules, when the caller says.
    connections: Option<usize>,
}

fn engine_error(e: rusqlite::Error) -> ValidateError {
    ValidateError::Engine(e.to_string())
}

/// Quotes an SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Engine {
    /// An empty database with the documented functions and the `previous` schema (see
    /// [`open`]).
    pub fn new() -> Result<Engine, ValidateError> {
        Ok(Engine {
            connection: open().map_err(engine_error)?,
            supplied: BTreeSet::new(),
            connections: None,
        })
    }

    /// Runs the rules on `connections` connections (see [`Engine::run_on`]); `None` chooses,
    /// as [`Engine::run`] says.
    pub fn set_connections(&mut self, connections: Option<usize>) {
        self.connections = connections;
    }

    /// A second connection holding a copy of this one's tables, for running rules on another
    /// core.
    fn copy(&self) -> rusqlite::Result<Connection> {
        let mut copy = open()?;
        for schema in ["main", "previous"] {
            Backup::new_with_names(&self.connection, schema, &mut copy, schema)?
                .run_to_completion(i32::MAX, Duration::ZERO, None)?;
        }
        Ok(copy)
    }

    /// How many connections should run the rules: one a core (at most [`MAX_WORKERS`]) when
    /// the tables are small enough to copy, else this one alone.
    fn workers(&self) -> usize {
        let size = |schema: &str| -> rusqlite::Result<i64> {
            self.connection.query_row(
                &format!("SELECT page_count * page_size FROM {schema}.pragma_page_count, {schema}.pragma_page_size"),
                [],
                |r| r.get(0),
            )
        };
        match (size("main"), size("previous")) {
            (Ok(main), Ok(previous)) if main + previous <= COPY_LIMIT => {
                std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WORKERS))
            }
            _ => 1,
        }
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
    /// They run on one connection a core (at most four) when the tables are small enough to
    /// copy, else on this one alone, unless [`Engine::set_connections`] said how many.
    pub fn run(&self, rules: &[RuleSpec]) -> Vec<Outcome> {
        self.run_on(rules, self.connections.unwrap_or_else(|| self.workers()))
    }

    /// [`Engine::run`] on `workers` connections: this one and `workers - 1` copies of its
    /// tables, each on its own thread (one connection when a copy cannot be made).
    pub fn run_on(&self, rules: &[RuleSpec], workers: usize) -> Vec<Outcome> {
        let mut outcomes: Vec<Option<Outcome>> = vec![None; rules.len()];
        let mut batches: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
        let mut tasks = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let check = match &rule.sql {
                // A select rule is prepared where it runs, which tells whether it can.
                Sql::Select(select) => {
                    tasks.push(Task::Select(i, select));
                    continue;
                }
                Sql::Check(check) => check,
            };
            // A check rule that cannot run must not join its entity's scan, which would fail.
            let probe = format!(
                "SELECT _row FROM {} WHERE ({check}) IS FALSE",
                quoted(&rule.entity)
            );
            match prepare(&self.connection, &probe)
                .map(|(_, tables)| needs(&self.supplied, &tables, &rule.entity))
            {
                Err(e) => outcomes[i] = Some(Outcome::Skipped(does_not_run(&e))),
                Ok(Some(reason)) => outcomes[i] = Some(Outcome::Skipped(reason)),
                Ok(None) => batches.entry(&rule.entity).or_default().push(i),
            }
        }
        tasks.extend(
            batches
                .into_iter()
                .map(|(entity, members)| Task::Batch(entity, members)),
        );
        // The longest SQL first, as a guess at the costliest, so that no connection is left
        // with a long query at the end while the others wait.
        tasks.sort_by_key(|t| std::cmp::Reverse(t.length(rules)));
        for (i, outcome) in self.execute(&tasks, rules, workers) {
            outcomes[i] = Some(outcome);
        }
        outcomes
            .into_iter()
            .map(|o| o.unwrap_or_else(|| Outcome::Skipped("not run".to_owned())))
            .collect()
    }

    /// Runs `tasks` on this connection and `workers - 1` copies of it, each on its own thread
    /// taking the next task left. A copy that cannot be made leaves its share to the others.
    fn execute(
        &self,
        tasks: &[Task<'_>],
        rules: &[RuleSpec],
        workers: usize,
    ) -> Vec<(usize, Outcome)> {
        let copies: Vec<Connection> = if tasks.len() > 1 {
            (1..workers).filter_map(|_| self.copy().ok()).collect()
        } else {
            Vec::new()
        };
        let next = AtomicUsize::new(0);
        let supplied = &self.supplied;
        let work = |connection: &Connection| {
            let mut done = Vec::new();
            while let Some(task) = tasks.get(next.fetch_add(1, Ordering::Relaxed)) {
                done.extend(task.run(connection, rules, supplied));
            }
            done
        };
        let work = &work;
        std::thread::scope(|scope| {
            // A thread that cannot be started leaves its share to the others.
            let others: Vec<_> = copies
                .into_iter()
                .filter_map(|copy| {
                    std::thread::Builder::new()
                        .spawn_scoped(scope, move || work(&copy))
                        .ok()
                })
                .collect();
            let mut done = work(&self.connection);
            for other in others {
                // A worker that panicked leaves its rules "not run", never passed.
                done.extend(other.join().unwrap_or_default());
            }
            done
        })
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

/// One scan of `entity` for the check rules `members`: a flag column per rule.
fn batch(
    connection: &Connection,
    entity: &str,
    rules: &[RuleSpec],
    members: &[usize],
) -> Vec<(usize, Outcome)> {
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
        let mut statement = connection.prepare(&sql)?;
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

/// The integers of the first column of every row of `statement`, in order, once each.
fn rows(statement: &mut Statement<'_>) -> rusqlite::Result<Vec<u64>> {
    let rows = statement.query_map([], |r| r.get::<_, Option<i64>>(0))?;
    let mut out: Vec<u64> = rows
        .filter_map(|r| r.transpose())
        .map(|r| r.map(|v| v as u64))
        .collect::<rusqlite::Result<_>>()?;
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// `sql` prepared on `connection`, with the tables (`entity` or `previous.entity`) it reads,
/// found as SQLite prepares it.
fn prepare<'c>(
    connection: &'c Connection,
    sql: &str,
) -> rusqlite::Result<(Statement<'c>, BTreeSet<String>)> {
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let record = Arc::clone(&seen);
    connection.authorizer(Some(move |context: AuthContext<'_>| {
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
    let prepared = connection.prepare(sql);
    connection.authorizer(None::<fn(AuthContext<'_>) -> Authorization>);
    let statement = prepared?;
    let tables = seen.lock().map(|s| s.clone()).unwrap_or_default();
    Ok((statement, tables))
}

/// Why a rule of `entity` reading `tables` cannot run: the tables among them, or the entity
/// itself (whose rows the rule reports), that hold no supplied file.
fn needs(supplied: &BTreeSet<String>, tables: &BTreeSet<String>, entity: &str) -> Option<String> {
    let missing: BTreeSet<&str> = tables
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(entity))
        .filter(|t| !supplied.contains(*t))
        .collect();
    (!missing.is_empty()).then(|| {
        let names: Vec<&str> = missing.into_iter().collect();
        format!("needs {}", names.join(", "))
    })
}

/// A unit of work for one connection.
enum Task<'r> {
    /// A `select` rule: its index in the rules, its SQL.
    Select(usize, &'r str),
    /// The `check` rules of one entity (their indexes), in one scan.
    Batch(&'r str, Vec<usize>),
}

impl Task<'_> {
    /// The length of the task's SQL.
    fn length(&self, rules: &[RuleSpec]) -> usize {
        match self {
            Task::Select(_, sql) => sql.len(),
            Task::Batch(_, members) => members
                .iter()
                .map(|&i| match &rules[i].sql {
                    Sql::Check(sql) | Sql::Select(sql) => sql.len(),
                })
                .sum(),
        }
    }

    /// Runs the task on `connection`, whose tables `supplied` hold a file.
    fn run(
        &self,
        connection: &Connection,
        rules: &[RuleSpec],
        supplied: &BTreeSet<String>,
    ) -> Vec<(usize, Outcome)> {
        match self {
            Task::Select(i, sql) => {
                let outcome = match prepare(connection, sql) {
                    Err(e) => Outcome::Skipped(does_not_run(&e)),
                    Ok((mut statement, tables)) => {
                        match needs(supplied, &tables, &rules[*i].entity) {
                            Some(reason) => Outcome::Skipped(reason),
                            None => rows(&mut statement).map_or_else(
                                |e| Outcome::Skipped(does_not_run(&e)),
                                Outcome::Failed,
                            ),
                        }
                    }
                };
                vec![(*i, outcome)]
            }
            Task::Batch(entity, members) => batch(connection, entity, rules, members),
        }
    }
}

/// A connection to two empty private databases, `main` and `previous`, with the documented
/// functions.
///
/// Both schemas are SQLite's private temporary databases (an empty file name): held in
/// memory up to [`CACHE_KIB`] each, then spilled to a temporary file deleted on close, so that
/// a file of any size is validated in bounded memory.
fn open() -> rusqlite::Result<Connection> {
    let connection = Connection::open("")?;
    connection.execute_batch(&format!(
        "ATTACH DATABASE '' AS previous; \
         PRAGMA main.journal_mode = OFF; PRAGMA previous.journal_mode = OFF; \
         PRAGMA synchronous = OFF; \
         PRAGMA main.cache_size = -{CACHE_KIB}; PRAGMA previous.cache_size = -{CACHE_KIB};"
    ))?;
    crate::functions::register(&connection)?;
    Ok(connection)
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
