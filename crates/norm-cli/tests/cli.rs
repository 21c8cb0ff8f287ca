//! Runs the built `norm` binary on fixture repositories and checks its exact output.

// Helpers of an integration test may fail loudly: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `norm` in `dir` with a pinned environment and renders exit code, stdout and stderr.
fn norm(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_norm"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("norm runs");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A temporary repository with a valid `norm.yaml` and the given files.
fn temp_repo(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // Documentation rules are off: these repositories test loading and references.
    std::fs::write(
        dir.path().join("norm.yaml"),
        "lint:\n  rules: { missing-title: off, missing-description: off, missing-provenance: off }\n",
    )
    .unwrap();
    for (path, bytes) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }
    dir
}

const STANDARD: &[u8] = b"id: demo\ntitle: Demo\nversion: 1.0.0\n";

#[test]
fn our_own_standards_lint_clean() {
    let out = norm(&repo_root(), &["lint"]);
    assert_eq!(out, "exit: 0\n--- stdout\nno problems found\n--- stderr\n");
}

#[test]
fn three_broken_files_are_all_named_at_their_true_lines() {
    let dir = fixture("three-broken");
    insta::assert_snapshot!("three_broken_human", norm(&dir, &["lint"]));
    insta::assert_snapshot!(
        "three_broken_concise",
        norm(&dir, &["lint", "--format", "concise"])
    );
    insta::assert_snapshot!(
        "three_broken_json",
        norm(&dir, &["lint", "--format", "json"])
    );
    insta::assert_snapshot!(
        "three_broken_github",
        norm(&dir, &["lint", "--format", "github"])
    );
}

#[test]
fn paths_limit_the_report_but_not_what_is_loaded() {
    let dir = fixture("three-broken");
    let out = norm(
        &dir,
        &["lint", "standards/demo/entities", "--format", "concise"],
    );
    assert_eq!(
        out,
        "exit: 1\n--- stdout\nstandards/demo/entities/person.yaml:10:15: error[dangling-reference] \
         code list `sexx` does not exist\n--- stderr\n"
    );
}

#[test]
fn a_missing_norm_yaml_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = norm(dir.path(), &["lint"]);
    let real = std::fs::canonicalize(dir.path()).unwrap();
    assert_eq!(
        out,
        format!(
            "exit: 2\n--- stdout\n--- stderr\nerror: no norm.yaml found in {} or any folder \
             above it; run `norm init` to start a standards repository here\n",
            real.display()
        )
    );
}

#[test]
fn bad_input_gets_located_errors_and_nothing_is_written() {
    let mut big = b"name: big\ndescription: \"".to_vec();
    big.resize(50 * 1024 * 1024, b'x');
    big.extend_from_slice(b"\"\n");
    let dir = temp_repo(&[
        ("standards/demo/standard.yaml", STANDARD),
        ("standards/demo/entities/empty.yaml", b""),
        ("standards/demo/entities/latin1.yaml", b"name: latin1\ntitle: Caf\xe9\n"),
        ("standards/demo/entities/tabs.yaml", b"name: tabs\nfields:\n\t- name: a\n"),
        ("standards/demo/entities/big.yaml", &big),
        (
            "standards/demo/entities/scalar.yaml",
            b"name: scalar\nprimary_key: id\nfields:\n  - name: id\n    type: string\n",
        ),
        (
            "standards/demo/entities/dupe.yaml",
            b"name: dupe\nprimary_key: [id]\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n",
        ),
        (
            "standards/demo/codelists/bomb.yaml",
            b"name: bomb\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
        ),
    ]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "name: secret\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("standards/demo/entities/secret.yaml"),
    )
    .unwrap();
    let before = listing(dir.path());

    let out = norm(dir.path(), &["lint", "--format", "concise"]);
    let out = out.replace(&outside.path().display().to_string(), "<outside>");
    insta::assert_snapshot!("bad_input", out);
    assert_eq!(listing(dir.path()), before, "lint must not write anything");
}

fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let entry = entry.unwrap();
            let meta = std::fs::symlink_metadata(entry.path()).unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            }
            out.push((entry.path(), meta.len()));
        }
    }
    out.sort();
    out
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let dir = temp_repo(&[
        ("standards/demo/standard.yaml", STANDARD),
        ("standards/demo/notes.yml", b"hello: world\n"),
    ]);
    assert!(norm(dir.path(), &["lint"]).starts_with("exit: 0\n"));
    assert!(norm(dir.path(), &["lint", "--deny-warnings"]).starts_with("exit: 1\n"));
}

