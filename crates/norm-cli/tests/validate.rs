//! `norm validate`: every report format, the exit codes and releases read from git, run on the
//! built binary in a temporary repository.

#![allow(clippy::unwrap_used)]

#[path = "support/site.rs"]
mod site;
mod support;

use support::Repo;

const STANDARD: &str =
    "id: demo\ntitle: Demo\nversion: 1.0.0\ndata: { date_format: \"%d/%m/%Y\", subject: child }\n";
const HEADER: &str = "name: header\ndata: { names: [Header] }\nprimary_key: [child]\nfields:\n  - { name: child, column: CHILD, type: string, required: true }\n  - { name: sex, column: SEX, type: code, codelist: sex }\n  - { name: dob, column: DOB, type: date }\n";
const SEX: &str = "name: sex\ncodes:\n  - { code: M }\n  - { code: F }\n";

const CLEAN: &str = "CHILD,SEX,DOB\nC1,M,02/06/2010\nC2,F,15/01/2012\n";
const BAD: &str = "CHILD,SEX,DOB\nC1,M,02/06/2010\nC2,X,15/01/2012\nC3,M,31/02/2012\n";

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write(
        "norm.yaml",
        "lint:\n  rules: { missing-title: off, missing-description: off, missing-provenance: off }\n",
    );
    repo.write("standards/demo/standard.yaml", STANDARD);
    repo.write("standards/demo/entities/header.yaml", HEADER);
    repo.write("standards/demo/codelists/sex.yaml", SEX);
    repo
}

