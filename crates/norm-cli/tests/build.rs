//! `norm build` end to end: our own standards with their real history, and temporary
//! repositories built with git2.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{Repo, norm_in, tree};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The done-when of issue D on our own standards: each release has its own pages and a
/// generated changes page, every link resolves, and search finds `ethnicity`.
#[test]
fn our_own_site_has_every_release_and_no_broken_link() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let (code, stdout, stderr) = norm_in(
        &workspace_root(),
        &["build", "--no-cache", "--out", site.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    // Every release, and the working tree of each standard that changed since its last one:
    // as many versions as the site has version folders, and at least the releases below.
    let built: usize = stdout
        .split("Built ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of versions built: {stdout}"));
    let folders = std::fs::read_dir(&site)
        .unwrap()
        .filter_map(|e| std::fs::read_dir(e.unwrap().path()).ok())
        .flatten()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
        .count();
    assert_eq!(built, folders, "{stdout}");
    // The real history (docs/content/history.md): ten SSDA903 years, nine CIN census years
    // and a range release, the SSD's 14 revisions and today's model, and so on.
    assert!(built >= 55, "{stdout}");
    for (standard, versions) in [
        ("csc-codes", &["1.0.0", "2.0.0", "7.3.0"][..]),
        ("cin-census", &["1.0.0", "2.0.0", "4.0.0", "5.1.0"]),
        ("ssda903", &["1.0.0", "2.0.0", "5.0.0", "6.0.0"]),
        ("ssd", &["1.0.0", "12.0.0", "13.0.0"]),
        ("annex-a", &["1.0.0", "2.0.0", "2.1.0"]),
        ("early-help", &["0.2.0"]),
    ] {
        for v in versions {
            for page in ["index.html", "changes.html"] {
                let path = site.join(format!("{standard}/{v}/{page}"));
                assert!(path.is_file(), "{} missing", path.display());
            }
        }
        assert!(site.join(format!("{standard}/changelog.html")).is_file());
    }
    // SSDA903's validation rules, first released for 2022-23 (2.0.0), have their page, and
    // that release's changes page lists them as new.
    let rules = std::fs::read_to_string(site.join("ssda903/2.0.0/rules.html")).unwrap();
    assert!(rules.contains("id=\"rule-213\""), "{rules}");
    let changes = std::fs::read_to_string(site.join("ssda903/2.0.0/changes.html")).unwrap();
    assert!(changes.contains("New rules"), "{changes}");
    // The 2024-25 change of the CIN census: gender replaced by sex, shown as a breaking change.
    let changes = std::fs::read_to_string(site.join("cin-census/4.0.0/changes.html")).unwrap();
    assert!(changes.contains("id=\"breaking\""), "{changes}");
    assert!(changes.contains("gender_current"));
    assert_eq!(
        norm_site::linkcheck::broken_links(&site),
        Vec::<String>::new()
    );
    // csc-codes has no entities: its codes are in one CSV per code list (issue J 19).
    let sex =
        std::fs::read_to_string(site.join("csc-codes/7.3.0/downloads/codelists/sex.csv")).unwrap();
    assert!(
        sex.starts_with("code,label,status,description\r\n"),
        "{sex}"
    );
    assert!(sex.lines().count() > 2, "{sex}");
    // Search: the default shards hold `ethnicity` fields and the code list.
    let shard = std::fs::read_to_string(site.join("csc-codes/7.3.0/search.json")).unwrap();
    assert!(shard.contains("[\"l\",\"ethnicity\""), "{shard}");
    let shard = std::fs::read_to_string(site.join("cin-census/5.1.0/search.json")).unwrap();
    assert!(shard.contains("ethnicity"));
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.github.io/norm/ssd/13.0.0/index.html</loc>"));
}

