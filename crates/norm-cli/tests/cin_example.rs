//! The CIN census example return (`examples/cin-census`): `norm validate` finds the standard
//! from the files, runs its rules, and reports the three documented mistakes and nothing else.

#![allow(clippy::unwrap_used)]

#[path = "support/site.rs"]
mod site;
mod support;

#[test]
fn the_cin_example_reports_its_three_documented_mistakes_and_nothing_else() {
    let root = site::workspace_root();
    let mut files: Vec<String> = std::fs::read_dir(root.join("examples/cin-census"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| {
            p.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 8, "one file per table: {files:?}");
    let mut args = vec!["validate"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    let (code, out, err) = support::norm_in(&root, &args);
    assert_eq!((code, err.as_str()), (1, ""), "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["standard"], "cin-census");
    let issues: Vec<(&str, &str, u64)> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["rule"].as_str().unwrap(),
                i["entity"].as_str().unwrap(),
                i["row"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        issues,
        vec![
            ("codelist", "cin_details", 2),
            ("1103", "assessments", 3),
            ("8866", "cin_details", 2),
            ("8925", "child_protection_plans", 2),
        ]
    );
    // The rules with SQL ran; those without are reported as not run, not as passed.
    let ran = json["summary"]["rules"].as_array().unwrap().len();
    assert!(ran > 80, "{ran} rules ran");
    let skipped = json["skipped"].as_array().unwrap();
    assert!(
        skipped.iter().all(|s| s["reason"]
            .as_str()
            .unwrap()
            .starts_with("not expressed in SQL")),
        "{skipped:?}"
    );
}
