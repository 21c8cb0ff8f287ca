//! `norm release` on temporary git repositories built with git2.

mod support;

use support::Repo;

const CONFIG: &str =
    "lint:\n  rules: { missing-description: off, missing-title: off, missing-provenance: off }\n";

fn entity(extra: &str) -> String {
    format!(
        "name: person\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n{extra}"
    )
}

fn repo() -> Repo {
    let mut repo = Repo::new();
    repo.write("norm.yaml", CONFIG);
    repo.write(
        "standards/example/standard.yaml",
        "id: example\ntitle: Example\nversion: 0.1.0   # released by norm\n",
    );
    repo.write("standards/example/entities/person.yaml", &entity(""));
    repo.commit("example");
    repo
}

#[test]
fn the_release_lifecycle_tags_and_writes_the_changelog() {
    let mut repo = repo();
    let (code, stdout, stderr) = repo.norm(&["release", "example", "--today", "2026-11-27"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert_eq!(stdout, "released `example` 0.1.0 (tag `example/v0.1.0`)\n");
    assert!(repo.has_tag("example/v0.1.0"));
    assert_eq!(repo.message("HEAD"), "Release example 0.1.0");
    assert_eq!(
        repo.read("standards/example/CHANGELOG.md"),
        "# Changelog of `example`\n\n## 0.1.0 (2026-11-27)\n\n<!-- Summary for readers: what this release means for them. -->\n\nFirst release of `example`.\n\n"
    );

    // A new optional field, merged without a bump: the release raises the version itself.
    repo.write(
        "standards/example/entities/person.yaml",
        &entity("  - name: email\n    type: string\n"),
    );
    repo.commit("add email");
    let (code, stdout, _) = repo.norm(&["release", "example", "--today", "2026-12-01"]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout, "released `example` 0.1.1 (tag `example/v0.1.1`)\n");
    assert_eq!(
        repo.read("standards/example/standard.yaml"),
        "id: example\ntitle: Example\nversion: 0.1.1   # released by norm\n",
        "the version line is edited in place, comment kept"
    );
    let changelog = repo.read("standards/example/CHANGELOG.md");
    assert!(
        changelog.starts_with("# Changelog of `example`\n\n## 0.1.1 (2026-12-01)"),
        "{changelog}"
    );
    assert!(
        changelog.contains("- optional field `email` added (`field-added-optional`)"),
        "{changelog}"
    );
    assert!(
        changelog.contains("## 0.1.0 (2026-11-27)"),
        "older sections stay"
    );
    assert!(repo.has_tag("example/v0.1.1"));

    // Nothing changed since: nothing to release.
    let (code, _, stderr) = repo.norm(&["release", "example"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: nothing to release: `example` 0.1.1 is released and nothing changed since\n"
    );
}

#[test]
fn a_standard_that_does_not_exist_is_named_with_those_that_do() {
    let repo = repo();
    let (code, _, stderr) = repo.norm(&["release", "exmaple", "--dry-run"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: no standard `exmaple` in standards/; the standards are example\n"
    );
}

#[test]
fn a_dirty_tree_is_refused_and_nothing_changes() {
    let repo = repo();
    repo.write(
        "standards/example/entities/person.yaml",
        &entity("  - name: email\n    type: string\n"),
    );
    let (code, _, stderr) = repo.norm(&["release", "example"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: the working tree has uncommitted changes (standards/example/entities/person.yaml); commit or stash them, then release\n"
    );
    assert!(!repo.has_tag("example/v0.1.0"));
    assert!(!repo.path().join("standards/example/CHANGELOG.md").exists());
}

#[test]
fn a_version_too_small_for_its_changes_is_refused_with_the_bump_to_make() {
    let mut repo = repo();
    repo.norm(&["release", "example"]);
    repo.write("standards/example/entities/person.yaml", "name: person\nprimary_key: [id]\nfields:\n  - name: id\n    type: integer\n    required: true\n");
    repo.write(
        "standards/example/standard.yaml",
        "id: example\ntitle: Example\nversion: 0.1.1\n",
    );
    repo.commit("retype id");
    let (code, _, stderr) = repo.norm(&["release", "example"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: `example` 0.1.1 does not cover its changes since 0.1.0: they need a Minor bump; set `version: 0.2.0`\n"
    );
    let (code, _, stderr) = repo.norm(&["release", "example", "--bump", "patch"]);
    assert_eq!((code, stderr.contains("does not cover")), (2, true));
}

#[test]
fn dry_runs_change_nothing_and_tags_are_never_moved() {
    let mut repo = repo();
    let (code, stdout, _) =
        repo.norm(&["release", "example", "--dry-run", "--today", "2026-11-27"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("would release `example` 0.1.0 and tag `example/v0.1.0`:"),
        "{stdout}"
    );
    assert!(!repo.has_tag("example/v0.1.0"));
    assert!(!repo.path().join("standards/example/CHANGELOG.md").exists());

    // A tag made by hand for a version that history says is not released yet.
    repo.write(
        "standards/example/standard.yaml",
        "id: example\ntitle: Example\nversion: 0.2.0\n",
    );
    let oid = repo.commit("0.2.0");
    repo.tag("example/v0.2.0", oid);
    repo.write(
        "standards/example/standard.yaml",
        "id: example\ntitle: Example\nversion: 0.2.0\ndescription: Edited.\n",
    );
    repo.commit("edit");
    let (code, _, stderr) = repo.norm(&["release", "example", "--bump", "minor"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(repo.has_tag("example/v0.3.0"));
}

#[test]
fn intermediate_bumps_on_a_branch_are_not_releases() {
    let mut repo = Repo::new();
    repo.write("norm.yaml", CONFIG);
    repo.write(
        "standards/ssd/standard.yaml",
        "id: ssd\ntitle: SSD\nversion: 1.2.0\n",
    );
    repo.write("standards/ssd/entities/person.yaml", &entity(""));
    repo.commit("ssd 1.2.0");
    repo.branch("main");
    repo.switch("feature");
    repo.write(
        "standards/ssd/entities/person.yaml",
        &entity("  - name: email\n    type: string\n"),
    );
    repo.write(
        "standards/ssd/standard.yaml",
        "id: ssd\ntitle: SSD\nversion: 1.2.1\n",
    );
    repo.commit("email, 1.2.1");
    repo.write(
        "standards/ssd/standard.yaml",
        "id: ssd\ntitle: SSD\nversion: 1.3.0\n",
    );
    repo.commit("1.3.0");
    let (code, stdout, stderr) =
        repo.norm(&["release", "ssd", "--dry-run", "--today", "2026-12-01"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(
        stdout.starts_with("would release `ssd` 1.3.0 and tag `ssd/v1.3.0`:"),
        "{stdout}"
    );
    assert!(!stdout.contains("First release"), "{stdout}");
    assert!(
        stdout.contains("- optional field `email` added (`field-added-optional`)"),
        "the change since 1.2.0, the last release on main: {stdout}"
    );
}

#[test]
fn without_a_git_identity_nothing_is_written_and_the_fix_is_named_once() {
    let repo = repo();
    repo.forget_identity();
    let home = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = repo.norm_isolated(&["release", "example"], home.path());
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: git has no identity to commit the release with: run `git config user.name \"Your Name\"` and `git config user.email you@example.org`, then release again\n"
    );
    assert_eq!(
        repo.changed_paths(),
        Vec::<String>::new(),
        "nothing written or staged"
    );
    assert!(!repo.has_tag("example/v0.1.0"));

    // The retry the message asks for works.
    std::fs::write(
        home.path().join(".gitconfig"),
        "[user]\n\tname = Curator\n\temail = curator@example.org\n",
    )
    .unwrap();
    let (code, _, stderr) = repo.norm_isolated(&["release", "example"], home.path());
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(repo.has_tag("example/v0.1.0"));
}

#[test]
fn a_release_that_fails_to_commit_leaves_the_tree_as_it_was() {
    let mut repo = repo();
    repo.norm(&["release", "example"]);
    repo.write(
        "standards/example/entities/person.yaml",
        &entity("  - name: email\n    type: string\n"),
    );
    repo.commit("add email");
    let yaml = repo.read("standards/example/standard.yaml");
    let changelog = repo.read("standards/example/CHANGELOG.md");
    // Another git process holds the index.
    std::fs::write(repo.path().join(".git/index.lock"), "").unwrap();
    let (code, _, stderr) = repo.norm(&["release", "example"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr,
        "error: git failed while staging the release: the index is locked; this might be due to a concurrent or crashed process\n"
    );
    std::fs::remove_file(repo.path().join(".git/index.lock")).unwrap();
    assert_eq!(repo.read("standards/example/standard.yaml"), yaml);
    assert_eq!(repo.read("standards/example/CHANGELOG.md"), changelog);
    assert_eq!(repo.changed_paths(), Vec::<String>::new());
    assert!(!repo.has_tag("example/v0.1.1"));
}

#[test]
fn a_release_whose_tag_fails_takes_its_commit_back() {
    let mut repo = repo();
    repo.norm(&["release", "example"]);
    repo.write(
        "standards/example/entities/person.yaml",
        &entity("  - name: email\n    type: string\n"),
    );
    repo.commit("add email");
    let yaml = repo.read("standards/example/standard.yaml");
    let changelog = repo.read("standards/example/CHANGELOG.md");
    // Another git process is creating the same tag.
    std::fs::write(repo.path().join(".git/refs/tags/example/v0.1.1.lock"), "").unwrap();
    let (code, _, stderr) = repo.norm(&["release", "example"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with("error: git failed while tagging the release: "),
        "{stderr}"
    );
    assert_eq!(
        repo.message("HEAD"),
        "add email",
        "the release commit is undone"
    );
    assert_eq!(repo.read("standards/example/standard.yaml"), yaml);
    assert_eq!(repo.read("standards/example/CHANGELOG.md"), changelog);
    assert_eq!(repo.changed_paths(), Vec::<String>::new());
}
