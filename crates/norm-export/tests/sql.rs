//! `norm export sql`, checked for every standard of ours: the PostgreSQL DDL is executed by a
//! real PostgreSQL (started here in a temporary folder on a loopback port, stopped at the end),
//! which then takes a record per table generated from the examples and refuses records broken
//! in one way each; the SQL Server DDL is parsed by `sqlparser`'s MsSql dialect. Both are the
//! files `norm build` publishes in each version's downloads (`norm_export::publish`).

#![allow(clippy::unwrap_used)]

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use norm_export::sql::export;
use norm_export::{Dialect, Format, Options};
use norm_model::model::Status;
use norm_model::{Catalog, Standard};
use support::{Record, printed, require, run, sample};

/// A PostgreSQL server of our own, in a temporary folder, listening on 127.0.0.1 only.
struct Postgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    /// Run as this user: PostgreSQL refuses to run as root.
    user: Option<&'static str>,
    _dir: tempfile::TempDir,
}

impl Postgres {
    fn start() -> Option<Postgres> {
        let initdb = require(
            "PostgreSQL (initdb)",
            support::APT_HINT,
            support::postgres_bin("initdb"),
        )?;
        let bin = initdb.parent().unwrap().to_path_buf();
        let root = String::from_utf8(run(Command::new("id").arg("-u")).stdout).unwrap();
        let user = (root.trim() == "0").then_some("postgres");
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        if let Some(user) = user {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
            let chown = run(Command::new("chown").arg(user).arg(&data));
            assert!(chown.status.success(), "{}", printed(&chown));
        }
        // A free port: the system picks one, and we let it go for the server to take.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let server = Postgres {
            bin,
            data,
            port,
            user,
            _dir: dir,
        };
        let mut init = server.command(
            "initdb",
            &[
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ],
        );
        let init = run(init.arg(&server.data));
        assert!(init.status.success(), "initdb: {}", printed(&init));
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off",
            server.data.display()
        );
        let start = run(server
            .command("pg_ctl", &["-w", "-t", "60", "-o", &options, "-l"])
            .arg(server.data.join("log"))
            .arg("-D")
            .arg(&server.data)
            .arg("start"));
        assert!(start.status.success(), "pg_ctl start: {}", printed(&start));
        Some(server)
    }

    /// A command of the server's programs, as the server's user.
    fn command(&self, program: &str, args: &[&str]) -> Command {
        let program = self.bin.join(program);
        let mut command = match self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        };
        command.args(args);
        command
    }

    /// Runs `sql` in `database` with psql, stopping at the first error.
    fn psql(&self, database: &str, sql: &str) -> Output {
        let port = self.port.to_string();
        let mut child = self
            .command(
                "psql",
                &[
                    "-X",
                    "-q",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &port,
                    "-U",
                    "postgres",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-d",
                    database,
                ],
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(sql.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl", &["-m", "immediate", "-w", "stop", "-D"])
            .arg(&self.data)
            .output();
    }
}

/// `text` as a PostgreSQL string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The entity of this standard whose key `field` references: what the DDL makes a foreign key.
/// A reference to a column that is not a key is no foreign key (the export reports the loss).
fn foreign_key(
    catalog: &Catalog,
    standard: &Standard,
    field: &norm_model::Field,
) -> Option<String> {
    let (s, e, i) = catalog
        .resolve_field(standard.id(), field.references.as_deref()?)
        .ok()?;
    let key = std::slice::from_ref(&e.value.fields[i].name);
    let identifies = e.value.primary_key.as_slice() == key
        || e.value.unique_keys.iter().any(|k| k.as_slice() == key);
    (s.id() == standard.id() && identifies).then(|| e.value.name.clone())
}

/// The INSERTs of `records`, parents before the records whose foreign keys point at them. Only
/// foreign keys order them: the SSD's period-of-care links point both ways between placements
/// and episodes, but only one way at a key.
fn inserts(catalog: &Catalog, standard: &Standard, records: &[Record]) -> String {
    let mut sql = String::new();
    let mut done: Vec<&str> = Vec::new();
    let parents = |r: &Record| -> Vec<String> {
        let entity = standard.entity(&r.entity).unwrap();
        entity
            .value
            .fields
            .iter()
            .filter_map(|f| foreign_key(catalog, standard, f))
            .filter(|parent| parent != &r.entity)
            .collect()
    };
    while done.len() < records.len() {
        let before = done.len();
        for record in records {
            if done.contains(&record.entity.as_str())
                || parents(record).iter().any(|p| !done.contains(&p.as_str()))
            {
                continue;
            }
            let entity = standard.entity(&record.entity).unwrap();
            let columns: Vec<String> = record
                .values
                .iter()
                .map(|(f, _)| format!("\"{f}\""))
                .collect();
            let values: Vec<String> = record
                .values
                .iter()
                .map(|(f, v)| {
                    let field = entity.value.fields.iter().find(|x| &x.name == f).unwrap();
                    if field.multiple {
                        // An array literal takes the column's element type.
                        literal(&format!("{{\"{v}\"}}"))
                    } else {
                        literal(v)
                    }
                })
                .collect();
            sql.push_str(&format!(
                "INSERT INTO \"{}\" ({}) VALUES ({});\n",
                record.entity,
                columns.join(", "),
                values.join(", ")
            ));
            done.push(&record.entity);
        }
        assert!(
            done.len() > before,
            "{}: the references form a cycle",
            standard.id()
        );
    }
    sql
}

/// The DDL of `dialect` that a version's downloads publish for `standard`, checking that the
/// `sql` folder holds the DDL of both dialects and one `notes.json`.
fn published_ddl(catalog: &Catalog, standard: &Standard, dialect: Dialect) -> String {
    let published =
        norm_export::publish(Format::Sql, catalog, standard.id(), &Options::default()).unwrap();
    let files = published.files();
    let id = standard.id();
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            format!("{id}.postgres.sql"),
            format!("{id}.mssql.sql"),
            "notes.json".into()
        ]
    );
    let suffix = format!(".{}.sql", dialect.as_str());
    let (_, ddl) = files.iter().find(|(n, _)| n.ends_with(&suffix)).unwrap();
    String::from_utf8(ddl.clone()).unwrap()
}

