//! The structure pass: every check that comes from the model, on small synthetic files.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use norm_validate::{DataFiles, Encoding, IssueSeverity};

#[test]
fn clean_files_give_no_issues_and_count_rows() {
    let report = run(&[
        ("Header.csv", CLEAN_HEADER.as_bytes()),
        ("Episodes.csv", CLEAN_EPISODES.as_bytes()),
    ]);
    assert_eq!(issues(&report), vec![]);
    let files: Vec<(&str, &str, u64, &str)> = report
        .files
        .iter()
        .map(|f| (file_name(&f.path), f.entity.as_str(), f.rows, f.matched_by))
        .collect();
    assert_eq!(
        files,
        vec![
            ("Header.csv", "header", 2, "name"),
            ("Episodes.csv", "episodes", 3, "name")
        ]
    );
    assert_eq!(report.summary.rows, 5);
    assert_eq!(report.summary.errors, 0);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
}

#[test]
fn every_cell_check_reports_the_row_line_field_and_value() {
    let header = "CHILD,SEX,DOB,UPN\n\
                  C1,X,02/06/2010,A123\n\
                  C2,F,31/02/2012,a12\n\
                  ,M,01/01/2011,A124\n\
                  C4,M,01/01/2011,A123\n\
                  C1,F,01/01/2013,\n";
    let report = run(&[("Header.csv", header.as_bytes())]);
    assert_eq!(
        issues(&report),
        vec![
            (
                "codelist".into(),
                Some(1),
                "`SEX` is `X`, which is not a code of the list sex".into()
            ),
            (
                "type".into(),
                Some(2),
                "`DOB` is `31/02/2012`, which is not a date written dd/mm/yyyy".into()
            ),
            (
                "constraint".into(),
                Some(2),
                "`UPN` is `a12`: does not match the pattern `[A-Z][0-9]{3}`".into()
            ),
            (
                "required".into(),
                Some(3),
                "`CHILD` is required but empty".into()
            ),
            (
                "unique".into(),
                Some(4),
                "the unique key (UPN) is (A123), as on row 1".into()
            ),
            (
                "primary-key".into(),
                Some(5),
                "the primary key (CHILD) is (C1), as on row 1".into()
            ),
        ]
    );
    let first = &report.issues[0];
    assert_eq!(first.line, Some(2));
    assert_eq!(first.fields, vec!["sex"]);
    assert_eq!(first.values.get("sex").map(String::as_str), Some("X"));
    assert_eq!(first.subject.as_deref(), Some("C1"));
    assert_eq!(first.entity, "header");
    assert_eq!(report.summary.by_rule.get("codelist"), Some(&1));
}

#[test]
fn an_open_list_gives_a_query_and_bounds_are_checked() {
    let episodes = "CHILD,DECOM,PLACE,WEEKS\nC1,01/04/2025,Z9,53\nC1,01/04/2025,U1,x\n";
    let report = run(&[
        ("Header.csv", CLEAN_HEADER.as_bytes()),
        ("Episodes.csv", episodes.as_bytes()),
    ]);
    assert_eq!(
        issues(&report),
        vec![
            (
                "codelist".into(),
                Some(1),
                "`PLACE` is `Z9`, which is not a code of the open list placement".into()
            ),
            (
                "constraint".into(),
                Some(1),
                "`WEEKS` is `53`: more than the maximum 52".into()
            ),
            (
                "type".into(),
                Some(2),
                "`WEEKS` is `x`, which is not a whole number".into()
            ),
            (
                "primary-key".into(),
                Some(2),
                "the primary key (CHILD, DECOM) is (C1, 2025-04-01), as on row 1".into()
            ),
        ]
    );
    assert_eq!(report.issues[0].severity, IssueSeverity::Query);
    assert_eq!(report.summary.queries, 1);
    assert_eq!(report.summary.errors, 3);
}

