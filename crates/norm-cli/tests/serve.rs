//! `norm serve` when it cannot serve.

#![allow(clippy::unwrap_used)]

mod support;

use support::Repo;

#[test]
fn a_busy_port_is_one_message_with_a_port_hint() {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let mut repo = Repo::new();
    assert_eq!(repo.norm(&["init"]).0, 0);
    repo.commit("norm init");
    let (code, stdout, stderr) = repo.norm(&["serve", "--port", &port]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(stderr.matches("in use").count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
    // It says so before spending time on a build it cannot serve.
    assert!(!stdout.contains("Built"), "{stdout}");
    assert!(!repo.path().join("_site").exists());
}
