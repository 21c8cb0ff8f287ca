//! Fixtures for the rules of our own standards, run through the real engine: for every rule
//! with SQL, rows that must fail and rows that must pass (`<fixtures>/<code>/{fail,pass}/`, with
//! last year's files under `previous/` and the failing rows in `fail/expected`).

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use norm_model::{Catalog, worktree};
use norm_validate::{DataFiles, Encoding, IssueKind, Options, Report};

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

fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    files
}

/// Validates the CSV files of `dir` (and of `dir/previous`, as last year's) against `standard`.
pub fn validate(catalog: &Catalog, standard: &str, dir: &Path) -> Report {
    let files = DataFiles::open(&csv_files(dir), Encoding::Utf8).unwrap();
    let previous = csv_files(&dir.join("previous"));
    let previous =
        (!previous.is_empty()).then(|| DataFiles::open(&previous, Encoding::Utf8).unwrap());
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

/// The codes of the rules of `standard` that have SQL, and the fixture folders in `dir`, both
/// sorted, so that a test can assert they are the same.
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
    let mut dirs: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    (codes, dirs)
}

/// Runs every rule of `standard` that has SQL on its fixtures in `dir`, and describes each
/// outcome that differs from the fixture's: a rule that did not run, a failing case that flagged
/// other rows than `fail/expected` (or expected none), a passing case that flagged any.
pub fn wrong_outcomes(catalog: &Catalog, standard: &str, dir: &Path) -> Vec<String> {
    let mut wrong = Vec::new();
    for rule in &catalog.standards[standard].rules {
        if rule.value.sql().is_none() {
            continue;
        }
        let code = &rule.value.code;
        for case in ["fail", "pass"] {
            let report = validate(catalog, standard, &dir.join(code).join(case));
            if !report.summary.rules.contains(code) {
                let why: Vec<&str> = report
                    .skipped
                    .iter()
                    .filter(|s| &s.rule == code)
                    .map(|s| s.reason.as_str())
                    .collect();
                wrong.push(format!("{code}/{case}: did not run: {why:?}"));
                continue;
            }
            let expected: Vec<u64> = match case {
                "fail" => std::fs::read_to_string(dir.join(code).join("fail/expected"))
                    .unwrap()
                    .split_whitespace()
                    .map(|n| n.parse().unwrap())
                    .collect(),
                _ => Vec::new(),
            };
            let got = flagged(&report, code);
            if got != expected || (case == "fail" && expected.is_empty()) {
                wrong.push(format!(
                    "{code}/{case}: flagged rows {got:?}, expected {expected:?}"
                ));
            }
        }
    }
    wrong
}