#[test]
fn references_are_checked_across_files_in_any_order() {
    let episodes = "CHILD,DECOM,PLACE,WEEKS\nC1,01/04/2025,U1,\nC9,01/04/2025,U1,\n";
    // Episodes given first: the header is still read first, so the reference is checked.
    let report = run(&[
        ("Episodes.csv", episodes.as_bytes()),
        ("Header.csv", CLEAN_HEADER.as_bytes()),
    ]);
    assert_eq!(
        issues(&report),
        vec![(
            "reference".into(),
            Some(2),
            "`CHILD` is `C9`, which is not a child of header".into()
        )]
    );
    assert_eq!(file_name(&report.issues[0].file), "Episodes.csv");
}

#[test]
fn a_reference_whose_target_is_not_supplied_is_skipped_not_passed() {
    let report = run(&[("Episodes.csv", CLEAN_EPISODES.as_bytes())]);
    assert_eq!(issues(&report), vec![]);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].rule, "reference");
    assert_eq!(
        report.skipped[0].reason,
        "episodes.child references header.child, and no file holds header"
    );
}

#[test]
fn missing_and_unknown_columns_are_reported_once_each() {
    let header = "child,DOB,NOTES\nC1,02/06/2010,x\n";
    let report = run(&[("Header.csv", header.as_bytes())]);
    assert_eq!(
        issues(&report),
        vec![
            (
                "missing-column".into(),
                None,
                "the column `SEX` is missing".into()
            ),
            (
                "missing-column".into(),
                None,
                "the column `UPN` is missing".into()
            ),
            (
                "unknown-column".into(),
                None,
                "column C `NOTES` is not a field of header".into()
            ),
        ]
    );
    // Columns match case-insensitively: `child` is CHILD.
    assert!(report.issues.iter().all(|i| i.fields != vec!["child"]));
}

#[test]
fn files_match_by_headers_when_their_name_says_nothing() {
    let report = run(&[("export_1.csv", CLEAN_HEADER.as_bytes())]);
    assert_eq!(report.files[0].entity, "header");
    assert_eq!(report.files[0].matched_by, "headers");
}

#[test]
fn the_standard_is_found_from_the_files_or_the_ambiguity_named() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write(dir.path(), &[("Header.csv", CLEAN_HEADER.as_bytes())]);
    let catalog = catalog();
    let files = DataFiles::open(&paths, Encoding::Utf8).unwrap();
    assert_eq!(
        norm_validate::standard_for(&catalog, &files).unwrap().id(),
        "demo"
    );

    let mut blobs = Vec::new();
    for id in ["demo", "other"] {
        blobs.push(norm_model::Blob {
            path: format!("standards/{id}/standard.yaml"),
            bytes: format!("id: {id}\ntitle: T\nversion: 1.0.0\n").into_bytes(),
        });
        blobs.push(norm_model::Blob {
            path: format!("standards/{id}/entities/header.yaml"),
            bytes: b"name: header\nfields:\n  - { name: child, type: string }\n".to_vec(),
        });
    }
    let two = norm_model::Catalog::load(blobs);
    let error = norm_validate::standard_for(&two, &files)
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "the files match the entities of several standards (demo, other): name one with --standard"
    );
}

#[test]
fn an_ods_workbook_is_read_sheet_by_sheet() {
    let bytes = ods(
        "Header",
        &[
            &["CHILD", "SEX", "DOB", "UPN"],
            &["C1", "M", "02/06/2010", "A123"],
            &["C2", "F", "2012-01-15", "b"],
        ],
    );
    let report = run(&[("return.ods", &bytes)]);
    assert_eq!(
        issues(&report),
        vec![(
            "constraint".into(),
            Some(2),
            "`UPN` is `b`: does not match the pattern `[A-Z][0-9]{3}`".into()
        )]
    );
    assert_eq!(report.issues[0].cell.as_deref(), Some("D3"));
    assert_eq!(report.files[0].rows, 2);
}

/// An entity of lists: each cell of a `multiple: true` field holds items separated by `;`.
const DISABILITIES: &str = r#"name: disabilities
data: { names: [Disabilities] }
fields:
  - { name: child, column: CHILD, type: string, required: true }
  - { name: kinds, column: KINDS, type: code, codelist: disability, multiple: true }
  - { name: reviews, column: REVIEWS, type: date, multiple: true }
  - { name: hours, column: HOURS, type: integer, multiple: true, constraints: { maximum: 40 } }
  - { name: notes, column: NOTES, type: string, multiple: true, required: true, constraints: { max_length: 3 } }