#[test]
fn every_standard_s_postgres_ddl_loads_takes_its_examples_and_refuses_broken_records() {
    let Some(server) = Postgres::start() else {
        return;
    };
    let catalog = support::ours();
    let mut kinds = std::collections::BTreeSet::new();
    for standard in support::standards() {
        let ddl = &published_ddl(catalog, standard, Dialect::Postgres);
        let database = format!("db_{}", standard.id().replace('-', "_"));
        let created = run(server
            .command("createdb", &["-h", "127.0.0.1", "-U", "postgres", "-p"])
            .arg(server.port.to_string())
            .arg(&database));
        assert!(created.status.success(), "{}", printed(&created));
        let loaded = server.psql(&database, &format!("BEGIN;\n{ddl}COMMIT;\n"));
        assert!(
            loaded.status.success(),
            "{}: the DDL loads:\n{}",
            standard.id(),
            printed(&loaded)
        );

        // Every table and lookup table is there, with its comment.
        let count = server.psql(
            &database,
            "\\pset format unaligned\n\\pset tuples_only on\nSELECT count(*), count(obj_description(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r';",
        );
        let said = String::from_utf8_lossy(&count.stdout).trim().to_owned();
        let tables = released_tables(standard)
            + usize::from(standard.id() != "csc-codes") * lists_used(catalog, standard);
        assert_eq!(
            said,
            format!("{tables}|{tables}"),
            "{}: every table, each with its comment",
            standard.id()
        );

        let valid = sample(catalog, standard);
        let insert = inserts(catalog, standard, &valid);
        // Each attempt is rolled back, so that the next starts from empty tables.
        let taken = server.psql(&database, &format!("BEGIN;\n{insert}ROLLBACK;\n"));
        assert!(
            taken.status.success(),
            "{}: the examples' records load:\n{insert}\n{}",
            standard.id(),
            printed(&taken)
        );
        for (what, sql, error) in broken(catalog, standard, &valid) {
            let refused = server.psql(&database, &format!("BEGIN;\n{insert}{sql}ROLLBACK;\n"));
            let said = printed(&refused);
            kinds.insert(error);
            assert!(
                !refused.status.success(),
                "{}: {what} is refused:\n{sql}\n{said}",
                standard.id()
            );
            assert!(
                said.contains(error),
                "{}: {what}: PostgreSQL says {error:?}:\n{said}",
                standard.id()
            );
        }
    } // Keys, NOT NULL, lookup tables, references and patterns were each tried somewhere.
    assert_eq!(kinds.len(), 4, "{kinds:?}");
}