#[test]
fn rule_levels_and_suppressions_come_from_norm_yaml() {
    let dir = temp_repo(&[
        ("standards/demo/standard.yaml", STANDARD),
        (
            "standards/demo/entities/log.yaml",
            b"name: log\nfields:\n  - name: at\n    type: datetime\n",
        ),
        (
            "standards/demo/entities/audit.yaml",
            b"name: audit\nfields:\n  - name: at\n    type: datetime\n",
        ),
    ]);
    std::fs::write(
        dir.path().join("norm.yaml"),
        "lint:\n  rules: { missing-primary-key: warn, dangling-refs: off, missing-title: off, missing-description: off, missing-provenance: off }\n  allow:\n    - rule: missing-primary-key\n      path: demo/entities/log\n      reason: Append-only log keyed by time.\n    - rule: missing-primary-key\n      path: demo/entities/gone\n      reason: Removed table.\n",
    )
    .unwrap();
    insta::assert_snapshot!("config", norm(dir.path(), &["lint", "--format", "concise"]));
}

/// A suppression of a finding that a file which does not parse would decide (here: a code
/// list only the broken entity uses) is not called unused: the syntax error is the one finding.
#[test]
fn a_suppression_is_not_called_unused_while_a_file_does_not_parse() {
    let entity = b"name: visit\nprimary_key: [kind]\nfields:\n  - name: kind\n    type: code\n    required: true\n    codelist: kind\n";
    let dir = temp_repo(&[
        ("standards/demo/standard.yaml", STANDARD),
        ("standards/demo/entities/visit.yaml", entity),
        (
            "standards/demo/codelists/kind.yaml",
            b"name: kind\nextensible: false\ncodes:\n  - code: A\n",
        ),
        (
            "standards/demo/codelists/legacy.yaml",
            b"name: legacy\nextensible: false\ncodes:\n  - code: A\n",
        ),
    ]);
    std::fs::write(
        dir.path().join("norm.yaml"),
        "lint:\n  rules: { missing-title: off, missing-description: off, missing-provenance: off }\n  allow:\n    - rule: unused-codelist\n      path: demo/codelists/legacy\n      reason: Kept for one release.\n",
    )
    .unwrap();
    let clean = norm(dir.path(), &["lint", "--format", "concise"]);
    assert!(clean.starts_with("exit: 0\n"), "{clean}");
    assert!(!clean.contains("unused-allow"), "{clean}");
    std::fs::write(
        dir.path().join("standards/demo/entities/visit.yaml"),
        String::from_utf8_lossy(entity).replace("    type: code", "\ttype: code"),
    )
    .unwrap();
    let broken = norm(dir.path(), &["lint", "--format", "concise"]);
    assert!(broken.starts_with("exit: 1\n"), "{broken}");
    assert!(broken.contains("syntax-error"), "{broken}");
    assert!(!broken.contains("unused-allow"), "{broken}");
}

#[test]
fn schema_prints_the_committed_schema() {
    for kind in ["entity", "rule"] {
        let out = norm(&repo_root(), &["schema", kind]);
        let committed =
            std::fs::read_to_string(repo_root().join(format!("docs/schema/{kind}.schema.json")))
                .unwrap();
        assert_eq!(out, format!("exit: 0\n--- stdout\n{committed}--- stderr\n"));
    }
}

#[test]
fn every_standards_file_names_its_schema() {
    let root = repo_root();
    let mut stack = vec![root.join("standards")];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let kind = match path
                    .parent()
                    .and_then(|p| p.file_name())
                    .and_then(|n| n.to_str())
                {
                    Some("entities") => "../../../docs/schema/entity.schema.json",
                    Some("codelists") => "../../../docs/schema/codelist.schema.json",
                    Some("rules") => "../../../docs/schema/rule.schema.json",
                    _ => "../../docs/schema/standard.schema.json",
                };
                let first = std::fs::read_to_string(&path).unwrap();
                let first = first.lines().next().unwrap_or_default().to_owned();
                assert_eq!(
                    first,
                    format!("# yaml-language-server: $schema={kind}"),
                    "{}",
                    path.display()
                );
                assert!(path.parent().unwrap().join(kind).exists());
                seen += 1;
            }
        }
    }
    assert!(seen >= 5);
}