"#;

const DISABILITY: &str =
    "name: disability\nextensible: false\ncodes:\n  - { code: LD }\n  - { code: AUTI }\n";

#[test]
fn each_item_of_a_multiple_field_is_checked_and_reported_with_its_position() {
    let catalog = catalog_with(&[
        ("entities/disabilities.yaml", DISABILITIES),
        ("codelists/disability.yaml", DISABILITY),
    ]);
    let data = "CHILD,KINDS,REVIEWS,HOURS,NOTES\n\
                C1,AUTI;LD,01/04/2025;01/05/2025,3;40,ab;cd\n\
                C2,LD;XX,01/04/2025;31/02/2025,41,abcd\n\
                C3, LD ; AUTI ,,3,a\n\
                C4,LD;;AUTI,01/04/2025;,x,\n";
    let report = run_in(
        &catalog,
        &[("Disabilities.csv", data.as_bytes())],
        Encoding::Utf8,
    )
    .unwrap();
    let found: Vec<(String, Option<u64>, Option<u64>, String)> = report
        .issues
        .iter()
        .map(|i| (i.rule.clone(), i.row, i.item, i.message.clone()))
        .collect();
    let empty = |header: &str, item: u64| {
        format!("`{header}` item {item} is empty: write the items separated by `;`, none empty")
    };
    assert_eq!(
        found,
        vec![
            (
                "codelist".into(),
                Some(2),
                Some(2),
                "`KINDS` item 2 is `XX`, which is not a code of the list disability".into()
            ),
            (
                "type".into(),
                Some(2),
                Some(2),
                "`REVIEWS` item 2 is `31/02/2025`, which is not a date written dd/mm/yyyy".into()
            ),
            (
                "constraint".into(),
                Some(2),
                Some(1),
                "`HOURS` item 1 is `41`: more than the maximum 40".into()
            ),
            (
                "constraint".into(),
                Some(2),
                Some(1),
                "`NOTES` item 1 is `abcd`: longer than 3 characters".into()
            ),
            ("type".into(), Some(4), Some(2), empty("KINDS", 2)),
            ("type".into(), Some(4), Some(2), empty("REVIEWS", 2)),
            (
                "type".into(),
                Some(4),
                Some(1),
                "`HOURS` item 1 is `x`, which is not a whole number".into()
            ),
            (
                "required".into(),
                Some(4),
                None,
                "`NOTES` is required but empty".into()
            ),
        ]
    );
    // The issue's values are the cell as written; its fields the field.
    let first = &report.issues[0];
    assert_eq!(first.fields, vec!["kinds"]);
    assert_eq!(first.values.get("kinds").map(String::as_str), Some("LD;XX"));
}

#[test]
fn rules_see_a_multiple_field_as_its_typed_items_joined_by_semicolons() {
    // Row 1 holds the items as the rule expects them typed: ISO dates, trimmed codes.
    let rule = "code: M1\ntitle: Reviews as expected.\nseverity: error\nentity: disabilities\n\
                fields: [kinds, reviews, hours]\n\
                check: kinds = 'AUTI;LD' AND reviews = '2025-04-01;2025-05-01' AND hours = '3;40'\n";
    let catalog = catalog_with(&[
        ("entities/disabilities.yaml", DISABILITIES),
        ("codelists/disability.yaml", DISABILITY),
        ("rules/M1.yaml", rule),
    ]);
    let data = "CHILD,KINDS,REVIEWS,HOURS,NOTES\n\
                C1, AUTI ;LD,01/04/2025; 1/5/2025,3;40,a\n\
                C2,AUTI;LD,01/04/2025,3;40,a\n";
    let report = run_in(
        &catalog,
        &[("Disabilities.csv", data.as_bytes())],
        Encoding::Utf8,
    )
    .unwrap();
    assert_eq!(
        issues(&report),
        vec![("M1".into(), Some(2), "Reviews as expected.".into())]
    );
    assert_eq!(
        report.issues[0].values.get("reviews").map(String::as_str),
        Some("2025-04-01")
    );
}

