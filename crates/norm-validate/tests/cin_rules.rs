//! The CIN census rules (`standards/cin-census/rules/`), run through the real engine: for every
//! rule with SQL, a fixture of rows that must fail and rows that must pass
//! (`fixtures/cin_rules/<code>/{fail,pass}/`, the failing rows in `fail/expected`). The
//! fixtures are flattened returns, one CSV file per XML group, written for these tests.

#![allow(clippy::unwrap_used)]

#[path = "common/rule_fixtures.rs"]
mod rule_fixtures;

use norm_model::model::RuleSeverity;
use rule_fixtures::{catalog, fixtures, rules_with_sql_and_fixtures, wrong_outcomes};

#[test]
fn every_rule_with_sql_has_a_fixture_and_every_fixture_a_rule() {
    let (codes, dirs) =
        rules_with_sql_and_fixtures(&catalog(), "cin-census", &fixtures("cin_rules"));
    assert!(!codes.is_empty());
    assert_eq!(codes, dirs);
}

#[test]
fn each_rule_fails_its_failing_rows_and_passes_its_passing_ones() {
    let wrong = wrong_outcomes(&catalog(), "cin-census", &fixtures("cin_rules"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The DfE marks its queries with a `Q` at the end of the code: those must be explained, the
/// rest reject the return. A rule with the wrong severity would reject good returns or let bad
/// ones through.
#[test]
fn a_rule_is_a_query_exactly_when_its_code_ends_in_q_and_maps_to_the_dfe_rule() {
    let catalog = catalog();
    let rules = &catalog.standards["cin-census"].rules;
    assert!(!rules.is_empty());
    for rule in rules {
        let rule = &rule.value;
        let expected = if rule.code.ends_with('Q') {
            RuleSeverity::Query
        } else {
            RuleSeverity::Error
        };
        assert_eq!(rule.severity, Some(expected), "rule {}", rule.code);
        let external: Vec<Option<String>> =
            rule.mappings.iter().map(|m| m.external.clone()).collect();
        assert_eq!(
            external,
            [Some(format!(
                "DfE CIN census validation rule {}",
                rule.code
            ))],
            "rule {}",
            rule.code
        );
    }
}
