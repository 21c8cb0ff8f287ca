//! Checks the rule catalogue itself: every rule file is registered under an id equal to its
//! file stem, ids are unique kebab-case, docs carry the required headings, and every rule has
//! a firing and a clean test.

use std::collections::BTreeSet;
use std::path::Path;

use norm_lint::rules::{REGISTRY, all};

/// Files in `src/rules/` that are not rules.
const NOT_RULES: &[&str] = &["mod", "builtin", "test_support"];

fn rule_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("src/rules is readable")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).expect("rule file is readable");
            (stem, text)
        })
        .filter(|(stem, _)| !NOT_RULES.contains(&stem.as_str()))
        .collect();
    files.sort();
    files
}

#[test]
fn every_rule_file_is_registered_under_its_stem() {
    let files: BTreeSet<String> = rule_files()
        .into_iter()
        .map(|(s, _)| s.replace('_', "-"))
        .collect();
    let registered: BTreeSet<String> = REGISTRY.iter().map(|r| r.meta().id.to_owned()).collect();
    assert_eq!(files, registered);
}

#[test]
fn ids_are_unique_kebab_case() {
    let ids: Vec<&str> = all().map(|m| m.id).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate rule ids in {ids:?}");
    for id in ids {
        assert!(
            norm_model::reference::is_standard_id(id) && !id.ends_with('-'),
            "`{id}` is not kebab-case"
        );
    }
}

#[test]
fn docs_carry_the_required_headings() {
    for meta in all() {
        for heading in ["## What it does", "## Why is this bad?", "## Example"] {
            assert!(
                meta.docs.contains(heading),
                "`{}` lacks `{heading}`",
                meta.id
            );
        }
        assert!(!meta.summary().is_empty(), "`{}` has no summary", meta.id);
    }
}

#[test]
fn every_rule_has_a_firing_and_a_clean_test() {
    for (stem, text) in rule_files() {
        assert!(
            text.contains("fn fires_"),
            "{stem}.rs has no `fires_*` test"
        );
        assert!(
            text.contains("fn is_silent_"),
            "{stem}.rs has no `is_silent_*` test"
        );
    }
}