#[test]
fn rules_lists_and_explains() {
    let list = norm(&repo_root(), &["rules"]);
    assert!(list.starts_with("exit: 0\n"));
    assert!(
        list.contains("dangling-reference         error    Reports a `codelist` or `references`")
    );
    let one = norm(&repo_root(), &["rules", "dangling-referense"]);
    assert_eq!(
        one,
        "exit: 2\n--- stdout\n--- stderr\nerror: no rule `dangling-referense`; did you mean `dangling-reference`?\n"
    );
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let dir = fixture("three-broken");
    let out = Command::new(env!("CARGO_BIN_EXE_norm"))
        .args(["lint", "--format", "sarif"])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The rtm.5 schema's `language` patterns have a stray `]` that this validator's regex check
    // rejects; later revisions of the schema read `^[a-zA-Z]{2}(-[a-zA-Z]{2})?$`. norm never
    // writes `language`, so correcting the pattern changes nothing under test.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json"),
    )
    .unwrap()
    .replace(
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    // The validator does reject what is not SARIF 2.1.0.
    assert!(!validator.is_valid(&serde_json::json!({ "version": "2.0.0", "runs": [] })));
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "SARIF does not validate: {errors:#?}");

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(
            rules[index]["helpUri"]
                .as_str()
                .unwrap()
                .ends_with(&format!(
                    "/docs/rules/{}.md",
                    result["ruleId"].as_str().unwrap()
                ))
        );
    }
    let dangling = results
        .iter()
        .find(|r| r["ruleId"] == "dangling-reference")
        .unwrap();
    assert_eq!(
        dangling["locations"][0]["physicalLocation"],
        serde_json::json!({
            "artifactLocation": { "uri": "standards/demo/entities/person.yaml", "uriBaseId": "%SRCROOT%" },
            "region": { "startLine": 10, "startColumn": 15, "endLine": 10, "endColumn": 19 }
        })
    );
}

#[test]
fn norm_rules_and_the_generated_pages_agree() {
    let list = Command::new(env!("CARGO_BIN_EXE_norm"))
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).unwrap();
    assert!(rules.len() >= 30, "{} rules", rules.len());
    let docs = repo_root().join("docs/rules");
    for rule in &rules {
        let id = rule["id"].as_str().unwrap();
        let explained = Command::new(env!("CARGO_BIN_EXE_norm"))
            .args(["rules", id])
            .output()
            .unwrap();
        let page = std::fs::read_to_string(docs.join(format!("{id}.md"))).unwrap();
        assert_eq!(String::from_utf8_lossy(&explained.stdout), page, "{id}");
    }
}

#[test]
fn json_output_validates_against_its_committed_schema() {
    let out = Command::new(env!("CARGO_BIN_EXE_norm"))
        .args(["lint", "--format", "json"])
        .current_dir(fixture("three-broken"))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("docs/schema/lint-report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(!validator.is_valid(&serde_json::json!({ "diagnostics": [{}], "errors": 0 })));
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report["errors"], 3);
}

#[test]
fn a_suppression_without_a_reason_is_an_error() {
    let dir = temp_repo(&[("standards/demo/standard.yaml", STANDARD)]);
    std::fs::write(
        dir.path().join("norm.yaml"),
        "lint:\n  allow:\n    - rule: missing-primary-key\n      path: demo/entities/log\n",
    )
    .unwrap();
    let out = norm(dir.path(), &["lint", "--format", "concise"]);
    assert!(
        out.contains("norm.yaml:3:7: error[missing-key] missing required key `reason`"),
        "{out}"
    );
    assert!(out.starts_with("exit: 1\n"));
}

#[test]
fn completions_are_printed_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_norm()"),
        ("zsh", "#compdef norm"),
        ("fish", "complete -c norm"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = norm(&repo_root(), &["completions", shell]);
        assert!(out.starts_with("exit: 0\n"), "{shell}");
        assert!(out.contains(marker), "{shell}: no `{marker}`");
    }
}

/// The example lines of `--help` output as [`norm`] renders it: the lines after the `Examples:`
/// (or `Example:`) heading up to the next blank line or the end of stdout, or `None` when there
/// is no such heading on a line of its own.
fn help_examples(help: &str) -> Option<Vec<&str>> {
    let mut lines = help.lines();
    lines.find(|l| matches!(l.trim(), "Examples:" | "Example:"))?;
    Some(
        lines
            .take_while(|l| !l.trim().is_empty() && *l != "--- stderr")
            .collect(),
    )
}

#[test]
fn every_subcommand_help_gives_one_example_per_line() {
    let command = <norm_cli::cli::Cli as clap::CommandFactory>::command();
    let names: Vec<&str> = command
        .get_subcommands()
        .map(clap::Command::get_name)
        .filter(|&n| n != "help")
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        for flag in ["--help", "-h"] {
            let out = norm(&repo_root(), &[name, flag]);
            let examples = help_examples(&out)
                .unwrap_or_else(|| panic!("`norm {name} {flag}` has no Examples heading:\n{out}"));
            assert!(!examples.is_empty(), "norm {name} {flag}:\n{out}");
            for line in examples {
                // Run together, `norm lint norm lint --format json` holds `norm` twice.
                assert!(
                    line.starts_with("  norm ") && line.matches("norm ").count() == 1,
                    "`norm {name} {flag}`: not one example on its own line: {line:?}\n{out}"
                );
            }
        }
    }
}
