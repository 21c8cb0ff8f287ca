use std::path::Path;

use git2::{Repository, Signature};

use super::*;

/// A temporary git repository with a norm root at its top.
struct Fixture {
    dir: tempfile::TempDir,
    repo: Repository,
    time: i64,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let fixture = Fixture {
            dir,
            repo,
            time: 1_700_000_000,
        };
        fixture.write("norm.yaml", "site: { title: Test }\n");
        fixture
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, path: &str, text: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    fn standard(&self, version: &str, description: &str) {
        self.write(
            "standards/demo/standard.yaml",
            &format!("id: demo\ntitle: Demo\nversion: {version}\ndescription: {description}\n"),
        );
    }

    fn commit(&mut self, message: &str) -> Oid {
        let mut index = self.repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        self.time += 3600;
        let sig = Signature::new(
            "Curator",
            "curator@example.org",
            &git2::Time::new(self.time, 0),
        )
        .unwrap();
        let parents: Vec<git2::Commit<'_>> = self
            .repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap()
    }

    fn tag(&self, name: &str, commit: Oid) {
        let object = self.repo.find_object(commit, None).unwrap();
        self.repo.tag_lightweight(name, &object, false).unwrap();
    }
}

fn version_of(snapshot: &Snapshot) -> String {
    let blob = snapshot
        .blobs
        .iter()
        .find(|b| b.path == "standards/demo/standard.yaml")
        .unwrap();
    let text = String::from_utf8(blob.bytes.clone()).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("version: "))
        .unwrap()
        .to_owned()
}

#[test]
fn versions_committed_only_on_the_checked_branch_are_not_releases() {
    let mut f = Fixture::new();
    f.standard("1.0.0", "First.");
    let c1 = f.commit("1.0.0");
    {
        let main = f.repo.find_commit(c1).unwrap();
        f.repo.branch("main", &main, true).unwrap();
        f.repo.branch("feature", &main, true).unwrap();
    }
    f.repo.set_head("refs/heads/feature").unwrap();
    f.standard("1.0.1", "Branch only.");
    f.commit("1.0.1");
    f.standard("1.1.0", "Branch only too.");
    f.commit("1.1.0");
    // Released on main after the branch left it: not in the branch's history either.
    f.repo.set_head("refs/heads/main").unwrap();
    f.standard("1.0.5", "On main later.");
    f.commit("1.0.5");
    f.repo.set_head("refs/heads/feature").unwrap();

    let repo = Repo::open(f.path()).unwrap();
    let versions = |releases: &Releases| -> Vec<String> {
        releases["demo"]
            .iter()
            .map(|r| r.version.to_string())
            .collect()
    };
    assert_eq!(
        versions(&repo.releases_on(Some("main")).unwrap()),
        ["1.0.0"]
    );
    assert_eq!(
        versions(&repo.releases().unwrap()),
        ["1.0.0", "1.0.1", "1.1.0"],
        "the history of HEAD itself"
    );
    assert_eq!(repo.default_branch().as_deref(), Some("main"));
}

#[test]
fn reads_any_revision_without_checkout() {
    let mut f = Fixture::new();
    f.standard("1.0.0", "First.");
    let first = f.commit("first");
    f.standard("1.1.0", "Second.");
    f.commit("second");
    f.tag("v-marker", first);
    f.standard("2.0.0", "Uncommitted.");

    let repo = Repo::open(f.path()).unwrap();
    let read = |rev: &str| version_of(&repo.read(&Revision::parse(rev)).unwrap());
    assert_eq!(read("HEAD"), "1.1.0");
    assert_eq!(read("HEAD~1"), "1.0.0");
    assert_eq!(read("v-marker"), "1.0.0");
    assert_eq!(read(&first.to_string()), "1.0.0");
    assert_eq!(
        version_of(&repo.read(&Revision::WorkTree).unwrap()),
        "2.0.0"
    );
    let snapshot = repo.read(&Revision::parse("HEAD")).unwrap();
    let mut paths: Vec<&str> = snapshot.blobs.iter().map(|b| b.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["norm.yaml", "standards/demo/standard.yaml"]);
}

#[test]
fn releases_come_from_version_changes_on_the_first_parent_history() {
    let mut f = Fixture::new();
    f.standard("1.0.0", "First.");
    let c1 = f.commit("1.0.0");
    f.standard("1.0.0", "Edited without a bump.");
    f.commit("edit");
    f.standard("1.1.0", "Bumped.");
    let c3 = f.commit("1.1.0");

    let repo = Repo::open(f.path()).unwrap();
    let releases = repo.releases().unwrap();
    let demo: Vec<(String, Oid, Option<String>)> = releases["demo"]
        .iter()
        .map(|r| (r.version.to_string(), r.commit, r.tag.clone()))
        .collect();
    assert_eq!(
        demo,
        vec![("1.0.0".into(), c1, None), ("1.1.0".into(), c3, None)]
    );
    let old = repo.read(&Revision::parse("demo@1.0.0")).unwrap();
    assert_eq!(old.commit, Some(c1));
}

