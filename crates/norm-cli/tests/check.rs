//! `norm check`, the pull request gate, on temporary git repositories built with git2: the
//! governance scenarios of issue E that need no `norm release`.

mod support;

use support::Repo;

const CONFIG: &str = "consumers:\n  - { id: cin-census, kind: statutory-return }\nlint:\n  rules: { missing-description: off, missing-title: off, missing-provenance: off }\ngovernance:\n  require_version_bump: true\n  deprecate_before_remove: true\n  review:\n    major: { approvals: 2, consultation_days: 28 }\n    minor: { approvals: 1, consultation_days: 14 }\n    patch: { approvals: 1, consultation_days: 0 }\n";

fn standard(version: &str) -> String {
    format!("id: example\ntitle: Example\nversion: {version}\n")
}

fn entity(extra: &str) -> String {
    format!(
        "name: person\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n  - name: nickname\n    type: string\n    used_by: [cin-census]\n{extra}"
    )
}

/// A repository whose `main` holds `example` 0.1.0.
fn repo() -> Repo {
    let mut repo = Repo::new();
    repo.write("norm.yaml", CONFIG);
    repo.write("standards/example/standard.yaml", &standard("0.1.0"));
    repo.write("standards/example/entities/person.yaml", &entity(""));
    repo.commit("example 0.1.0");
    repo.branch("main");
    repo
}

