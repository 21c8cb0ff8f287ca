//! What the commands that read the working tree do when `standards/` or a file in it is not what
//! it should be: each case is a clear error naming the path, and none may hang.

// Helpers of an integration test may fail loudly: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::Repo;

const CONFIG: &str =
    "lint:\n  rules: { missing-title: off, missing-description: off, missing-provenance: off }\n";
const STANDARD: &str = "id: demo\ntitle: Demo\nversion: 1.0.0\n";
const ENTITY: &str = "name: person\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n";

/// Runs `norm` in `dir`, killing it after a few seconds so that a command that hangs (on a FIFO,
/// say) fails the test instead of stalling the suite: `(exit code, stdout, stderr)`.
fn norm(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_norm"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("`norm {}` hung", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A committed repository with one valid standard on `main`.
fn repo() -> Repo {
    let mut repo = Repo::new();
    repo.write("norm.yaml", CONFIG);
    repo.write("standards/demo/standard.yaml", STANDARD);
    repo.write("standards/demo/entities/person.yaml", ENTITY);
    repo.commit("demo 1.0.0");
    repo.branch("main");
    repo
}

/// The commands that read the working tree, as run in a pull request or by a curator.
const COMMANDS: &[&[&str]] = &[
    &["lint"],
    &["check", "--base", "main"],
    &["diff", "main"],
    &["build", "--out", "_site"],
];

/// Every command fails to run (exit 2) with a message on stderr containing each of `needles`.
fn assert_every_command_refuses(repo: &Repo, needles: &[&str]) {
    for args in COMMANDS {
        let (code, stdout, stderr) = norm(repo.path(), args);
        assert_eq!(code, 2, "norm {args:?}\n{stdout}\n{stderr}");
        for needle in needles {
            assert!(stderr.contains(needle), "norm {args:?}: {needle}\n{stderr}");
        }
    }
}

#[test]
fn a_missing_standards_folder_is_an_error_naming_it() {
    let repo = repo();
    std::fs::remove_dir_all(repo.path().join("standards")).unwrap();
    assert_every_command_refuses(&repo, &["standards", "no `standards/` folder"]);
}

#[test]
fn a_standards_file_instead_of_a_folder_is_an_error_naming_it() {
    let repo = repo();
    std::fs::remove_dir_all(repo.path().join("standards")).unwrap();
    repo.write("standards", "not a folder\n");
    assert_every_command_refuses(&repo, &["standards", "is not a folder"]);
}

#[test]
fn an_empty_standards_folder_says_how_to_start() {
    let repo = repo();
    std::fs::remove_dir_all(repo.path().join("standards")).unwrap();
    std::fs::create_dir(repo.path().join("standards")).unwrap();
    assert_every_command_refuses(&repo, &["standards", "no standards", "norm init"]);
}

/// Lint, check and diff report `path` as an `unreadable-file` error, at that path, and finish.
fn assert_reported_unreadable(repo: &Repo, path: &str, what: &str) {
    let (code, stdout, stderr) = norm(repo.path(), &["lint", "--format", "concise"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with(path) && l.contains("unreadable-file") && l.contains(what)),
        "{stdout}"
    );
    let (code, stdout, stderr) = norm(repo.path(), &["check", "--base", "main"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stdout.contains(path) && stdout.contains(what), "{stdout}");
    let (code, stdout, stderr) = norm(repo.path(), &["build", "--out", "_site"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stdout.contains(path) && stdout.contains(what), "{stdout}");
    assert!(!repo.path().join("_site").exists());
}

#[test]
fn a_folder_named_like_an_entity_file_is_reported() {
    let repo = repo();
    repo.write("standards/demo/entities/address.yaml/inner.yaml", ENTITY);
    assert_reported_unreadable(&repo, "standards/demo/entities/address.yaml", "is a folder");
}

#[test]
fn a_fifo_in_place_of_an_entity_file_is_reported_without_being_opened() {
    let repo = repo();
    let fifo = repo.path().join("standards/demo/entities/address.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    assert_reported_unreadable(&repo, "standards/demo/entities/address.yaml", "named pipe");
}

#[test]
fn a_socket_in_place_of_an_entity_file_is_reported() {
    let repo = repo();
    let socket = repo.path().join("standards/demo/entities/address.yaml");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    assert_reported_unreadable(&repo, "standards/demo/entities/address.yaml", "socket");
}

#[test]
fn a_committed_folder_named_like_an_entity_file_is_reported_from_git_too() {
    let mut repo = repo();
    repo.write("standards/demo/entities/address.yaml/inner.yaml", ENTITY);
    repo.commit("a folder where a file should be");
    let (code, stdout, stderr) = norm(repo.path(), &["diff", "main", "HEAD"]);
    // A warning of the diff, so on stderr.
    assert!(
        stderr.contains("standards/demo/entities/address.yaml") && stderr.contains("is a folder"),
        "exit {code}\n{stdout}\n{stderr}"
    );
}

#[test]
fn a_norm_yaml_that_is_not_a_file_is_named() {
    let repo = repo();
    let config = repo.path().join("norm.yaml");
    std::fs::remove_file(&config).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(&config)
            .status()
            .unwrap()
            .success()
    );
    let (code, _, stderr) = norm(repo.path(), &["lint"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("norm.yaml is not a file"), "{stderr}");
}