#[test]
fn a_clean_file_exits_0_and_errors_exit_1_with_a_summary_per_rule() {
    let repo = repo();
    repo.write("data/Header.csv", CLEAN);
    let (code, out, err) = repo.norm(&["validate", "data/Header.csv"]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert_eq!(
        out,
        "demo 1.0.0\n  data/Header.csv -> header (2 rows)\n\n0 errors, 0 queries in 2 rows; 0 rules ran, 0 skipped\n"
    );

    repo.write("data/Header.csv", BAD);
    let (code, out, _) = repo.norm(&["validate", "data/Header.csv"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out,
        "demo 1.0.0
  data/Header.csv -> header (3 rows)

error       codelist      1  A value is not a code of its list.
error           type      1  A value is not of its field's type.

codelist: A value is not a code of its list.
  data/Header.csv row 2 (line 3): `SEX` is `X`, which is not a code of the list sex; sex=X

type: A value is not of its field's type.
  data/Header.csv row 3 (line 4): `DOB` is `31/02/2012`, which is not a date written dd/mm/yyyy; dob=31/02/2012

2 errors, 0 queries in 3 rows; 0 rules ran, 0 skipped
"
    );
}

#[test]
fn rules_without_sql_are_skipped_with_their_reasons_never_passed() {
    let repo = repo();
    repo.write("data/Header.csv", CLEAN);
    for code in ["201", "202"] {
        repo.write(
            &format!("standards/demo/rules/{code}.yaml"),
            &format!(
                "code: \"{code}\"\ntitle: Rule {code}.\nseverity: error\nentity: header\n\
                 unexpressed: Needs the placements other authorities hold.\n"
            ),
        );
    }
    repo.write(
        "standards/demo/rules/203.yaml",
        "code: \"203\"\ntitle: Sex is given.\nseverity: error\nentity: header\ncheck: sex IS NOT NULL\n",
    );
    let (code, out, err) = repo.norm(&["validate", "data/Header.csv"]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(
        out.ends_with(
            "skipped 2 rules not expressed in SQL (the standard gives each one's reason): 201, 202\n\n\
             0 errors, 0 queries in 2 rows; 1 rule ran, 2 skipped\n"
        ),
        "{out}"
    );
    let (_, out, _) = repo.norm(&["validate", "data/Header.csv", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["skipped"][0],
        serde_json::json!({
            "rule": "201",
            "reason": "not expressed in SQL: Needs the placements other authorities hold."
        })
    );
}

#[test]
fn rules_skipped_for_one_reason_are_named_on_one_line() {
    let repo = repo();
    repo.write("data/Header.csv", CLEAN);
    repo.write(
        "standards/demo/entities/episodes.yaml",
        "name: episodes\nprimary_key: [child]\nfields:\n  - { name: child, type: string, required: true }\n",
    );
    for code in ["301", "302"] {
        repo.write(
            &format!("standards/demo/rules/{code}.yaml"),
            &format!(
                "code: \"{code}\"\ntitle: Rule {code}.\nseverity: error\nentity: episodes\n\
                 check: child IS NOT NULL\n"
            ),
        );
    }
    let (code, out, err) = repo.norm(&["validate", "data/Header.csv"]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(
        out.ends_with(
            "skipped 2 rules (needs episodes): 301, 302\n\n\
             0 errors, 0 queries in 2 rows; 0 rules ran, 2 skipped\n"
        ),
        "{out}"
    );
}

#[test]
fn json_has_the_shape_of_architecture_md() {
    let repo = repo();
    repo.write("data/Header.csv", BAD);
    let (code, out, _) = repo.norm(&["validate", "data/Header.csv", "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["standard"], "demo");
    assert_eq!(json["version"], "1.0.0");
    assert_eq!(
        json["files"][0],
        serde_json::json!({"path": "data/Header.csv", "entity": "header", "rows": 3, "matched_by": "name"})
    );
    assert_eq!(
        json["issues"][0],
        serde_json::json!({
            "kind": "structure", "rule": "codelist", "severity": "error", "entity": "header",
            "file": "data/Header.csv", "row": 2, "line": 3, "fields": ["sex"],
            "values": {"sex": "X"}, "subject": "C2",
            "message": "`SEX` is `X`, which is not a code of the list sex"
        })
    );
    assert_eq!(
        json["summary"],
        serde_json::json!({"rows": 3, "errors": 2, "queries": 0,
            "by_rule": {"codelist": 1, "type": 1}, "rules": []})
    );
    assert_eq!(json["skipped"], serde_json::json!([]));
}

#[test]
fn csv_junit_and_github_reports() {
    let repo = repo();
    repo.write("data/Header.csv", BAD);
    let (_, out, _) = repo.norm(&["validate", "data/Header.csv", "--format", "csv"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        vec![
            "kind,rule,severity,entity,file,row,line,cell,subject,fields,values,message,previous",
            "structure,codelist,error,header,data/Header.csv,2,3,,C2,sex,sex=X,\"`SEX` is `X`, which is not a code of the list sex\",false",
            "structure,type,error,header,data/Header.csv,3,4,,C3,dob,dob=31/02/2012,\"`DOB` is `31/02/2012`, which is not a date written dd/mm/yyyy\",false",
        ]
    );

    let (_, out, _) = repo.norm(&["validate", "data/Header.csv", "--format", "junit"]);
    let doc = roxmltree::Document::parse(&out).unwrap();
    let cases: Vec<(&str, bool)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| {
            (
                n.attribute("name").unwrap(),
                n.children().any(|c| c.has_tag_name("failure")),
            )
        })
        .collect();
    assert_eq!(
        cases.len(),
        10,
        "a test case per structure check: {cases:?}"
    );
    let failed: Vec<&str> = cases.iter().filter(|c| c.1).map(|c| c.0).collect();
    assert_eq!(failed, vec!["type", "codelist"]);
    let suite = doc.root_element();
    assert_eq!(suite.attribute("failures"), Some("2"));

    let (code, out, _) = repo.norm(&["validate", "data/Header.csv", "--format", "github"]);
    assert_eq!(code, 1);
    assert_eq!(
        out.lines().next(),
        Some(
            "::error file=data/Header.csv,line=3,col=1,title=norm validate codelist::`SEX` is `X`, which is not a code of the list sex (row 2: sex=X)"
        )
    );
}

#[test]
fn xlsx_writes_an_error_summary_and_a_child_summary() {
    let repo = repo();
    repo.write("data/Header.csv", BAD);
    let (code, out, err) = repo.norm(&[
        "validate",
        "data/Header.csv",
        "--format",
        "xlsx",
        "--output",
        "report.xlsx",
    ]);
    assert_eq!((code, out.as_str(), err.as_str()), (1, "", ""));
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(repo.path().join("report.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), vec!["Error summary", "Child summary"]);
    let text = |range: &calamine::Range<calamine::Data>| -> Vec<Vec<String>> {
        range
            .rows()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect()
    };
    let summary = text(&book.worksheet_range("Error summary").unwrap());
    assert_eq!(summary[0], vec!["Code", "Severity", "Description", "Count"]);
    assert_eq!(summary.len(), 3);
    let children = text(&book.worksheet_range("Child summary").unwrap());
    assert_eq!(
        children[0],
        vec![
            "Child", "Table", "Row", "Code", "Severity", "Message", "Fields", "Values"
        ]
    );
    assert_eq!(children[1][..5], ["C2", "header", "2", "codelist", "error"]);
    assert_eq!(children[2][..4], ["C3", "header", "3", "type"]);
}

/// Last year's header: a sex that is no code, and a file that matches no entity.
fn with_last_year(repo: &Repo) {
    repo.write("data/Header.csv", CLEAN);
    repo.write("2024/Header.csv", "CHILD,SEX,DOB\nC1,X,02/06/2010\n");
    repo.write("2024/notes.csv", "NOTE\nx\n");
}

fn validate_with_last_year(repo: &Repo, format: &str) -> (i32, String) {
    let (code, out, err) = repo.norm(&[
        "validate",
        "data/Header.csv",
        "--previous",
        "2024/Header.csv",
        "2024/notes.csv",
        "--format",
        format,
    ]);
    assert_eq!(err, "", "{out}");
    (code, out)
}

#[test]
fn last_years_problems_are_in_every_format_apart_from_this_years_and_do_not_fail_it() {
    let repo = repo();
    with_last_year(&repo);
    let (code, out) = validate_with_last_year(&repo, "human");
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "demo 1.0.0
  data/Header.csv -> header (2 rows)

Last year's files (--previous):
  2024/Header.csv -> header (1 rows)

error       codelist      1  A value is not a code of its list.
error           file      1  A file matches no entity, or holds an entity another file holds.

codelist: A value is not a code of its list.
  2024/Header.csv row 1 (line 2): `SEX` is `X`, which is not a code of the list sex; sex=X

file: A file matches no entity, or holds an entity another file holds.
  2024/notes.csv: `notes` matches no entity of demo by name or by its headers; the entities are header (Header): it is not read

0 errors, 0 queries in 2 rows; 0 rules ran, 0 skipped
last year's files: 2 errors, 0 queries, not counted above
"
    );

    let (_, out) = validate_with_last_year(&repo, "json");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["issues"], serde_json::json!([]));
    assert_eq!(json["previous"]["errors"], 2);
    assert_eq!(json["previous"]["files"][0]["path"], "2024/Header.csv");
    let rules: Vec<&str> = json["previous"]["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["file", "codelist"]);

    let (_, out) = validate_with_last_year(&repo, "csv");
    let marks: Vec<(&str, &str)> = out
        .lines()
        .skip(1)
        .map(|l| (l.split(',').nth(1).unwrap(), l.rsplit(',').next().unwrap()))
        .collect();
    assert_eq!(marks, vec![("file", "true"), ("codelist", "true")]);

    let (_, out) = validate_with_last_year(&repo, "github");
    let titles: Vec<&str> = out
        .lines()
        .map(|l| {
            l.split("title=")
                .nth(1)
                .unwrap()
                .split("::")
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        titles,
        vec![
            "norm validate file (last year's file)",
            "norm validate codelist (last year's file)"
        ]
    );

    let (_, out) = validate_with_last_year(&repo, "junit");
    let doc = roxmltree::Document::parse(&out).unwrap();
    let suites: Vec<(&str, Vec<&str>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|suite| {
            let failed = suite
                .children()
                .filter(|c| c.has_tag_name("testcase"))
                .filter(|c| c.children().any(|f| f.has_tag_name("failure")))
                .map(|c| c.attribute("name").unwrap())
                .collect();
            (suite.attribute("name").unwrap(), failed)
        })
        .collect();
    assert_eq!(
        suites,
        vec![
            ("demo", vec![]),
            ("demo (last year's files)", vec!["codelist", "file"])
        ]
    );

    let (code, out, err) = repo.norm(&[
        "validate",
        "data/Header.csv",
        "--previous",
        "2024/Header.csv",
        "2024/notes.csv",
        "--format",
        "xlsx",
        "--output",
        "report.xlsx",
    ]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(repo.path().join("report.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["Error summary", "Child summary", "Last year's files"]
    );
    let last_year = book.worksheet_range("Last year's files").unwrap();
    let rows: Vec<Vec<String>> = last_year
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][..4], ["", "", "", "file"]);
    assert_eq!(rows[2][..5], ["C1", "header", "1", "codelist", "error"]);
    let children = book.worksheet_range("Child summary").unwrap();
    assert_eq!(children.rows().count(), 1, "only the header row this year");
}

#[test]
fn files_that_cannot_be_read_exit_2_naming_the_file_and_line() {
    let repo = repo();
    repo.write("data/Header.csv", "");
    let (code, out, err) = repo.norm(&["validate", "data/Header.csv"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "error: data/Header.csv, line 1: the file is empty: a data file starts with a header row naming its columns\n"
    );
    repo.write("data/Header.csv", CLEAN);
    let (code, _, err) = repo.norm(&["validate", "data/Header.csv", "--standard", "nope"]);
    assert_eq!(code, 2);
    assert_eq!(err, "error: no standard `nope`; the standards are demo\n");
}

#[test]
fn a_release_is_validated_as_it_was_released() {
    let mut repo = repo();
    let release = repo.commit("demo 1.0.0");
    repo.tag("demo/v1.0.0", release);
    // Since the release, F has left the list.
    repo.write(
        "standards/demo/codelists/sex.yaml",
        "name: sex\ncodes:\n  - { code: M }\n",
    );
    repo.write("data/Header.csv", CLEAN);
    let (code, out, _) = repo.norm(&["validate", "data/Header.csv", "--standard", "demo@1.0.0"]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = repo.norm(&["validate", "data/Header.csv", "--standard", "demo"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("`SEX` is `F`, which is not a code of the list sex"),
        "{out}"
    );
}

#[test]
fn the_readme_example_reports_its_three_documented_mistakes() {
    let (code, out, err) = support::norm_in(
        &site::workspace_root(),
        &[
            "validate",
            "examples/ssda903/Header.csv",
            "examples/ssda903/Episodes.csv",
            "--format",
            "json",
        ],
    );
    assert_eq!((code, err.as_str()), (1, ""), "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["standard"], "ssda903");
    let structure: Vec<(&str, &str)> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "structure")
        .map(|i| (i["rule"].as_str().unwrap(), i["subject"].as_str().unwrap()))
        .collect();
    assert_eq!(
        structure,
        vec![
            ("codelist", "C0000003"),
            ("constraint", "C0000004"),
            ("reference", "C0000009")
        ]
    );
    // The standard's rules see the same three mistakes (INT03 is the DfE's own check that each
    // child in the episodes is in the header), and nothing else in the files.
    let mut rules: Vec<(&str, &str)> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "rule")
        .map(|i| (i["rule"].as_str().unwrap(), i["subject"].as_str().unwrap()))
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        vec![
            ("145", "C0000004"),
            ("146", "C0000003"),
            ("INT03", "C0000009")
        ]
    );
}

/// The Annex A example: lettered values as the workbook writes them (`b) Female`) pass, so
/// the two documented mistakes are the only findings.
#[test]
fn the_annex_a_example_reports_its_two_documented_mistakes() {
    let (code, out, err) = support::norm_in(
        &site::workspace_root(),
        &[
            "validate",
            "examples/annex-a/List 1.csv",
            "examples/annex-a/List 3.csv",
            "examples/annex-a/List 8.csv",
            "--format",
            "json",
        ],
    );
    assert_eq!((code, err.as_str()), (1, ""), "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["standard"], "annex-a");
    let issues: Vec<(&str, &str, &str)> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["rule"].as_str().unwrap(),
                i["subject"].as_str().unwrap(),
                i["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(issues.len(), 2, "{issues:?}");
    // Each is reported against its child (the standard's `data.subject`).
    assert_eq!((issues[0].0, issues[0].1), ("codelist", "C0000003"));
    assert!(issues[0].2.contains("`Sex` is `b`"), "{issues:?}");
    assert_eq!((issues[1].0, issues[1].1), ("type", "C0000004"));
    assert!(issues[1].2.contains("`2025-09-10`"), "{issues:?}");
}

/// A data manager running `norm validate` beside their return, outside any standards
/// repository, is told where the standard must come from.
#[test]
fn outside_a_standards_repository_it_says_where_to_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Header.csv"), "CHILD,SEX\n1,1\n").unwrap();
    let (code, _, err) = support::norm_in(dir.path(), &["validate", "Header.csv"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("is not inside a standards repository"),
        "{err}"
    );
    assert!(
        err.contains("run it from the folder of the repository"),
        "{err}"
    );
    assert!(!err.contains("norm init"), "{err}");
}