#[test]
fn keys_and_references_hold_past_the_rows_that_size_the_key_sets() {
    // Enough rows that the key sets are sized from the file, with the repeats after that.
    let mut header = String::from("CHILD,SEX,DOB,UPN\n");
    for n in 1..=300 {
        header.push_str(&format!("C{n},M,02/06/2010,\n"));
    }
    header.push_str("C10,F,02/06/2010,\n");
    let mut episodes = String::from("CHILD,DECOM,PLACE,WEEKS\n");
    for n in 1..=300 {
        episodes.push_str(&format!("C{n},01/04/2025,U1,\n"));
    }
    episodes.push_str("C299,01/04/2025,U1,\nC301,01/04/2025,U1,\n");
    let report = run(&[
        ("Episodes.csv", episodes.as_bytes()),
        ("Header.csv", header.as_bytes()),
    ]);
    assert_eq!(
        issues(&report),
        vec![
            (
                "primary-key".into(),
                Some(301),
                "the primary key (CHILD, DECOM) is (C299, 2025-04-01), as on row 299".into()
            ),
            (
                "reference".into(),
                Some(302),
                "`CHILD` is `C301`, which is not a child of header".into()
            ),
            (
                "primary-key".into(),
                Some(301),
                "the primary key (CHILD) is (C10), as on row 10".into()
            ),
        ]
    );
}

#[test]
fn each_item_of_a_multiple_reference_must_be_in_the_referenced_file() {
    let groups = "name: groups\ndata: { names: [Groups] }\nfields:\n  - { name: group, column: GROUP, type: string }\n  - { name: members, column: MEMBERS, type: string, multiple: true, references: header.child }\n";
    let catalog = catalog_with(&[("entities/groups.yaml", groups)]);
    let data = "GROUP,MEMBERS\nG1,C1;C2\nG2,C2; C9\n";
    let report = run_in(
        &catalog,
        &[
            ("Groups.csv", data.as_bytes()),
            ("Header.csv", CLEAN_HEADER.as_bytes()),
        ],
        Encoding::Utf8,
    )
    .unwrap();
    assert_eq!(
        issues(&report),
        vec![(
            "reference".into(),
            Some(2),
            "`MEMBERS` item 2 is `C9`, which is not a child of header".into()
        )]
    );
    assert_eq!(report.issues[0].item, Some(2));
}

/// `unique` on a list holds for each item: no item appears twice in the table, in one cell or
/// in two, while two cells of the same items in another order are no longer a match missed
/// (the whole cell was compared before).
#[test]
fn unique_on_a_multiple_field_holds_for_each_item() {
    let tags = "name: tags\ndata: { names: [Tags] }\nfields:\n  - { name: child, column: CHILD, type: string }\n  - { name: tags, column: TAGS, type: string, multiple: true, constraints: { unique: true } }\n";
    let catalog = catalog_with(&[("entities/tags.yaml", tags)]);
    let data = "CHILD,TAGS\nC1,T1;T2\nC2,T3\nC3,T2;T1\nC4,T4;T4\nC5,T5\n";
    let report = run_in(&catalog, &[("Tags.csv", data.as_bytes())], Encoding::Utf8).unwrap();
    let found: Vec<(String, Option<u64>, Option<u64>, String)> = report
        .issues
        .iter()
        .map(|i| (i.rule.clone(), i.row, i.item, i.message.clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "unique".into(),
                Some(3),
                Some(1),
                "`TAGS` item 1 is `T2`, as on row 1: each item of the list is unique".into()
            ),
            (
                "unique".into(),
                Some(3),
                Some(2),
                "`TAGS` item 2 is `T1`, as on row 1: each item of the list is unique".into()
            ),
            (
                "unique".into(),
                Some(4),
                Some(2),
                "`TAGS` item 2 is `T4`, as on row 4: each item of the list is unique".into()
            ),
        ]
    );
    assert_eq!(report.issues[0].fields, vec!["tags"]);
}
