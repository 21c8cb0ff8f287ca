//! `norm diff` on temporary git repositories built with git2, run through the built binary.

// Helpers of an integration test may fail loudly: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::Command;

use support::Repo;

const CONFIG: &str = "consumers:\n  - { id: cin-census, title: Children in need census, kind: statutory-return }\n  - { id: dashboard, kind: dashboard }\n";

fn standard(version: &str) -> String {
    format!("id: demo\ntitle: Demo\nversion: {version}\n")
}

const SEX_V1: &str = "name: sex\nextensible: false\ncodes:\n  - { code: M, label: Male }\n  - { code: F, label: Female }\n";
const PERSON_V1: &str = "name: person\ndescription: A child known to social care.\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n  - name: pers_gender\n    item: PERS003A\n    type: code\n    codelist: sex\n    used_by: [cin-census, dashboard]\n  - name: pers_name\n    type: string\n    constraints: { max_length: 50 }\n  - name: pers_old\n    type: string\n";

/// The scenario: a rename through `item`, a code added to a closed list, a tightened
/// `max_length`, a new optional field, a deprecation, a new entity and a description edit,
/// declared as a minor bump.
fn scenario() -> (Repo, git2::Oid, git2::Oid) {
    let mut repo = Repo::new();
    repo.write("norm.yaml", CONFIG);
    repo.write("standards/demo/standard.yaml", &standard("1.0.0"));
    repo.write("standards/demo/codelists/sex.yaml", SEX_V1);
    repo.write("standards/demo/entities/person.yaml", PERSON_V1);
    let v1 = repo.commit("demo 1.0.0");
    repo.tag("demo/v1.0.0", v1);
    repo.write("standards/demo/standard.yaml", &standard("1.1.0"));
    repo.write(
        "standards/demo/codelists/sex.yaml",
        "name: sex\nextensible: false\ncodes:\n  - { code: M, label: Male }\n  - { code: F, label: Female }\n  - { code: U, label: Unknown }\n",
    );
    repo.write(
        "standards/demo/entities/person.yaml",
        "name: person\ndescription: A child or young person known to social care.\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n  - name: pers_sex\n    item: PERS003A\n    type: code\n    codelist: sex\n    used_by: [cin-census, dashboard]\n  - name: pers_name\n    type: string\n    constraints: { max_length: 40 }\n  - name: pers_old\n    type: string\n    status: deprecated\n    deprecation: { since: 1.1.0, reason: Not collected any more. }\n  - name: pers_nick\n    type: string\n",
    );
    repo.write("standards/demo/entities/address.yaml", "name: address\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n");
    let v2 = repo.commit("demo 1.1.0");
    repo.tag("demo/v1.1.0", v2);
    (repo, v1, v2)
}

#[test]
fn the_scenario_is_classified_and_judged_insufficient() {
    let (repo, _, _) = scenario();
    let (code, stdout, stderr) =
        repo.norm(&["diff", "demo@1.0.0", "demo@1.1.0", "--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["base"], "demo@1.0.0");
    let demo = &report["standards"][0];
    assert_eq!(demo["id"], "demo");
    assert_eq!(
        (demo["old_version"].as_str(), demo["new_version"].as_str()),
        (Some("1.0.0"), Some("1.1.0"))
    );
    assert_eq!(
        (
            demo["declared_bump"].as_str(),
            demo["required_bump"].as_str()
        ),
        (Some("minor"), Some("major"))
    );
    assert_eq!(demo["verdict"], "insufficient");
    let rules: Vec<(&str, &str)> = demo["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["rule"].as_str().unwrap(), c["bump"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("entity-added", "minor"),
            ("description-changed", "patch"),
            ("field-renamed", "major"),
            ("constraint-tightened", "major"),
            ("element-deprecated", "minor"),
            ("field-added-optional", "minor"),
            ("code-added-closed", "major"),
        ]
    );
    let rename = &demo["changes"][2];
    assert_eq!(rename["path"], "demo/entities/person/fields/pers_sex");
    assert_eq!(
        rename["old"],
        serde_json::json!({ "file": "standards/demo/entities/person.yaml", "line": 8 })
    );
    assert_eq!(
        rename["impact"]["consumers"],
        serde_json::json!(["cin-census", "dashboard"])
    );
    assert_eq!(rename["fingerprint"].as_str().unwrap().len(), 12);
}

#[test]
fn releases_tags_and_commits_name_the_same_revision() {
    let (repo, v1, v2) = scenario();
    let by_release = repo.norm(&["diff", "demo@1.0.0", "demo@1.1.0"]).1;
    let by_tag = repo.norm(&["diff", "demo/v1.0.0", "demo/v1.1.0"]).1;
    let by_commit = repo.norm(&["diff", &v1.to_string(), &v2.to_string()]).1;
    let body = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&by_release), body(&by_tag));
    assert_eq!(body(&by_release), body(&by_commit));
    assert!(
        by_release.contains("demo 1.0.0 → 1.1.0: declared minor, required major → insufficient")
    );
}

