//! Our own standards' rules, run through the real engine: for every rule of
//! `standards/ssda903/rules/` that has SQL, a fixture `fixtures/rules/<code>.yaml` of rows that
//! must fail and rows that must pass (see `common/rule_fixtures.rs` for its form).

#![allow(clippy::unwrap_used)]

#[path = "common/rule_fixtures.rs"]
mod rule_fixtures;

use rule_fixtures::{catalog, fixtures, rules_with_sql_and_fixtures, wrong_outcomes};

#[test]
fn every_rule_with_sql_has_a_fixture_and_every_fixture_a_rule() {
    let (codes, fixtures) = rules_with_sql_and_fixtures(&catalog(), "ssda903", &fixtures("rules"));
    assert!(!codes.is_empty());
    assert_eq!(codes, fixtures);
}

#[test]
fn each_rule_fails_its_failing_rows_and_passes_its_passing_ones() {
    let wrong = wrong_outcomes(&catalog(), "ssda903", &fixtures("rules"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