#[test]
fn a_new_field_needs_a_version_bump() {
    let repo = repo();
    repo.write(
        "standards/example/entities/person.yaml",
        &entity("  - name: email\n    type: string\n"),
    );
    let (code, stdout, _) = repo.norm(&["check", "--base", "main"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("[unreleased] `example` changed but its version is still 0.1.0"),
        "{stdout}"
    );

    // Below 1.0.0 an addition raises the patch number.
    repo.write("standards/example/standard.yaml", &standard("0.1.1"));
    let (code, stdout, _) = repo.norm(&["check", "--base", "main"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("norm check passed"), "{stdout}");
    assert!(
        stdout.contains("review: minor changes need 1 approval and 14 days of consultation"),
        "{stdout}"
    );
}

#[test]
fn removing_a_field_that_was_never_deprecated_fails() {
    let repo = repo();
    repo.write("standards/example/standard.yaml", &standard("0.2.0"));
    repo.write(
        "standards/example/entities/person.yaml",
        "name: person\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n",
    );
    let (code, stdout, _) = repo.norm(&["check", "--base", "main"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "[policy] [removed-without-deprecation] `example/entities/person/fields/nickname`"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("notify: cin-census"), "{stdout}");
}

#[test]
fn a_field_deprecated_in_a_release_can_be_removed_in_a_major() {
    let mut repo = repo();
    repo.write("standards/example/standard.yaml", &standard("0.1.1"));
    repo.write(
        "standards/example/entities/person.yaml",
        "name: person\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n  - name: nickname\n    type: string\n    used_by: [cin-census]\n    status: deprecated\n    deprecation: { since: 0.1.1, reason: Not needed. }\n",
    );
    repo.commit("deprecate nickname in 0.1.1");
    repo.branch("main");
    repo.write("standards/example/standard.yaml", &standard("0.2.0"));
    repo.write(
        "standards/example/entities/person.yaml",
        "name: person\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n",
    );
    let (code, stdout, _) = repo.norm(&["check", "--base", "main"]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn a_deprecation_committed_only_on_the_branch_was_never_released() {
    let mut repo = repo();
    repo.switch("feature");
    repo.write("standards/example/standard.yaml", &standard("0.1.1"));
    repo.write(
        "standards/example/entities/person.yaml",
        "name: person\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n  - name: nickname\n    type: string\n    used_by: [cin-census]\n    status: deprecated\n    deprecation: { since: 0.1.1, reason: Not needed. }\n",
    );
    repo.commit("deprecate nickname in 0.1.1");
    repo.write("standards/example/standard.yaml", &standard("0.2.0"));
    repo.write(
        "standards/example/entities/person.yaml",
        "name: person\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n",
    );
    repo.commit("remove nickname in 0.2.0");
    let (code, stdout, _) = repo.norm(&["check", "--base", "main"]);
    assert_eq!(code, 1, "0.1.1 exists only on the branch: {stdout}");
    assert!(
        stdout.contains(
            "[policy] [removed-without-deprecation] `example/entities/person/fields/nickname`"
        ),
        "{stdout}"
    );
}

#[test]
fn a_major_change_waits_for_its_consultation_period() {
    let repo = repo();
    repo.write("standards/example/standard.yaml", &standard("0.2.0"));
    repo.write(
        "standards/example/entities/person.yaml",
        &entity("  - name: must\n    type: string\n    required: true\n"),
    );
    let args = ["check", "--base", "main", "--today", "2026-11-27"];
    let (code, stdout, _) = repo.norm(&[&args[..], &["--opened-at", "2026-11-25"]].concat());
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("[consultation] major changes need 28 days of consultation; this pull request has been open 2 days, until 2026-12-23 at the earliest"),
        "{stdout}"
    );
    let (code, stdout, _) = repo.norm(&[&args[..], &["--opened-at", "2026-10-01"]].concat());
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn the_pull_request_comment_puts_the_verdict_on_top() {
    let repo = repo();
    repo.write(
        "standards/example/entities/person.yaml",
        &entity("  - name: email\n    type: string\n"),
    );
    let (code, stdout, _) = repo.norm(&["check", "--base", "main", "--format", "markdown"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn an_unknown_base_is_named() {
    let mut repo = Repo::new();
    repo.write("norm.yaml", CONFIG);
    repo.write("standards/example/standard.yaml", &standard("0.1.0"));
    repo.commit("example 0.1.0");
    let (code, _, stderr) = repo.norm(&["check", "--base", "does-not-exist"]);
    assert_eq!(code, 2);
    assert_eq!(stderr, "error: unknown revision `does-not-exist`\n");
}

#[test]
fn failures_are_annotations_and_sarif_results() {
    let repo = repo();
    repo.write(
        "standards/example/entities/person.yaml",
        &entity("  - name: email\n    type: string\n"),
    );
    let (code, stdout, _) = repo.norm(&["check", "--base", "main", "--format", "github"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "::error file=standards/example/standard.yaml,title=norm check unreleased::`example` changed but its version is still 0.1.0: this repository requires the bump in the same pull request (patch at least)\n"
    );
    let (code, stdout, _) = repo.norm(&["check", "--base", "main", "--format", "sarif"]);
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0]["ruleId"], "norm-check/unreleased");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "standards/example/standard.yaml"
    );
    assert!(results[0].get("ruleIndex").is_none());
}

#[test]
fn the_verdict_is_coloured_as_lint_is() {
    let repo = repo();
    repo.write(
        "standards/example/entities/person.yaml",
        &entity("  - name: email\n    type: string\n"),
    );
    let (_, plain, _) = repo.norm(&["check", "--base", "main"]);
    assert!(!plain.contains('\x1b'), "{plain:?}");
    let (code, coloured, _) = repo.norm(&["--color", "always", "check", "--base", "main"]);
    assert_eq!(code, 1);
    assert!(
        coloured.contains("\x1b[1;31mnorm check failed:\x1b[0m"),
        "{coloured:?}"
    );
}

#[test]
fn the_json_report_holds_the_gate_the_lint_and_the_diff() {
    let repo = repo();
    repo.write(
        "standards/example/entities/person.yaml",
        &entity("  - name: email\n    type: string\n"),
    );
    let (code, stdout, _) = repo.norm(&["check", "--base", "main", "--format", "json"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["passed"], false);
    assert_eq!(report["failures"][0]["kind"], "unreleased");
    assert_eq!(report["failures"][0]["standard"], "example");
    assert_eq!(report["review"]["bump"], "minor");
    assert_eq!(report["review"]["approvals"], 1);
    assert_eq!(report["notify"], serde_json::json!([]));
    assert_eq!(report["lint"]["errors"], 0);
    assert_eq!(report["diff"]["base"], "main");
    assert_eq!(report["diff"]["head"], "WORKTREE");
    assert_eq!(report["diff"]["standards"][0]["id"], "example");
}