#[test]
fn the_markdown_comment_is_stable() {
    let (repo, _, _) = scenario();
    let (code, stdout, _) = repo.norm(&["diff", "demo@1.0.0", "HEAD", "--format", "markdown"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout);
}

#[test]
fn the_working_tree_is_compared_with_head_by_default() {
    let (repo, _, _) = scenario();
    repo.write("standards/demo/entities/address.yaml", "name: address\ndescription: Where a child lives.\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n");
    let (code, stdout, _) = repo.norm(&["diff", "HEAD"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "norm diff HEAD → WORKTREE\n\ndemo 1.1.0: declared no bump, required patch → unreleased\n  patch\n    \
         standards/demo/entities/address.yaml:1 [description-changed] description of entity `address` changed\n      \
         {+Where a child lives.+}\n"
    );
}

#[test]
fn removing_a_field_never_deprecated_is_a_policy_error_but_not_after_a_deprecation_release() {
    let (mut repo, _, _) = scenario();
    // pers_old was deprecated in 1.1.0: removing it in 2.0.0 is fine.
    repo.write("standards/demo/standard.yaml", &standard("2.0.0"));
    repo.write(
        "standards/demo/entities/person.yaml",
        "name: person\ndescription: A child or young person known to social care.\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n  - name: pers_sex\n    item: PERS003A\n    type: code\n    codelist: sex\n    used_by: [cin-census, dashboard]\n  - name: pers_nick\n    type: string\n",
    );
    repo.commit("remove pers_old and pers_name");
    let (_, stdout, _) = repo.norm(&["diff", "demo@1.1.0", "HEAD"]);
    assert!(
        stdout.contains("[field-removed] field `pers_old` removed"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "[removed-without-deprecation] `demo/entities/person/fields/pers_name` was removed"
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("`demo/entities/person/fields/pers_old` was removed"),
        "{stdout}"
    );
}

#[test]
fn a_broken_file_on_one_side_is_named_and_the_diff_still_runs() {
    let (repo, _, _) = scenario();
    repo.write(
        "standards/demo/codelists/sex.yaml",
        "name: sex\ncodes:\n\t- code: M\n",
    );
    let (code, stdout, stderr) = repo.norm(&["diff", "HEAD"]);
    assert_eq!(code, 0);
    // Warnings go to stderr, so that the report on stdout stays the report.
    assert!(
        // The syntax error alone: the reference into the list is not dangling.
        stderr.starts_with(
            "warning: `WORKTREE` has 1 lint error; the diff compares what loads (`norm lint` lists the errors).\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "warning: in `WORKTREE`: standards/demo/codelists/sex.yaml:3:1: error[syntax-error]"
        ),
        "{stderr}"
    );
    assert!(!stdout.contains("WORKTREE` has"), "{stdout}");
    // The list is not compared, rather than reported removed.
    assert!(
        stdout.contains("not compared: standards/demo/codelists/sex.yaml"),
        "{stdout}"
    );
    assert!(!stdout.contains("codelist-removed"), "{stdout}");
}

#[test]
fn a_standard_on_one_side_only_is_added_or_removed() {
    let (mut repo, _, _) = scenario();
    repo.write(
        "standards/extra/standard.yaml",
        "id: extra\ntitle: Extra\nversion: 0.1.0\n",
    );
    repo.commit("extra");
    let (_, stdout, _) = repo.norm(&["diff", "HEAD~1", "HEAD"]);
    assert!(
        stdout.contains("extra new at 0.1.0: declared added, required minor → ok"),
        "{stdout}"
    );
    let (_, stdout, _) = repo.norm(&["diff", "HEAD", "HEAD~1"]);
    assert!(
        stdout.contains("[standard-removed] standard `extra` removed"),
        "{stdout}"
    );
    repo.remove("standards/extra/standard.yaml");
}

#[test]
fn unknown_revisions_and_standards_are_errors_naming_them() {
    let (repo, _, _) = scenario();
    assert_eq!(
        repo.norm(&["diff", "nope"]),
        (2, String::new(), "error: unknown revision `nope`\n".into())
    );
    assert_eq!(
        repo.norm(&["diff", "origin/main"]).2,
        "error: unknown revision `origin/main`; this clone lacks it: run `git fetch origin main:refs/remotes/origin/main`\n"
    );
    assert_eq!(
        repo.norm(&["diff", "demo@9.0.0"]).2,
        "error: `demo` has no release 9.0.0; its releases are 1.0.0, 1.1.0\n"
    );
    assert_eq!(
        repo.norm(&["diff", "HEAD", "--standard", "nope"]).2,
        "error: no standard `nope` in `HEAD` or `WORKTREE`\n"
    );
}

/// The repository's own history holds the real yearly releases of the returns (issue F).
#[test]
fn our_own_history_holds_the_real_releases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if !root.join(".git").exists() {
        // A source archive has no history; CI always runs in a clone.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run in a git clone with full history"
        );
        return;
    }
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_norm"))
            .args(args)
            .current_dir(&root)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let report = run(&[
        "diff",
        "cin-census@3.0.0",
        "cin-census@4.0.0",
        "--standard",
        "cin-census",
        "--format",
        "json",
    ]);
    let cin = &report["standards"][0];
    assert_eq!(
        (cin["declared_bump"].as_str(), cin["verdict"].as_str()),
        (Some("major"), Some("ok"))
    );
    let rules: Vec<&str> = cin["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"field-removed") && rules.contains(&"field-added-required"),
        "{rules:?}"
    );
    let removal = &cin["policy_errors"][0];
    assert_eq!(
        removal["path"],
        "cin-census/entities/child/fields/gender_current"
    );
    assert!(removal["accepted"].as_str().unwrap().contains("DfE"));

    let report = run(&[
        "diff",
        "csc-codes@6.1.0",
        "csc-codes@7.0.0",
        "--standard",
        "csc-codes",
        "--format",
        "json",
    ]);
    let codes = &report["standards"][0];
    assert_eq!(codes["verdict"], "ok");
    let changes = codes["changes"].as_array().unwrap();
    let h5 = changes
        .iter()
        .find(|c| c["path"] == "csc-codes/codelists/placement_type/codes/H5")
        .unwrap();
    assert_eq!(
        (h5["rule"].as_str(), h5["bump"].as_str()),
        (Some("code-removed"), Some("major"))
    );
    assert!(
        h5["impact"]["dependents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == "ssda903/entities/episodes/fields/place"),
        "SSDA903's placement type is affected (the SSD of 2025 held it as free text): {}",
        h5["impact"]
    );
    let n1 = changes
        .iter()
        .find(|c| {
            c["path"] == "csc-codes/codelists/primary_need/codes/N1" && c["rule"] == "label-changed"
        })
        .unwrap();
    assert_eq!(n1["bump"], "patch");
    assert_eq!(n1["text"]["new"], "Abuse, neglect and exploitation");
    assert!(
        codes["policy_errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["accepted"].is_string())
    );

    // SSDA903 from 2017-18 (1.0.0) to 2026-27 (6.0.0): the tables that arrived, the rules
    // first held for 2022-23, the DoLo rules of 2026-27 and the return's own 1/2 sex codes,
    // replaced by csc-codes' M/F/U in 2024-25.
    let report = run(&[
        "diff",
        "ssda903@1.0.0",
        "ssda903@6.0.0",
        "--standard",
        "ssda903",
        "--format",
        "json",
    ]);
    let decade = &report["standards"][0];
    assert_eq!(decade["required_bump"], "major");
    let change = |path: &str| {
        decade["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["path"] == path)
            .map(|c| c["rule"].as_str().unwrap().to_owned())
    };
    for (path, rule) in [
        ("ssda903/entities/sw_episodes", "entity-added"),
        ("ssda903/entities/dolo", "entity-added"),
        ("ssda903/rules/213", "rule-added-error"),
        ("ssda903/rules/700", "rule-added-error"),
        ("ssda903/codelists/sex", "codelist-removed"),
    ] {
        assert_eq!(change(path).as_deref(), Some(rule), "{path}");
    }
}

#[test]
fn a_release_missing_from_a_shallow_clone_says_how_to_fetch_it() {
    let mut repo = Repo::new();
    repo.write("norm.yaml", CONFIG);
    repo.write("standards/demo/standard.yaml", &standard("1.0.0"));
    repo.commit("demo 1.0.0");
    repo.write("standards/demo/standard.yaml", &standard("1.1.0"));
    let head = repo.commit("demo 1.1.0");
    // git marks a shallow clone by listing its boundary commits in .git/shallow: this clone
    // holds 1.1.0 but not the commit of 1.0.0.
    std::fs::write(repo.path().join(".git/shallow"), format!("{head}\n")).unwrap();
    let (code, _, stderr) = repo.norm(&["diff", "demo@1.0.0"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: `demo` has no release 1.0.0; its releases are 1.1.0; this clone is shallow and may lack it: run `git fetch --unshallow --tags` (in GitHub Actions set `fetch-depth: 0` on actions/checkout)\n"
    );
}

/// `demo` and `other` both at 1.0.0, then both changed at 1.1.0, each release tagged.
fn two_standards() -> Repo {
    let mut repo = Repo::new();
    repo.write("norm.yaml", CONFIG);
    for version in ["1.0.0", "1.1.0"] {
        for id in ["demo", "other"] {
            repo.write(
                &format!("standards/{id}/standard.yaml"),
                &format!("id: {id}\ntitle: {id} {version}\nversion: {version}\n"),
            );
        }
        let commit = repo.commit(version);
        repo.tag(&format!("demo/v{version}"), commit);
        repo.tag(&format!("other/v{version}"), commit);
    }
    repo
}

#[test]
fn releases_of_one_standard_report_that_standard_unless_all_is_given() {
    let repo = two_standards();
    let ids = |args: &[&str]| -> Vec<String> {
        let (code, stdout, stderr) = repo.norm(&[args, &["--format", "json"]].concat());
        assert_eq!(code, 0, "{stderr}");
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        report["standards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&["diff", "demo@1.0.0", "demo@1.1.0"]), ["demo"]);
    assert_eq!(
        ids(&["diff", "demo@1.0.0"]),
        ["demo"],
        "the working tree as head"
    );
    assert_eq!(
        ids(&["diff", "demo@1.0.0", "demo@1.1.0", "--all"]),
        ["demo", "other"]
    );
    assert_eq!(
        ids(&["diff", "demo@1.0.0", "other@1.1.0"]),
        ["demo", "other"],
        "releases of two standards name no one standard"
    );
    assert_eq!(ids(&["diff", "HEAD~1", "HEAD"]), ["demo", "other"]);
    let (code, _, stderr) = repo.norm(&["diff", "HEAD~1", "--all", "--standard", "demo"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

#[test]
fn a_release_of_a_standard_that_does_not_exist_names_the_standards() {
    let repo = two_standards();
    let (code, stdout, stderr) = repo.norm(&["diff", "foo@1.0.0"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: there is no standard `foo`; the standards are demo, other\n"
    );
}

#[test]
fn colour_follows_the_same_rules_as_lint() {
    let (repo, _, _) = scenario();
    repo.write("standards/demo/entities/address.yaml", "name: address\ndescription: Where a child lives.\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n");
    let (_, plain, _) = repo.norm(&["diff", "HEAD"]);
    assert!(!plain.contains('\x1b'), "NO_COLOR and a pipe: {plain:?}");
    let (code, coloured, _) = repo.norm(&["--color", "always", "diff", "HEAD"]);
    assert_eq!(code, 0);
    assert!(
        coloured.contains("\x1b[32m{+Where a child lives.+}\x1b[0m"),
        "insertions in green: {coloured:?}"
    );
    let strip = |s: &str| {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('\x1b') {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            rest = &rest[rest.find('m').map_or(rest.len(), |m| m + 1)..];
        }
        out + rest
    };
    assert_eq!(strip(&coloured), plain, "colour changes nothing else");
}

/// A pull request that rewrites a large standard gives a report longer than GitHub takes in a
/// comment, and a refused comment leaves the reviewer with nothing. The comment keeps to the
/// limit, puts every standard's breaking changes first, keeps each section's count, and says
/// what it left out and how to see it all.
#[test]
fn the_markdown_comment_keeps_to_what_github_takes() {
    let entity = |description: &str| {
        let fields: String = (0..400)
            .map(|i| {
                format!(
                    "  - name: f{i:03}\n    type: string\n    description: {description} {i}.\n"
                )
            })
            .collect();
        format!("name: wide\nprimary_key: [f000]\nfields:\n{fields}")
    };
    let mut repo = Repo::new();
    repo.write("norm.yaml", CONFIG);
    repo.write(
        "standards/big/standard.yaml",
        "id: big\ntitle: Big\nversion: 1.0.0\n",
    );
    repo.write(
        "standards/big/entities/wide.yaml",
        &entity(&"old words ".repeat(20)),
    );
    repo.write(
        "standards/zed/standard.yaml",
        "id: zed\ntitle: Zed\nversion: 1.0.0\n",
    );
    repo.write("standards/zed/entities/person.yaml", PERSON_V1);
    let base = repo.commit("1.0.0").to_string();
    repo.write(
        "standards/big/standard.yaml",
        "id: big\ntitle: Big\nversion: 1.0.1\n",
    );
    repo.write(
        "standards/big/entities/wide.yaml",
        &entity(&"new text ".repeat(20)),
    );
    repo.write(
        "standards/zed/entities/person.yaml",
        &PERSON_V1.replace("  - name: pers_old\n    type: string\n", ""),
    );
    repo.commit("rewrite");
    let (code, full, _) = repo.norm(&["diff", &base, "HEAD", "--format", "text"]);
    assert_eq!(code, 0);
    assert!(
        full.len() > 100_000,
        "the fixture must overflow: {}",
        full.len()
    );
    for args in [
        vec!["diff", base.as_str(), "HEAD", "--format", "markdown"],
        vec!["check", "--base", base.as_str(), "--format", "markdown"],
    ] {
        let (_, comment, stderr) = repo.norm(&args);
        assert!(
            comment.chars().count() <= 65_536,
            "{args:?}: {}",
            comment.len()
        );
        assert!(
            comment.starts_with(if args[0] == "check" { "> [!" } else { "## " }),
            "{stderr}"
        );
        // The later standard's breaking change is there although the earlier standard's
        // editorial changes alone would fill the comment.
        assert!(comment.contains("field `pers_old` removed"), "{comment}");
        assert!(
            comment.contains("<strong>Editorial</strong> (400)"),
            "{comment}"
        );
        let left_out = comment
            .lines()
            .find(|l| l.starts_with("- … ") && l.contains("more not shown"))
            .unwrap_or_else(|| panic!("{comment}"));
        assert!(
            left_out.contains(&format!("`norm {} ", args[0])),
            "{left_out}"
        );
        assert!(comment.trim_end().ends_with("</sub>"), "{comment}");
    }
}
