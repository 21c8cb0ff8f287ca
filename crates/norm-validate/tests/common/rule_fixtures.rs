//! Fixtures for the rules of our own standards, run through the real engine: for every rule
//! with SQL, rows that must fail and rows that must pass.
//!
//! A rule's fixture is one YAML file, `<fixtures>/<code>.yaml`, with a `fail` and a `pass` case:
//! each gives its tables as CSV text by file stem under `files` (last year's under `previous`),
//! and the `fail` case lists the rows that must fail (`expected`). One file keeps a rule's bad
//! and good rows side by side for review. The older form, a folder `<fixtures>/<code>/` with
//! `fail/` and `pass/` folders of CSV files (last year's under `previous/`, the failing rows in
//! `fail/expected`), is read too.
//!
//! Each case is written to a scratch folder and validated as `norm validate` would.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use norm_model::{Catalog, worktree, yaml};
use norm_validate::{DataFiles, Encoding, IssueKind, Options, Report};
use serde::Deserialize;

/// One rule's fixture, as a YAML file holds it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    fail: Case,
    pass: Case,
}

/// A set of files to validate, and the rows of the rule's entity that must fail.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// This year's files: CSV text by file stem.
    files: BTreeMap<String, String>,
    /// Last year's files, for rules that compare with them.
    #[serde(default)]
    previous: BTreeMap<String, String>,
    /// The rows that must fail (the `fail` case only).
    #[serde(default)]
    expected: Vec<u64>,
}

/// The folder of fixtures `name` under `tests/fixtures/`.
pub fn fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The repository's own standards.
pub fn catalog() -> Catalog {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    Catalog::load_files(worktree::read_worktree(&root).unwrap())
}

/// The CSV files of `dir` as text by file stem.
fn csv_texts(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// A case in the folder form: `dir` holds the CSV files, `previous/` and `expected`.
fn folder_case(dir: &Path) -> Case {
    let expected = std::fs::read_to_string(dir.join("expected"))
        .map(|text| {
            text.split_whitespace()
                .map(|n| n.parse().unwrap())
                .collect()
        })
        .unwrap_or_default();
    Case {
        files: csv_texts(dir),
        previous: csv_texts(&dir.join("previous")),
        expected,
    }
}

/// The failing and passing cases of rule `code`'s fixture in `dir`.
pub fn read_fixture(dir: &Path, code: &str) -> (Case, Case) {
    let path = dir.join(format!("{code}.yaml"));
    if !path.exists() {
        let folder = dir.join(code);
        return (
            folder_case(&folder.join("fail")),
            folder_case(&folder.join("pass")),
        );
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let parsed = yaml::parse(&text);
    assert!(
        parsed.errors.is_empty(),
        "{}: {:?}",
        path.display(),
        parsed.errors
    );
    let (fixture, errors) = yaml::from_node::<Fixture>(parsed.root.as_ref().unwrap());
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    let fixture = fixture.unwrap();
    (fixture.fail, fixture.pass)
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

/// Validates the files of `case` (and its last year's) against `standard`.
pub fn validate(catalog: &Catalog, standard: &str, case: &Case) -> Report {
    let scratch = tempfile::tempdir().unwrap();
    let files = data_files(&scratch.path().join("this"), &case.files).unwrap();
    let previous = data_files(&scratch.path().join("previous"), &case.previous);
    norm_validate::validate(
        catalog,
        &catalog.standards[standard],
        files,
        previous,
        Options::default(),
    )
    .unwrap()
}

/// The rows rule `code` flagged.
pub fn flagged(report: &Report, code: &str) -> Vec<u64> {
    report
        .issues
        .iter()
        .filter(|i| i.kind == IssueKind::Rule && i.rule == code)
        .filter_map(|i| i.row)
        .collect()
}

/// The codes of the rules of `standard` that have SQL, and the fixtures in `dir` (a YAML file
/// by its stem, a folder by its name, anything else by its whole name), both sorted, so that a
/// test can assert they are the same.
pub fn rules_with_sql_and_fixtures(
    catalog: &Catalog,
    standard: &str,
    dir: &Path,
) -> (Vec<String>, Vec<String>) {
    let mut codes: Vec<String> = catalog.standards[standard]
        .rules
        .iter()
        .filter(|r| r.value.sql().is_some())
        .map(|r| r.value.code.clone())
        .collect();
    codes.sort();
    let mut fixtures: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            match name.strip_suffix(".yaml") {
                Some(stem) if p.is_file() => stem.to_owned(),
                _ => name,
            }
        })
        .collect();
    fixtures.sort();
    (codes, fixtures)
}

/// Runs every rule of `standard` that has SQL on its fixture in `dir`, and describes each
/// outcome that differs from the fixture's: a rule that did not run, a failing case that flagged
/// other rows than it expects (or expects none), a passing case that flagged any.
pub fn wrong_outcomes(catalog: &Catalog, standard: &str, dir: &Path) -> Vec<String> {
    let mut wrong = Vec::new();
    for rule in &catalog.standards[standard].rules {
        if rule.value.sql().is_none() {
            continue;
        }
        let code = &rule.value.code;
        let (fail, pass) = read_fixture(dir, code);
        if fail.expected.is_empty() {
            wrong.push(format!("{code}/fail: expects no failing row"));
        }
        if !pass.expected.is_empty() {
            wrong.push(format!("{code}/pass: expects failing rows"));
        }
        for (name, case) in [("fail", &fail), ("pass", &pass)] {
            let report = validate(catalog, standard, case);
            if !report.summary.rules.contains(code) {
                let why: Vec<&str> = report
                    .skipped
                    .iter()
                    .filter(|s| &s.rule == code)
                    .map(|s| s.reason.as_str())
                    .collect();
                wrong.push(format!("{code}/{name}: did not run: {why:?}"));
                continue;
            }
            let got = flagged(&report, code);
            if got != case.expected {
                wrong.push(format!(
                    "{code}/{name}: flagged rows {got:?}, expected {:?}",
                    case.expected
                ));
            }
        }
    }
    wrong
}
