//! Our own standards' rules, run through the real engine: for every rule of
//! `standards/ssda903/rules/`, a fixture of rows that must fail and rows that must pass
//! (`fixtures/rules/<code>/{fail,pass}/`, with last year's files under `previous/` and the
//! failing rows in `fail/expected`).

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use norm_model::{Catalog, worktree};
use norm_validate::{DataFiles, Encoding, IssueKind, Options, Report};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn catalog() -> Catalog {
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

fn validate(catalog: &Catalog, dir: &Path) -> Report {
    let files = DataFiles::open(&csv_files(dir), Encoding::Utf8).unwrap();
    let previous = csv_files(&dir.join("previous"));
    let previous =
        (!previous.is_empty()).then(|| DataFiles::open(&previous, Encoding::Utf8).unwrap());
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

#[test]
fn every_rule_has_a_fixture_and_every_fixture_a_rule() {
    let catalog = catalog();
    let mut codes: Vec<String> = catalog.standards["ssda903"]
        .rules
        .iter()
        .map(|r| r.value.code.clone())
        .collect();
    codes.sort();
    let mut dirs: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    assert!(!codes.is_empty());
    assert_eq!(codes, dirs);
}

#[test]
fn each_rule_fails_its_failing_rows_and_passes_its_passing_ones() {
    let catalog = catalog();
    let mut wrong = Vec::new();
    for rule in &catalog.standards["ssda903"].rules {
        let code = &rule.value.code;
        let dir = fixtures().join(code);
        for case in ["fail", "pass"] {
            let report = validate(&catalog, &dir.join(case));
            if !report.summary.rules.contains(code) {
                wrong.push(format!("{code}/{case}: did not run: {:?}", report.skipped));
                continue;
            }
            let expected: Vec<u64> = match case {
                "fail" => std::fs::read_to_string(dir.join("fail/expected"))
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
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
