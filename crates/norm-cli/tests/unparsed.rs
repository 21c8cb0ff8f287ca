//! One syntax error, one finding: a file of our own standards that does not parse is reported
//! once, first, and is neither a dangling target for lint nor a removal for diff and check.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use support::Repo;

/// A git repository holding a copy of this repository's `norm.yaml` and `standards/`.
fn our_standards() -> Repo {
    let mut repo = Repo::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stack = vec![root.join("standards")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                repo.write(&relative, &std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    repo.write(
        "norm.yaml",
        &std::fs::read_to_string(root.join("norm.yaml")).unwrap(),
    );
    repo.commit("Our standards");
    repo.branch("main");
    repo
}

const PERSON: &str = "standards/ssd/entities/ssd_person.yaml";

/// Indents line `line` (1-based) of the person entity with a tab.
fn break_person(repo: &Repo) {
    let text = repo.read(PERSON);
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == 15 {
                format!("\t{}", l.trim_start())
            } else {
                l.to_owned()
            }
        })
        .collect();
    repo.write(PERSON, &(broken.join("\n") + "\n"));
}

#[test]
fn lint_reports_the_syntax_error_alone_and_first() {
    let repo = our_standards();
    break_person(&repo);
    let (code, stdout, stderr) = repo.norm(&["lint", "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let errors: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    // Nor warnings that follow from it (a list only the broken entity uses is not unused).
    assert_eq!(report["warnings"], 0, "{report:#}");
    assert_eq!(errors[0]["rule"], "syntax-error");
    assert_eq!(errors[0]["file"], PERSON);
    assert_eq!(report["diagnostics"][0]["file"], PERSON);
    let (_, human, _) = repo.norm(&["lint"]);
    let first = human
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    assert!(first.contains("syntax-error"), "{human}");
}

#[test]
fn diff_and_check_compare_nothing_in_a_file_that_does_not_parse() {
    let repo = our_standards();
    break_person(&repo);
    let (code, stdout, stderr) = repo.norm(&["diff", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let ssd = report["standards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "ssd")
        .expect("ssd is reported, with the file it could not compare");
    assert_eq!(ssd["changes"], serde_json::json!([]), "{ssd:#}");
    assert_eq!(ssd["policy_errors"], serde_json::json!([]), "{ssd:#}");
    assert_eq!(ssd["not_compared"], serde_json::json!([PERSON]));
    let (_, text, _) = repo.norm(&["diff", "HEAD"]);
    assert!(!text.contains("removed"), "{text}");
    assert!(text.contains(&format!("not compared: {PERSON}")), "{text}");

    let (code, stdout, _) = repo.norm(&["check", "--base", "main"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(!stdout.contains("removed"), "{stdout}");
    assert!(!stdout.contains("removed-without-deprecation"), "{stdout}");
}