#[test]
fn tags_take_precedence_over_history() {
    let mut f = Fixture::new();
    f.standard("1.0.0", "First.");
    f.commit("1.0.0");
    f.standard("1.0.0", "Released after a fix.");
    let c2 = f.commit("fix");
    f.tag("demo/v1.0.0", c2);
    f.standard("1.1.0", "Not released yet.");
    f.commit("1.1.0");

    let repo = Repo::open(f.path()).unwrap();
    let releases = repo.releases().unwrap();
    assert_eq!(releases["demo"].len(), 1);
    assert_eq!(releases["demo"][0].commit, c2);
    assert_eq!(releases["demo"][0].tag.as_deref(), Some("demo/v1.0.0"));
    let err = repo.read(&Revision::parse("demo@1.1.0")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`demo` has no release 1.1.0; its releases are 1.0.0"
    );
}

#[test]
fn unknown_revisions_say_how_to_fetch_them() {
    let mut f = Fixture::new();
    f.standard("1.0.0", "First.");
    let head = f.commit("first");
    let repo = Repo::open(f.path()).unwrap();
    assert_eq!(
        repo.read(&Revision::parse("nope")).unwrap_err().to_string(),
        "unknown revision `nope`"
    );
    assert_eq!(
        repo.read(&Revision::parse("origin/main"))
            .unwrap_err()
            .to_string(),
        "unknown revision `origin/main`; this clone lacks it: run \
         `git fetch origin main:refs/remotes/origin/main`"
    );
    // git marks a shallow clone by listing its boundary commits in .git/shallow.
    std::fs::write(f.path().join(".git/shallow"), format!("{head}\n")).unwrap();
    let repo = Repo::open(f.path()).unwrap();
    assert_eq!(
        repo.read(&Revision::parse("HEAD~3"))
            .unwrap_err()
            .to_string(),
        "unknown revision `HEAD~3`; this clone is shallow and may lack it: run \
         `git fetch --unshallow` (in GitHub Actions set `fetch-depth: 0` on actions/checkout)"
    );
}

#[test]
fn bare_repositories_are_refused_and_worktrees_work() {
    let bare = tempfile::tempdir().unwrap();
    Repository::init_bare(bare.path()).unwrap();
    let err = Repo::open(bare.path()).err().unwrap();
    assert!(
        err.to_string()
            .ends_with("is a bare repository; run norm in a clone with a working tree")
    );

    let mut f = Fixture::new();
    f.standard("1.0.0", "First.");
    f.commit("first");
    let linked = tempfile::tempdir().unwrap();
    let wt_path = linked.path().join("wt");
    f.repo.worktree("wt", &wt_path, None).unwrap();
    let repo = Repo::open(&wt_path).unwrap();
    assert_eq!(
        version_of(&repo.read(&Revision::parse("HEAD")).unwrap()),
        "1.0.0"
    );
}

#[test]
fn a_norm_root_below_the_git_root_is_read_relative_to_itself() {
    let mut f = Fixture::new();
    f.write("data/norm.yaml", "site: { title: Nested }\n");
    f.write(
        "data/standards/demo/standard.yaml",
        "id: demo\ntitle: Demo\nversion: 3.0.0\n",
    );
    f.commit("nested");
    let repo = Repo::open(&f.path().join("data")).unwrap();
    let snapshot = repo.read(&Revision::parse("HEAD")).unwrap();
    assert_eq!(version_of(&snapshot), "3.0.0");
    assert_eq!(
        repo.releases().unwrap()["demo"][0].version.to_string(),
        "3.0.0"
    );
}

#[test]
fn releases_are_told_apart_from_git_revisions() {
    assert_eq!(
        Revision::parse("ssd@1.2.0"),
        Revision::Release {
            standard: "ssd".into(),
            version: "1.2.0".into()
        }
    );
    assert_eq!(
        Revision::parse("HEAD@{1}"),
        Revision::Git("HEAD@{1}".into())
    );
    assert_eq!(
        Revision::parse("origin/main"),
        Revision::Git("origin/main".into())
    );
}

#[test]
fn reading_with_another_snapshot_gives_the_same_blobs() {
    let mut f = Fixture::new();
    f.standard("1.0.0", "First.");
    f.write("standards/demo/entities/a.yaml", "name: a\nfields: []\n");
    f.commit("first");
    f.standard("1.1.0", "Second.");
    f.commit("second");
    let repo = Repo::open(f.path()).unwrap();
    let head = repo.read(&Revision::parse("HEAD")).unwrap();
    let plain = repo.read(&Revision::parse("HEAD~1")).unwrap();
    let reused = repo
        .read_reusing(&Revision::parse("HEAD~1"), &head.known())
        .unwrap();
    assert_eq!(plain.blobs, reused.blobs);
    assert_eq!(plain.oids, reused.oids);
    assert_eq!(version_of(&reused), "1.0.0");
}
