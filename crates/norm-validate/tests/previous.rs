//! Last year's files (`--previous`): checked like this year's, their problems reported apart,
//! never ignored; rules that need them are skipped when they are missing.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use norm_model::Catalog;
use norm_validate::{DataFiles, Encoding, IssueSeverity, Options, Report};

/// Flags an episode of a child who had no episode last year.
const NEW_CHILD: &str = "code: P1\ntitle: The child had no episode last year.\nseverity: query\n\
    entity: episodes\nfields: [child]\n\
    select: SELECT e._row FROM episodes e WHERE NOT EXISTS (SELECT 1 FROM previous.episodes p WHERE p.child = e.child)\n";

fn catalog() -> Catalog {
    catalog_with(&[("rules/P1.yaml", NEW_CHILD)])
}

/// Validates this year's `files` with last year's `previous` (none when empty).
fn validate(files: &[(&str, &[u8])], previous: &[(&str, &[u8])], options: Options) -> Report {
    let catalog = catalog();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("2024")).unwrap();
    let now = write(dir.path(), files);
    let before = write(&dir.path().join("2024"), previous);
    let data = DataFiles::open(&now, Encoding::Utf8).unwrap();
    let before = (!before.is_empty()).then(|| DataFiles::open(&before, Encoding::Utf8).unwrap());
    norm_validate::validate(&catalog, &catalog.standards["demo"], data, before, options).unwrap()
}

fn this_year() -> [(&'static str, &'static [u8]); 2] {
    [
        ("Header.csv", CLEAN_HEADER.as_bytes()),
        ("Episodes.csv", CLEAN_EPISODES.as_bytes()),
    ]
}

/// `(rule, file name, row, message)` of each of last year's issues.
fn previous_issues(report: &Report) -> Vec<(String, String, Option<u64>, String)> {
    report
        .previous
        .as_ref()
        .unwrap()
        .issues
        .iter()
        .map(|i| {
            (
                i.rule.clone(),
                file_name(&i.file).to_owned(),
                i.row,
                i.message.clone(),
            )
        })
        .collect()
}

#[test]
fn last_years_column_and_type_problems_are_reported_apart_and_do_not_fail_this_year() {
    // Last year's episodes lack the WEEKS column and have a date that is no date.
    let before = "CHILD,DECOM,PLACE\nC1,01/04/2024,U1\nC2,31/02/2024,U1\n";
    let report = validate(
        &this_year(),
        &[("Episodes.csv", before.as_bytes())],
        Options::default(),
    );
    assert_eq!(
        previous_issues(&report),
        vec![
            (
                "missing-column".into(),
                "Episodes.csv".into(),
                None,
                "the column `WEEKS` is missing".into()
            ),
            (
                "type".into(),
                "Episodes.csv".into(),
                Some(2),
                "`DECOM` is `31/02/2024`, which is not a date written dd/mm/yyyy".into()
            ),
        ]
    );
    let previous = report.previous.as_ref().unwrap();
    assert!(previous.issues[0].file.contains("2024"));
    assert_eq!((previous.errors, previous.queries), (2, 0));
    assert_eq!(previous.files.len(), 1);
    assert_eq!(
        (previous.files[0].entity.as_str(), previous.files[0].rows),
        ("episodes", 2)
    );
    // This year is clean: last year's problems are not this year's errors.
    assert_eq!(issues(&report), vec![]);
    assert!(!report.has_errors());
    assert_eq!(report.summary.rows, 5);
    // The rule ran against last year's rows as loaded.
    assert_eq!(report.summary.rules, vec!["P1"]);
}