#[test]
fn lint_errors_stop_the_build_and_nothing_is_written() {
    let repo = Repo::new();
    assert_eq!(repo.norm(&["init"]).0, 0);
    repo.write(
        "standards/example/entities/record.yaml",
        &repo
            .read("standards/example/entities/record.yaml")
            .replace("type: string", "type: strng"),
    );
    let (code, stdout, _) = repo.norm(&["build"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("record.yaml:"), "{stdout}");
    assert!(stdout.contains("The site was not built"), "{stdout}");
    assert!(!repo.path().join("_site").exists());
}

/// `norm init`'s example released as 0.1.0 and 0.1.1 (tags on two commits).
fn two_releases() -> Repo {
    let mut repo = Repo::new();
    assert_eq!(repo.norm(&["init"]).0, 0);
    let first = repo.commit("first");
    repo.tag("example/v0.1.0", first);
    let standard = repo
        .read("standards/example/standard.yaml")
        .replace("version: 0.1.0", "version: 0.1.1");
    repo.write("standards/example/standard.yaml", &standard);
    let second = repo.commit("second");
    repo.tag("example/v0.1.1", second);
    repo
}

#[test]
fn releases_come_from_the_cache_on_the_second_build() {
    let mut repo = two_releases();
    let standard = repo.read("standards/example/standard.yaml");
    repo.write(
        "standards/example/standard.yaml",
        &standard.replace("A starting point", "The starting point"),
    );

    let (code, stdout, stderr) = repo.norm(&["build"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Built 3 versions (3 rendered, 0 from the cache)"),
        "{stdout}"
    );
    // The example's owner has no e-mail address: one line says so of the latest release (not
    // one per release: an older record cannot change), naming the key to add.
    let warned = |stderr: &str| -> Vec<String> {
        stderr
            .lines()
            .filter(|l| l.contains("DCAT"))
            .map(str::to_owned)
            .collect()
    };
    // The build's report, warnings included, is its standard output.
    let first_warnings = warned(&stdout);
    assert_eq!(first_warnings.len(), 1, "{stdout}");
    assert!(
        first_warnings[0]
            .starts_with("warning: example: the DCAT record of its latest release (0.1.1) lacks")
            && first_warnings[0].contains("add `owner.email` to standard.yaml"),
        "{stdout}"
    );
    let before = repo.read("_site/example/0.1.0/index.html");
    let (code, stdout, _) = repo.norm(&["build"]);
    assert_eq!(code, 0);
    // Releases from the cache warn as they did when rendered.
    assert_eq!(warned(&stdout), first_warnings, "{stdout}");
    assert!(
        stdout.contains("Built 3 versions (1 rendered, 2 from the cache)"),
        "{stdout}"
    );
    assert_eq!(repo.read("_site/example/0.1.0/index.html"), before);
    assert!(
        repo.read("_site/example/unreleased/index.html")
            .contains("The starting point")
    );
    assert!(repo.path().join(".norm-cache/site").is_dir());
    // What comes from the cache is byte for byte what a build without it writes.
    let (code, stdout, _) = repo.norm(&["build", "--no-cache", "--out", "fresh"]);
    assert_eq!(code, 0, "{stdout}");
    let cached = repo.path().join("_site");
    let fresh = repo.path().join("fresh");
    assert_eq!(tree(&cached), tree(&fresh));
    // Once a release gives the address, its record lacks nothing and the warning is gone,
    // though the older releases' records stay as they were published.
    let standard = repo
        .read("standards/example/standard.yaml")
        .replace("version: 0.1.1", "version: 0.1.2")
        .replace(
            "  url: https://example.org\n",
            "  url: https://example.org\n  email: standards@example.org\n",
        );
    repo.write("standards/example/standard.yaml", &standard);
    let third = repo.commit("third");
    repo.tag("example/v0.1.2", third);
    let (code, stdout, _) = repo.norm(&["build"]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(warned(&stdout), Vec::<String>::new(), "{stdout}");
    assert!(
        !repo
            .read("_site/example/0.1.1/downloads/example-0.1.1.dcat.ttl")
            .contains("mailto:")
    );
    assert!(
        repo.read("_site/example/0.1.2/downloads/example-0.1.2.dcat.ttl")
            .contains("<mailto:standards@example.org>")
    );
}

/// The inode of a file: the same one after a build means the build moved it, not wrote it.
#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
}

#[test]
#[cfg(unix)]
fn a_cached_build_moves_unchanged_releases_over_and_rewrites_what_was_edited_by_hand() {
    let repo = two_releases();
    assert_eq!(repo.norm(&["build"]).0, 0);
    let site = repo.path().join("_site");
    let page = |version: &str| site.join(format!("example/{version}/index.html"));
    let (old, newer) = (inode(&page("0.1.0")), inode(&page("0.1.1")));
    let home = inode(&site.join("index.html"));

    // Nothing changed: both release folders are the ones the last build wrote, and so is
    // the home page, whose bytes are the same.
    let (code, stdout, _) = repo.norm(&["build"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("2 from the cache"), "{stdout}");
    assert_eq!((inode(&page("0.1.0")), inode(&page("0.1.1"))), (old, newer));
    assert_eq!(inode(&site.join("index.html")), home);

    // An edit to the working tree adds an unreleased version; the releases stay cached.
    let standard = repo.read("standards/example/standard.yaml");
    repo.write(
        "standards/example/standard.yaml",
        &standard.replace("A starting point", "The starting point"),
    );
    let (code, stdout, _) = repo.norm(&["build"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("(1 rendered, 2 from the cache)"),
        "{stdout}"
    );
    assert_eq!((inode(&page("0.1.0")), inode(&page("0.1.1"))), (old, newer));

    // A page edited by hand, and a stray file beside another release's pages: the next build
    // writes the edited release again and drops the stray file.
    let original = std::fs::read_to_string(page("0.1.1")).unwrap();
    std::fs::write(page("0.1.1"), "edited by hand").unwrap();
    std::fs::write(site.join("example/0.1.0/stray.html"), "stray").unwrap();
    let (code, stdout, _) = repo.norm(&["build"]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(std::fs::read_to_string(page("0.1.1")).unwrap(), original);
    assert!(!site.join("example/0.1.0/stray.html").exists());

    // And what the build put together is byte for byte a build without the cache.
    let (code, stdout, _) = repo.norm(&["build", "--no-cache", "--out", "fresh"]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(tree(&site), tree(&repo.path().join("fresh")));
    assert_eq!(leftovers(repo.path()), Vec::<String>::new());
}

#[test]
#[cfg(unix)]
fn a_file_that_repeats_another_is_a_hard_link_and_a_hand_edit_is_undone_in_both() {
    let repo = two_releases();
    assert_eq!(repo.norm(&["build"]).0, 0);
    let site = repo.path().join("_site");
    let downloads = site.join("example/0.1.1/downloads");
    let (list, twin) = (
        downloads.join("datapackage/codelists/record_status.csv"),
        downloads.join("csvw/codelists/record_status.csv"),
    );
    let original = std::fs::read(&list).unwrap();
    assert_eq!(std::fs::read(&twin).unwrap(), original);
    assert_eq!(inode(&list), inode(&twin));
    // An unchanged code list is the same file in the next release too.
    let older = site.join("example/0.1.0/downloads/datapackage/codelists/record_status.csv");
    assert_eq!(inode(&older), inode(&list));
    // Written into by hand, both copies change; the next build puts them right.
    std::fs::write(&twin, "edited by hand").unwrap();
    assert_eq!(std::fs::read(&list).unwrap(), b"edited by hand");
    let (code, stdout, _) = repo.norm(&["build"]);
    assert_eq!(code, 0, "{stdout}");
    for path in [&list, &twin, &older] {
        assert_eq!(std::fs::read(path).unwrap(), original, "{}", path.display());
    }
    let (code, stdout, _) = repo.norm(&["build", "--no-cache", "--out", "fresh"]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(tree(&site), tree(&repo.path().join("fresh")));
}

/// Names beside the site that a build must not leave behind: its staging and old folders.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("._site."))
        .collect()
}

#[test]
fn rebuilding_replaces_the_site_and_leaves_nothing_beside_it() {
    let repo = Repo::new();
    assert_eq!(repo.norm(&["init"]).0, 0);
    assert_eq!(repo.norm(&["build"]).0, 0);
    let standard = repo.read("standards/example/standard.yaml");
    repo.write(
        "standards/example/standard.yaml",
        &standard.replace("A starting point", "A second start"),
    );
    assert_eq!(repo.norm(&["build"]).0, 0);
    assert!(
        repo.read("_site/example/unreleased/index.html")
            .contains("A second start")
    );
    assert_eq!(leftovers(repo.path()), Vec::<String>::new());
}

#[test]
fn a_template_error_names_the_template_and_writes_nothing() {
    let repo = Repo::new();
    assert_eq!(repo.norm(&["init"]).0, 0);
    // Strict undefined: a misspelt variable is an error, not an empty string.
    repo.write(
        "templates/entity.html",
        "{% extends \"base.html\" %}{% block content %}{{ entity.titel }}{% endblock %}",
    );
    let (code, stdout, stderr) = repo.norm(&["build"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("template `entity.html`"), "{stderr}");
    assert!(!repo.path().join("_site").exists());
    assert_eq!(leftovers(repo.path()), Vec::<String>::new());
}

/// The fingerprints of the changes a `norm diff --format json` report lists.
fn fingerprints(report: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = report["standards"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["changes"].as_array().unwrap())
        .map(|c| c["fingerprint"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

/// Issue K: every release's changes page and `changes.json` are exactly what `norm diff
/// S@previous S@this --standard S` reports, on our own standards and their real history.
#[test]
fn our_own_changes_pages_are_what_norm_diff_reports() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let root = workspace_root();
    let (code, stdout, stderr) = norm_in(
        &root,
        &["build", "--no-cache", "--out", site.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let mut compared = 0;
    for standard in norm_site::walk(&site)
        .iter()
        .filter_map(|p| p.strip_suffix("/changelog.html"))
    {
        let mut versions: Vec<semver::Version> = std::fs::read_dir(site.join(standard))
            .unwrap()
            .filter_map(|e| semver::Version::parse(&e.unwrap().file_name().to_string_lossy()).ok())
            .collect();
        versions.sort();
        assert!(
            !site
                .join(format!("{standard}/{}/downloads/changes.json", versions[0]))
                .exists(),
            "a first release has nothing to compare with"
        );
        for pair in versions.windows(2) {
            let (previous, this) = (&pair[0], &pair[1]);
            let (code, report, stderr) = norm_in(
                &root,
                &[
                    "diff",
                    &format!("{standard}@{previous}"),
                    &format!("{standard}@{this}"),
                    "--standard",
                    standard,
                    "--format",
                    "json",
                ],
            );
            assert_eq!(code, 0, "{stderr}");
            let folder = site.join(format!("{standard}/{this}"));
            let json = std::fs::read_to_string(folder.join("downloads/changes.json")).unwrap();
            assert_eq!(json, report, "{standard} {this}: changes.json");
            let expected = fingerprints(&serde_json::from_str(&report).unwrap());
            let page = std::fs::read_to_string(folder.join("changes.html")).unwrap();
            let mut shown: Vec<String> = page
                .split("id=\"change-")
                .skip(1)
                .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
                .collect();
            shown.sort();
            assert_eq!(shown, expected, "{standard} {this}: changes page");
            compared += 1;
        }
    }
    // A floor, not a count: every release our standards make adds one. 49 when the real
    // history arrived (55 releases of six standards).
    assert!(
        compared >= 49,
        "every release after the first of six standards: only {compared} compared"
    );
}

#[test]
fn a_folder_without_git_builds_its_working_tree() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, _) = norm_in(dir.path(), &["init"]);
    assert_eq!(code, 0);
    let (code, stdout, stderr) = norm_in(dir.path(), &["build"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("not a git repository"), "{stdout}");
    assert!(
        dir.path()
            .join("_site/example/unreleased/entities/record.html")
            .is_file()
    );
    assert!(dir.path().join("_site/example/index.html").is_file());
}

#[test]
fn dump_context_prints_one_page_context() {
    let repo = Repo::new();
    assert_eq!(repo.norm(&["init"]).0, 0);
    let (code, stdout, stderr) = repo.norm(&[
        "build",
        "--dump-context",
        "example/unreleased/codelists/record_status.html",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["codelist"]["codes"][0]["code"], "O");
    assert!(
        !repo.path().join("_site").exists(),
        "dumping builds nothing"
    );
    let (code, _, stderr) = repo.norm(&["build", "--dump-context", "nope.html"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no page `nope.html`"), "{stderr}");
}

#[test]
fn an_output_folder_norm_did_not_write_is_left_alone() {
    let repo = Repo::new();
    assert_eq!(repo.norm(&["init"]).0, 0);
    repo.write("docs/guide.md", "precious\n");
    let (code, _, stderr) = repo.norm(&["build", "--out", "docs"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("was not written by `norm build`"),
        "{stderr}"
    );
    assert_eq!(repo.read("docs/guide.md"), "precious\n");
}

/// Reads lines from `norm serve` until one contains `needle`, for at most 60 seconds (it returns
/// as soon as the line comes; a loaded 2-core machine takes its time to rebuild).
fn wait_for(lines: &std::sync::mpsc::Receiver<String>, needle: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return line,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("norm serve never printed `{needle}`");
}

fn get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    text
}

/// Stops `norm serve` when the test ends, whether it passed or not.
struct Stop(std::process::Child);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_previews_the_working_tree_and_rebuilds_on_edits() {
    use std::io::BufRead;
    let repo = Repo::new();
    assert_eq!(repo.norm(&["init"]).0, 0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_norm"))
        .args(["serve", "--port", "0"])
        .current_dir(repo.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _stop = Stop(child);
    let (send, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let serving = wait_for(&lines, "Serving");
    let port: u16 = serving
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap();
    let page = get(port, "/example/unreleased/entities/record.html");
    assert!(
        page.contains(" 200 ") && page.contains("Record identifier"),
        "{page}"
    );
    assert!(get(port, "/no/such/page.html").contains(" 404 "));
    // Open pages ask for the rebuild count and reload when it changes.
    assert!(page.contains("/__norm/reload"), "{page}");
    assert!(get(port, "/__norm/reload").ends_with("\r\n1"));

    let record = repo.read("standards/example/entities/record.yaml");
    repo.write(
        "standards/example/entities/record.yaml",
        &record.replace("Record identifier", "Record reference"),
    );
    wait_for(&lines, "change detected");
    wait_for(&lines, "Built");
    let page = get(port, "/example/unreleased/entities/record.html");
    assert!(page.contains("Record reference"), "{page}");
    assert!(get(port, "/__norm/reload").ends_with("\r\n2"));
    // The built files themselves carry no script: only the preview adds it.
    assert!(
        !repo
            .read("_site/example/unreleased/entities/record.html")
            .contains("__norm")
    );
}
