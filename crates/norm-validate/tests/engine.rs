//! The rules engine: SQLite tables typed from the model, rules of every kind the SSDA903 rules
//! use, and rules that cannot run reported as skipped.

#![allow(clippy::unwrap_used)]

mod common;

use norm_validate::Value;
use norm_validate::engine::{Engine, Outcome, RuleSpec, Sql};
use norm_validate::structure::RowSink;

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// An engine with the demo standard's tables: header and episodes filled, previous episodes
/// filled when `previous`.
fn engine(previous: bool) -> Engine {
    let catalog = common::catalog();
    let standard = &catalog.standards["demo"];
    let mut engine = Engine::new().unwrap();
    for entity in &standard.entities {
        engine.create(&entity.value, false).unwrap();
        engine.create(&entity.value, true).unwrap();
    }
    let header = &standard.entity("header").unwrap().value;
    let mut load = engine.loader(header, false).unwrap();
    for (row, child, dob) in [(1, "C1", "2010-06-02"), (2, "C2", "2012-01-15")] {
        load.row(
            row,
            row + 1,
            &[text(child), text("M"), text(dob), Value::Null],
        )
        .unwrap();
    }
    load.finish().unwrap();
    let episodes = &standard.entity("episodes").unwrap().value;
    let rows = [
        (
            "C1",
            "2025-04-01",
            Value::Text("U1".into()),
            Value::Integer(3),
        ),
        ("C1", "2025-05-01", Value::Text("U2".into()), Value::Null),
        ("C2", "2011-04-10", Value::Null, Value::Integer(60)),
    ];
    let mut load = engine.loader(episodes, false).unwrap();
    for (i, (child, decom, place, weeks)) in rows.iter().enumerate() {
        let row = i as u64 + 1;
        load.row(
            row,
            row + 1,
            &[text(child), text(decom), place.clone(), weeks.clone()],
        )
        .unwrap();
    }
    load.finish().unwrap();
    if previous {
        let mut load = engine.loader(episodes, true).unwrap();
        load.row(
            1,
            2,
            &[text("C1"), text("2024-04-01"), text("U1"), Value::Null],
        )
        .unwrap();
        load.finish().unwrap();
    }
    engine
}

fn rule(code: &str, entity: &str, sql: Sql) -> RuleSpec {
    RuleSpec {
        code: code.to_owned(),
        entity: entity.to_owned(),
        sql,
    }
}

fn check(code: &str, sql: &str) -> RuleSpec {
    rule(code, "episodes", Sql::Check(sql.to_owned()))
}

fn select(code: &str, sql: &str) -> RuleSpec {
    rule(code, "episodes", Sql::Select(sql.to_owned()))
}

#[test]
fn checks_fail_only_when_false_and_null_passes() {
    let outcomes = engine(false).run(&[
        check("codes", "place IN ('U1')"),
        check("bounds", "weeks <= 52"),
        check("order", "decom >= '2025-04-01'"),
        check("typed", "typeof(weeks) = 'integer' OR weeks IS NULL"),
    ]);
    assert_eq!(
        outcomes,
        vec![
            Outcome::Failed(vec![2]),
            Outcome::Failed(vec![3]),
            Outcome::Failed(vec![3]),
            Outcome::Failed(vec![]),
        ]
    );
}

#[test]
fn selects_join_tables_use_windows_and_the_documented_functions() {
    let outcomes = engine(false).run(&[
        select(
            "join",
            "SELECT e._row FROM episodes e JOIN header h ON h.child = e.child WHERE e.decom < h.dob",
        ),
        select(
            "window",
            "SELECT _row FROM (SELECT _row, decom, LAG(decom) OVER (PARTITION BY child ORDER BY decom) AS before FROM episodes) WHERE before IS NOT NULL",
        ),
        select(
            "count",
            "SELECT _row FROM episodes WHERE child IN (SELECT child FROM episodes GROUP BY child HAVING COUNT(*) > 1)",
        ),
        select(
            "age",
            "SELECT e._row FROM episodes e JOIN header h ON h.child = e.child WHERE age(h.dob, e.decom) >= 14",
        ),
    ]);
    assert_eq!(
        outcomes,
        vec![
            Outcome::Failed(vec![3]),
            Outcome::Failed(vec![2]),
            Outcome::Failed(vec![1, 2]),
            Outcome::Failed(vec![1, 2]),
        ]
    );
}