#[test]
fn a_last_years_file_matching_no_entity_is_an_issue_and_its_rules_are_skipped() {
    let report = validate(
        &this_year(),
        &[("extract.csv", b"FOO,BAR\n1,2\n")],
        Options::default(),
    );
    let found = previous_issues(&report);
    assert_eq!(found.len(), 1);
    let (rule, file, row, message) = &found[0];
    assert_eq!(
        (rule.as_str(), file.as_str(), *row),
        ("file", "extract.csv", None)
    );
    assert!(
        message.contains("`extract` matches no entity of demo by name or by its headers")
            && message.ends_with(": it is not read"),
        "{message}"
    );
    assert_eq!(
        report.previous.as_ref().unwrap().issues[0].severity,
        IssueSeverity::Error
    );
    assert!(report.previous.as_ref().unwrap().files.is_empty());
    // This year is still validated; the rule that compares with last year is not passed.
    assert_eq!(report.files.len(), 2);
    assert!(report.summary.rules.is_empty());
    assert_eq!(
        report
            .skipped
            .iter()
            .map(|s| (s.rule.as_str(), s.reason.as_str()))
            .collect::<Vec<_>>(),
        vec![("P1", "needs previous.episodes")]
    );
}

#[test]
fn two_of_last_years_files_for_one_entity_is_an_issue_and_the_first_is_read() {
    let report = validate(
        &this_year(),
        &[
            (
                "Episodes.csv",
                b"CHILD,DECOM,PLACE,WEEKS\nC1,01/04/2024,U1,\n",
            ),
            (
                "episodes_copy.csv",
                b"CHILD,DECOM,PLACE,WEEKS\nC9,01/04/2024,U1,\n",
            ),
        ],
        Options::default(),
    );
    let found = previous_issues(&report);
    assert_eq!(found.len(), 1);
    let (rule, file, _, message) = &found[0];
    assert_eq!(
        (rule.as_str(), file.as_str()),
        ("file", "episodes_copy.csv")
    );
    assert!(
        message.ends_with("both hold episodes: only the first is read"),
        "{message}"
    );
    let previous = report.previous.as_ref().unwrap();
    assert_eq!(previous.files.len(), 1);
    assert_eq!(file_name(&previous.files[0].path), "Episodes.csv");
    // C2 had no episode in the file read: the rule flags C2's episode (row 3) only.
    assert_eq!(
        issues(&report),
        vec![(
            "P1".into(),
            Some(3),
            "The child had no episode last year.".into()
        )]
    );
}

#[test]
fn last_years_references_are_checked_among_last_years_files_or_skipped_with_why() {
    let episodes = "CHILD,DECOM,PLACE,WEEKS\nC1,01/04/2024,U1,\nC7,01/04/2024,U1,\n";
    let header = "CHILD,SEX,DOB,UPN\nC1,M,02/06/2010,\n";
    let report = validate(
        &this_year(),
        &[
            ("Episodes.csv", episodes.as_bytes()),
            ("Header.csv", header.as_bytes()),
        ],
        Options::default(),
    );
    assert_eq!(
        previous_issues(&report),
        vec![(
            "reference".into(),
            "Episodes.csv".into(),
            Some(2),
            "`CHILD` is `C7`, which is not a child of header".into()
        )]
    );
    // Without last year's header, last year's references are listed as not checked.
    let report = validate(
        &this_year(),
        &[("Episodes.csv", episodes.as_bytes())],
        Options::default(),
    );
    assert_eq!(previous_issues(&report), vec![]);
    assert!(
        report.skipped.iter().any(|s| s.rule == "reference"
            && s.reason
                == "last year's episodes.child references header.child, and no --previous file holds header"),
        "{:?}",
        report.skipped
    );
}

#[test]
fn last_years_files_are_checked_when_structure_alone_is() {
    let before = "CHILD,DECOM,PLACE,WEEKS\nC1,01/04/2024,U1,99\n";
    let report = validate(
        &this_year(),
        &[("Episodes.csv", before.as_bytes())],
        Options {
            structure_only: true,
            ..Options::default()
        },
    );
    assert_eq!(
        previous_issues(&report),
        vec![(
            "constraint".into(),
            "Episodes.csv".into(),
            Some(1),
            "`WEEKS` is `99`: more than the maximum 52".into()
        )]
    );
}

#[test]
fn without_last_years_files_there_is_no_previous_section_and_the_rule_is_skipped() {
    let report = validate(&this_year(), &[], Options::default());
    assert!(report.previous.is_none());
    let json = serde_json::to_value(&report).unwrap();
    assert!(json.get("previous").is_none());
    assert_eq!(report.skipped[0].reason, "needs previous.episodes");
}
