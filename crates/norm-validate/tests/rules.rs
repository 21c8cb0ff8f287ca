//! Our own standards' rules, run through the real engine: for every rule of
//! `standards/ssda903/rules/` that has SQL, one fixture `fixtures/rules/<code>.yaml` holding a
//! `fail` case (rows that must fail, and the `expected` failing rows of the rule's entity) and
//! a `pass` case (rows the rule must not flag). A case gives its tables as small CSV texts
//! under `files`, keyed by file stem (`Episodes`), and last year's under `previous`.
//!
//! One file per rule keeps a rule's bad and good rows side by side for review; the test writes
//! each case's tables to a scratch folder and validates them as `norm validate` would.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use norm_model::{Catalog, worktree, yaml};
use norm_validate::{DataFiles, Encoding, IssueKind, Options, Report};
use serde::Deserialize;

/// One rule's fixture.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    fail: Case,
    pass: Case,
}

/// A set of files to validate.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// This year's files: CSV text by file stem.
    files: BTreeMap<String, String>,
    /// Last year's files, for rules that compare with them.
    #[serde(default)]
    previous: BTreeMap<String, String>,
    /// The rows of the rule's entity that must fail (`fail` only).
    #[serde(default)]
    expected: Vec<u64>,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn catalog() -> Catalog {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    Catalog::load_files(worktree::read_worktree(&root).unwrap())
}

fn read_fixture(path: &Path) -> Fixture {
    let text = std::fs::read_to_string(path).unwrap();
    let parsed = yaml::parse(&text);
    assert!(
        parsed.errors.is_empty(),
        "{}: {:?}",
        path.display(),
        parsed.errors
    );
    let (fixture, errors) = yaml::from_node::<Fixture>(parsed.root.as_ref().unwrap());
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    fixture.unwrap()
}

/// Writes `tables` as `<stem>.csv` files into `dir` and opens them.
fn data_files(dir: &Path, tables: &BTreeMap<String, String>) -> Option<DataFiles> {
    if tables.is_empty() {
        return None;
    }
    std::fs::create_dir_all(dir).unwrap();
    let paths: Vec<PathBuf> = tables
        .iter()
        .map(|(stem, csv)| {
            let path = dir.join(format!("{stem}.csv"));
            std::fs::write(&path, csv).unwrap();
            path
        })
        .collect();
    Some(DataFiles::open(&paths, Encoding::Utf8).unwrap())
}

fn validate(catalog: &Catalog, case: &Case) -> Report {
    let scratch = tempfile::tempdir().unwrap();
    let files = data_files(&scratch.path().join("this"), &case.files).unwrap();
    let previous = data_files(&scratch.path().join("previous"), &case.previous);
    let standard = &catalog.standards["ssda903"];
    norm_validate::validate(catalog, standard, files, previous, Options::default()).unwrap()
}

/// The rows rule `code` flagged.
fn flagged(report: &Report, code: &str) -> Vec<u64> {
    report
        .issues
        .iter()
        .filter(|i| i.kind == IssueKind::Rule && i.rule == code)
        .filter_map(|i| i.row)
        .collect()
}

/// The codes of the rules that have SQL.
fn rules_with_sql(catalog: &Catalog) -> Vec<String> {
    let mut codes: Vec<String> = catalog.standards["ssda903"]
        .rules
        .iter()
        .filter(|r| r.value.check.is_some() || r.value.select.is_some())
        .map(|r| r.value.code.clone())
        .collect();
    codes.sort();
    codes
}

#[test]
fn every_rule_with_sql_has_a_fixture_and_every_fixture_a_rule() {
    let codes = rules_with_sql(&catalog());
    let mut stems: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            assert_eq!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml"),
                "{}",
                p.display()
            );
            p.file_stem().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    stems.sort();
    assert!(!codes.is_empty());
    assert_eq!(codes, stems);
}

#[test]
fn each_rule_fails_its_failing_rows_and_passes_its_passing_ones() {
    let catalog = catalog();
    let mut wrong = Vec::new();
    for code in rules_with_sql(&catalog) {
        let fixture = read_fixture(&fixtures().join(format!("{code}.yaml")));
        if fixture.fail.expected.is_empty() {
            wrong.push(format!("{code}/fail: no expected rows"));
        }
        if !fixture.pass.expected.is_empty() {
            wrong.push(format!("{code}/pass: lists expected rows"));
        }
        for (name, case) in [("fail", &fixture.fail), ("pass", &fixture.pass)] {
            let report = validate(&catalog, case);
            if !report.summary.rules.contains(&code) {
                wrong.push(format!("{code}/{name}: did not run: {:?}", report.skipped));
                continue;
            }
            let got = flagged(&report, &code);
            if got != case.expected {
                wrong.push(format!(
                    "{code}/{name}: flagged rows {got:?}, expected {:?}",
                    case.expected
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