#[test]
fn previous_year_rules_run_with_previous_files_and_are_skipped_without() {
    let exists = select(
        "prev",
        "SELECT e._row FROM episodes e WHERE NOT EXISTS (SELECT 1 FROM previous.episodes p WHERE p.child = e.child)",
    );
    assert_eq!(
        engine(true).run(std::slice::from_ref(&exists)),
        vec![Outcome::Failed(vec![3])]
    );
    assert_eq!(
        engine(false).run(&[exists]),
        vec![Outcome::Skipped("needs previous.episodes".to_owned())]
    );
}

#[test]
fn a_rule_over_a_table_not_supplied_or_with_broken_sql_is_skipped() {
    let catalog = common::catalog();
    let standard = &catalog.standards["demo"];
    let engine = Engine::new().unwrap();
    for entity in &standard.entities {
        engine.create(&entity.value, false).unwrap();
        engine.create(&entity.value, true).unwrap();
    }
    assert_eq!(
        engine.run(&[check("c", "weeks < 5")]),
        vec![Outcome::Skipped("needs episodes".to_owned())]
    );
    let outcomes = self::engine(false).run(&[
        check("broken", "no_such_column = 1"),
        check("fine", "weeks < 5"),
        rule(
            "count",
            "header",
            Sql::Select(
                "SELECT h._row FROM header h WHERE (SELECT COUNT(*) FROM episodes) > 2".into(),
            ),
        ),
    ]);
    assert_eq!(
        outcomes,
        vec![
            Outcome::Skipped("its SQL does not run: no such column: no_such_column".to_owned()),
            Outcome::Failed(vec![3]),
            Outcome::Failed(vec![1, 2]),
        ]
    );
}

#[test]
fn a_skipped_rule_names_each_missing_table_once() {
    let catalog = common::catalog();
    let standard = &catalog.standards["demo"];
    let engine = Engine::new().unwrap();
    for entity in &standard.entities {
        engine.create(&entity.value, false).unwrap();
        engine.create(&entity.value, true).unwrap();
    }
    let join = select(
        "join",
        "SELECT e._row FROM episodes e JOIN header h ON h.child = e.child JOIN previous.episodes p ON p.child = e.child",
    );
    assert_eq!(
        engine.run(&[join]),
        vec![Outcome::Skipped(
            "needs episodes, header, previous.episodes".to_owned()
        )]
    );
}

/// Rules run on copies of the tables, one connection a core: each copy holds both schemas and
/// the documented functions, a broken or unrunnable rule is skipped there as on one
/// connection, and the outcomes come back in the order of the rules, however the work was
/// shared.
#[test]
fn rules_give_the_same_outcomes_on_one_connection_or_several() {
    let rules = [
        check("bounds", "weeks <= 52"),
        select(
            "window",
            "SELECT _row FROM (SELECT _row, LAG(decom) OVER (PARTITION BY child ORDER BY decom) AS before FROM episodes) WHERE before IS NOT NULL",
        ),
        check("broken", "no_such_column = 1"),
        select(
            "age",
            "SELECT e._row FROM episodes e JOIN header h ON h.child = e.child WHERE age(h.dob, e.decom) >= 14",
        ),
        select(
            "prev",
            "SELECT e._row FROM episodes e WHERE NOT EXISTS (SELECT 1 FROM previous.episodes p WHERE p.child = e.child)",
        ),
        select("broken select", "SELECT _row FROM no_such_table"),
        check("codes", "place IN ('U1')"),
        rule(
            "missing",
            "header",
            Sql::Select("SELECT _row FROM previous.header".into()),
        ),
    ];
    let expected = vec![
        Outcome::Failed(vec![3]),
        Outcome::Failed(vec![2]),
        Outcome::Skipped("its SQL does not run: no such column: no_such_column".to_owned()),
        Outcome::Failed(vec![1, 2]),
        Outcome::Failed(vec![3]),
        Outcome::Skipped("its SQL does not run: no such table: no_such_table".to_owned()),
        Outcome::Failed(vec![2]),
        Outcome::Skipped("needs previous.header".to_owned()),
    ];
    let engine = engine(true);
    for workers in [1, 2, 3] {
        assert_eq!(
            engine.run_on(&rules, workers),
            expected,
            "{workers} connections"
        );
    }
}
