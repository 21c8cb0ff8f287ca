//! `norm init` end to end: a new repository lints, checks and releases as created (issue E,
//! tests 1 to 5 and 7, in one temporary git repository built with git2).

mod support;

use support::Repo;

#[test]
fn a_new_repository_goes_through_the_whole_lifecycle() {
    let mut repo = Repo::new();
    let (code, stdout, _) = repo.norm(&["init"]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(repo.norm(&["lint", "--deny-warnings"]).0, 0);
    repo.commit("norm init");
    repo.branch("main");

    // 1. The first release tags example/v0.1.0.
    let (code, stdout, stderr) = repo.norm(&["release", "example", "--today", "2026-11-27"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(repo.has_tag("example/v0.1.0"));
    repo.branch("main");

    // 2. A new optional field without a bump fails the gate; the bump makes it pass.
    let record = repo.read("standards/example/entities/record.yaml");
    let with_note = format!(
        "{record}  - name: record_note\n    item: REC003A\n    title: Note\n    description: A free-text note.\n    type: string\n"
    );
    repo.write("standards/example/entities/record.yaml", &with_note);
    let (code, stdout, _) = repo.norm(&["check", "--base", "main"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("[unreleased]"), "{stdout}");
    let standard = repo
        .read("standards/example/standard.yaml")
        .replace("version: 0.1.0", "version: 0.1.1");
    repo.write("standards/example/standard.yaml", &standard);
    let (code, stdout, _) = repo.norm(&["check", "--base", "main"]);
    assert_eq!(code, 0, "{stdout}");

    // 3. Merged and released again: a second tag, a changelog section naming the field.
    repo.commit("add record_note");
    repo.branch("main");
    let (code, stdout, stderr) = repo.norm(&["release", "example", "--today", "2026-12-01"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(repo.has_tag("example/v0.1.1"));
    assert!(
        repo.read("standards/example/CHANGELOG.md")
            .contains("optional field `record_note` added")
    );
    repo.branch("main");

    // 4. Removing a field that was never deprecated is a policy error.
    repo.write("standards/example/entities/record.yaml", &record);
    let standard = repo
        .read("standards/example/standard.yaml")
        .replace("version: 0.1.1", "version: 0.2.0");
    repo.write("standards/example/standard.yaml", &standard);
    let (code, stdout, _) = repo.norm(&["check", "--base", "main"]);
    assert_eq!(code, 1);
    assert!(
        stdout
            .contains("[removed-without-deprecation] `example/entities/record/fields/record_note`"),
        "{stdout}"
    );

    // 5. Deprecated in a release, it can then be removed in a major.
    let deprecated = with_note.clone()
        + "    status: deprecated\n    deprecation: { since: 0.1.2, reason: Not used. }\n";
    repo.write("standards/example/entities/record.yaml", &deprecated);
    let standard = repo
        .read("standards/example/standard.yaml")
        .replace("version: 0.2.0", "version: 0.1.2");
    repo.write("standards/example/standard.yaml", &standard);
    assert_eq!(repo.norm(&["check", "--base", "main"]).0, 0);
    repo.commit("deprecate record_note");
    repo.branch("main");
    let (code, stdout, stderr) = repo.norm(&["release", "example"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    repo.branch("main");
    repo.write("standards/example/entities/record.yaml", &record);
    let standard = repo
        .read("standards/example/standard.yaml")
        .replace("version: 0.1.2", "version: 0.2.0");
    repo.write("standards/example/standard.yaml", &standard);
    let (code, stdout, _) = repo.norm(&["check", "--base", "main"]);
    assert_eq!(code, 0, "{stdout}");

    // 7. Releasing with uncommitted changes is refused and changes nothing.
    let (code, _, stderr) = repo.norm(&["release", "example"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("uncommitted changes"), "{stderr}");
    assert!(!repo.has_tag("example/v0.2.0"));

    // 8. The site shows every release with its changes page, and the working tree as a draft.
    let (code, stdout, stderr) = repo.norm(&["build"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    for version in ["0.1.0", "0.1.1", "0.1.2", "unreleased"] {
        let page = format!("_site/example/{version}/changes.html");
        assert!(repo.path().join(&page).is_file(), "{page} missing");
    }
    assert!(
        repo.read("_site/example/0.1.1/changes.html")
            .contains("<code>record_note</code>")
    );
    let changelog = repo.read("_site/example/changelog.html");
    assert!(changelog.find("release-0.1.2") < changelog.find("release-0.1.0"));
}

#[test]
fn init_refuses_to_overwrite() {
    let repo = Repo::new();
    repo.write("README.md", "mine\n");
    let (code, _, stderr) = repo.norm(&["init"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already holds README.md"), "{stderr}");
    assert_eq!(repo.read("README.md"), "mine\n");
    assert!(
        !repo.path().join("norm.yaml").exists(),
        "nothing is written when one file exists"
    );
}

#[test]
fn a_new_repository_on_master_is_checked_against_master() {
    let mut repo = Repo::on_branch("master");
    assert_eq!(repo.norm(&["init"]).0, 0);
    repo.commit("norm init");
    let (code, stdout, stderr) = repo.norm(&["check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("norm diff master → WORKTREE"),
        "{stdout}"
    );
}

#[test]
fn a_clone_is_checked_against_its_remotes_default_branch() {
    let mut repo = Repo::on_branch("trunk");
    assert_eq!(repo.norm(&["init"]).0, 0);
    repo.commit("norm init");
    repo.clone_state("trunk");
    // A local `main` that is not the default branch is not the base.
    repo.branch("main");
    let (code, stdout, stderr) = repo.norm(&["check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("norm diff origin/trunk → WORKTREE"),
        "{stdout}"
    );
}

#[test]
fn without_a_default_branch_check_says_what_it_tried() {
    let mut repo = Repo::on_branch("work");
    assert_eq!(repo.norm(&["init"]).0, 0);
    repo.commit("norm init");
    let (code, _, stderr) = repo.norm(&["check"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--base"), "{stderr}");
    assert!(stderr.contains("origin/HEAD"), "{stderr}");
}

/// Every file under `dir`, with its content, `.git` left out.
fn written(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder)
            .expect("a written folder")
            .flatten()
        {
            let path = entry.path();
            if entry.file_name() == ".git" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).expect("a written file");
                out.push((
                    path.strip_prefix(dir)
                        .expect("under dir")
                        .display()
                        .to_string(),
                    text,
                ));
            }
        }
    }
    out
}

#[test]
fn init_takes_the_repository_address_from_origin() {
    let repo = Repo::new();
    repo.add_origin("https://curator:s3cret@github.com/acme/standards.git");
    let (code, stdout, stderr) = repo.norm(&["init"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let config = repo.read("norm.yaml");
    assert!(
        config.contains("repository: https://github.com/acme/standards\n"),
        "{config}"
    );
    assert!(
        config.contains("base_url: https://acme.github.io/standards/\n"),
        "{config}"
    );
    assert!(repo.read(".github/CODEOWNERS").contains("@acme/"));
    for (path, text) in written(repo.path()) {
        assert!(!text.contains("your-org"), "{path} keeps a placeholder");
        assert!(
            !text.contains("s3cret"),
            "{path} holds the remote's password"
        );
    }
    assert!(
        stdout.contains("https://github.com/acme/standards (from the `origin` remote)"),
        "{stdout}"
    );
    assert!(!stdout.contains("placeholder addresses"), "{stdout}");
    // Still a repository that passes its own checks.
    assert_eq!(repo.norm(&["lint", "--deny-warnings"]).0, 0);
}

#[test]
fn init_takes_the_repository_address_from_the_option() {
    let repo = Repo::new();
    repo.add_origin("git@github.com:someone/else.git");
    let url = "https://git.example.net/acme/standards";
    let (code, stdout, stderr) = repo.norm(&["init", "--repository", url]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let config = repo.read("norm.yaml");
    assert!(config.contains(&format!("repository: {url}\n")), "{config}");
    // Not on GitHub: where its site is published cannot be guessed, and init says so.
    assert!(stdout.contains("placeholder addresses"), "{stdout}");
    assert!(stdout.contains("site.base_url"), "{stdout}");
    assert!(!stdout.contains("site.repository"), "{stdout}");
}

#[test]
fn init_says_which_addresses_are_placeholders() {
    let repo = Repo::new();
    let (code, stdout, _) = repo.norm(&["init"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("placeholder addresses"), "{stdout}");
    assert!(stdout.contains("site.repository"), "{stdout}");
    assert!(stdout.contains("--repository URL"), "{stdout}");
}

#[test]
fn init_refuses_a_repository_address_that_is_not_a_web_address() {
    let repo = Repo::new();
    let (code, _, stderr) = repo.norm(&["init", "--repository", "javascript:alert(1)"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--repository"), "{stderr}");
    assert!(!repo.path().join("norm.yaml").exists());
}