/// The tables of the standard's own entities and code lists that exports carry: proposed ones
/// are in consultation and left out.
fn released_tables(standard: &Standard) -> usize {
    let released = |s: Option<Status>| s != Some(Status::Proposed);
    let entities = standard
        .entities
        .iter()
        .filter(|e| released(e.value.status));
    let lists = standard
        .codelists
        .iter()
        .filter(|l| released(l.value.status));
    entities.count() + lists.count()
}

/// The other standards' code lists that released fields of the standard use.
fn lists_used(catalog: &Catalog, standard: &Standard) -> usize {
    let released = |s: Option<Status>| s != Some(Status::Proposed);
    let mut lists: Vec<(String, String)> = standard
        .entities
        .iter()
        .filter(|e| released(e.value.status))
        .flat_map(|e| e.value.fields.iter())
        .filter(|f| released(f.status))
        .filter_map(|f| {
            catalog
                .resolve_codelist(standard.id(), f.codelist.as_deref()?)
                .ok()
        })
        .filter(|(s, _)| s.id() != standard.id())
        .map(|(s, l)| (s.id().to_owned(), l.value.name.clone()))
        .collect();
    lists.sort();
    lists.dedup();
    lists.len()
}

/// Statements that each break the loaded records in one way, with PostgreSQL's words for it:
/// for every record, its key repeated, and each required, coded, patterned and referencing
/// field made wrong.
fn broken(
    catalog: &Catalog,
    standard: &Standard,
    valid: &[Record],
) -> Vec<(String, String, &'static str)> {
    let mut broken = Vec::new();
    for record in valid {
        let entity = standard.entity(&record.entity).unwrap();
        let pk = &entity.value.primary_key;
        let key_where: Vec<String> = pk
            .iter()
            .map(|k| {
                let value = &record.values.iter().find(|(f, _)| f == k).unwrap().1;
                format!("\"{k}\" = {}", literal(value))
            })
            .collect();
        let table = &record.entity;
        let copy = record
            .values
            .iter()
            .map(|(f, _)| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ");
        broken.push((
            format!("{table}'s key repeated"),
            format!("INSERT INTO \"{table}\" ({copy}) SELECT {copy} FROM \"{table}\";\n"),
            "duplicate key value violates unique constraint",
        ));
        // Proposed fields are left out of the export, so there is no column to break.
        let released = entity
            .value
            .fields
            .iter()
            .filter(|f| f.status != Some(Status::Proposed));
        for field in released {
            let set = |value: &str| {
                format!(
                    "UPDATE \"{table}\" SET \"{}\" = {value} WHERE {};\n",
                    field.name,
                    key_where.join(" AND ")
                )
            };
            if field.required && !pk.contains(&field.name) {
                broken.push((
                    format!("{table}.{} emptied", field.name),
                    set("NULL"),
                    "violates not-null constraint",
                ));
            }
            let patterned = field
                .constraints
                .as_ref()
                .is_some_and(|c| c.pattern.is_some());
            // A pattern on a coded field would refuse the value before its foreign key does.
            if field.codelist.is_some() && !field.multiple && !patterned {
                broken.push((
                    format!("{table}.{} not in its list", field.name),
                    set("'~'"),
                    "violates foreign key constraint",
                ));
            }
            if patterned && field.codelist.is_none() {
                broken.push((
                    format!("{table}.{} against its pattern", field.name),
                    set("'!'"),
                    "violates check constraint",
                ));
            }
            if foreign_key(catalog, standard, field).is_some() {
                broken.push((
                    format!("{table}.{} points at nothing", field.name),
                    set("'NO-SUCH-RECORD'"),
                    "violates foreign key constraint",
                ));
            }
        }
    }
    broken
}

#[test]
fn every_standard_s_sql_server_ddl_parses_as_t_sql() {
    let catalog = support::ours();
    for standard in support::standards() {
        let ddl = &published_ddl(catalog, standard, Dialect::Mssql);
        let statements =
            sqlparser::parser::Parser::parse_sql(&sqlparser::dialect::MsSqlDialect {}, ddl)
                .unwrap_or_else(|e| panic!("{}: the T-SQL parses: {e}\n{ddl}", standard.id()));
        let created = statements
            .iter()
            .filter(|s| matches!(s, sqlparser::ast::Statement::CreateTable(_)))
            .count();
        assert!(
            created >= released_tables(standard),
            "{}: {created} tables",
            standard.id()
        );
        assert!(
            !ddl.contains("CREATE TABLE \""),
            "{}: identifiers in brackets",
            standard.id()
        );
    }
}

#[test]
fn names_that_could_meet_stay_distinct_in_postgres() {
    let Some(server) = Postgres::start() else {
        return;
    };
    // Both foreign keys' names share their first 63 bytes, where PostgreSQL cuts them; and an
    // entity has the name the lookup table of `colour` would have.
    let entity = "name: a_table_whose_name_is_long_enough_to_matter
primary_key: [row_id]
fields:
  - { name: row_id, type: string, required: true }
  - { name: the_first_reference_to_a_team_with_a_long_name_one, type: string, references: team.team_id }
  - { name: the_first_reference_to_a_team_with_a_long_name_two, type: string, references: team.team_id }
  - { name: colour, type: code, codelist: colour }
";
    let catalog = support::catalog(&[
        ("norm.yaml", "site: { title: Test }\n"),
        (
            "standards/long/standard.yaml",
            "id: long\ntitle: Long\nversion: 1.0.0\nstatus: active\n",
        ),
        (
            "standards/long/entities/a_table_whose_name_is_long_enough_to_matter.yaml",
            entity,
        ),
        (
            "standards/long/entities/team.yaml",
            "name: team\nprimary_key: [team_id]\nfields:\n  - { name: team_id, type: string, required: true }\n",
        ),
        (
            "standards/long/entities/colour_codelist.yaml",
            "name: colour_codelist\nfields:\n  - { name: shade, type: string }\n",
        ),
        (
            "standards/long/codelists/colour.yaml",
            "name: colour\ncodes:\n  - { code: R, label: Red }\n",
        ),
    ]);
    let export = export(
        &catalog,
        &catalog.standards["long"],
        &Options {
            dialect: Dialect::Postgres,
            ..Options::default()
        },
    );
    let ddl = std::str::from_utf8(&export.files[0].1).unwrap();
    let loaded = server.psql("postgres", &format!("BEGIN;\n{ddl}COMMIT;\n"));
    assert!(loaded.status.success(), "{ddl}\n{}", printed(&loaded));
    let names = server.psql(
        "postgres",
        "\\pset tuples_only on\nSELECT count(*) FROM pg_constraint WHERE contype = 'f';",
    );
    assert_eq!(
        String::from_utf8_lossy(&names.stdout).trim(),
        "3",
        "{}",
        printed(&names)
    );
    assert!(ddl.contains("CREATE TABLE \"colour_codelist_2\""), "{ddl}");
}
