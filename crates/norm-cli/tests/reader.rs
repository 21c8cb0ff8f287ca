//! Files the reader will not read (a symbolic link under `standards/`) are reported by every
//! command that reads standards: the reader's diagnostics reach the catalog in one place.

// Helpers of an integration test may fail loudly: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use support::Repo;

/// A repository made by `norm init`, committed, with a link among the entities.
fn with_link() -> Repo {
    let mut repo = Repo::new();
    assert_eq!(repo.norm(&["init"]).0, 0);
    repo.commit("init");
    let outside = repo.path().join("outside.yaml");
    std::fs::write(&outside, "name: linked\nfields: []\n").unwrap();
    std::os::unix::fs::symlink(
        &outside,
        repo.path().join("standards/example/entities/linked.yaml"),
    )
    .unwrap();
    repo
}

const AT: &str = "standards/example/entities/linked.yaml";

#[test]
fn lint_reports_a_link() {
    let repo = with_link();
    let (code, stdout, _) = repo.norm(&["lint", "--format", "concise"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(&format!("{AT}:1:1: error[unreadable-file]")),
        "{stdout}"
    );
}

#[test]
fn diff_reports_a_link_in_the_working_tree_and_in_a_commit() {
    let mut repo = with_link();
    // The diff's warnings about its sides go to stderr, its report to stdout.
    let (code, _, stderr) = repo.norm(&["diff", "HEAD"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("in `WORKTREE`: {AT}:1:1: error[unreadable-file]")),
        "{stderr}"
    );
    repo.commit("a link");
    let (code, _, stderr) = repo.norm(&["diff", "HEAD~1", "HEAD"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("in `HEAD`: {AT}:1:1: error[unreadable-file]")),
        "{stderr}"
    );
}

#[test]
fn build_stops_on_a_link() {
    let repo = with_link();
    let (code, stdout, _) = repo.norm(&["build"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("error[unreadable-file]"), "{stdout}");
    assert!(stdout.contains(AT), "{stdout}");
    assert!(stdout.contains("The site was not built"), "{stdout}");
    assert!(!repo.path().join("_site").exists());
}
