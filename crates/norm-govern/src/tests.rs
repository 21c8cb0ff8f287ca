#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;

use git2::{Repository, Signature};
use norm_git::{Oid, Repo, Revision};

use crate::{Comparer, GovernError, Scope};

/// A temporary git repository holding one standard, `demo`.
struct Fixture {
    dir: tempfile::TempDir,
    git: Repository,
    time: i64,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let git = Repository::init(dir.path()).unwrap();
        let fixture = Fixture {
            dir,
            git,
            time: 1_700_000_000,
        };
        fixture.write(
            "norm.yaml",
            "lint:\n  rules: { missing-description: off, missing-title: off, missing-provenance: off }\n",
        );
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

    /// Writes `demo` at `version` with the given fields of `person`, and commits.
    fn release(&mut self, version: &str, fields: &[&str]) -> Oid {
        self.write(
            "standards/demo/standard.yaml",
            &format!("id: demo\ntitle: Demo\nversion: {version}\n"),
        );
        let fields: String = fields
            .iter()
            .map(|f| format!("  - name: {f}\n    type: string\n"))
            .collect();
        self.write(
            "standards/demo/entities/person.yaml",
            &format!("name: person\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n{fields}"),
        );
        let mut index = self.git.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = self.git.find_tree(index.write_tree().unwrap()).unwrap();
        self.time += 3600;
        let sig =
            Signature::new("Curator", "c@example.org", &git2::Time::new(self.time, 0)).unwrap();
        let parent = self.git.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        self.git
            .commit(Some("HEAD"), &sig, &sig, version, &tree, &parents)
            .unwrap()
    }

    fn comparer(&self) -> Comparer {
        Comparer::new(Repo::open(self.path()).unwrap())
    }
}

fn release(version: &str) -> Revision {
    Revision::Release {
        standard: "demo".into(),
        version: version.into(),
    }
}

fn fingerprints(set: &norm_diff::ChangeSet) -> Vec<String> {
    set.standards
        .iter()
        .flat_map(|s| &s.changes)
        .map(|c| format!("{} {}", c.rule, c.message))
        .collect()
}

#[test]
fn a_release_is_compared_with_the_release_before_it() {
    let mut fixture = Fixture::new();
    fixture.release("1.0.0", &[]);
    fixture.release("1.1.0", &["email"]);
    fixture.release("1.2.0", &["email", "phone"]);
    let comparer = fixture.comparer();

    let first = comparer
        .release_changes("demo", &semver::Version::new(1, 0, 0))
        .unwrap();
    assert!(first.is_none(), "the first release has nothing before it");

    let by_release = comparer
        .release_changes("demo", &semver::Version::new(1, 2, 0))
        .unwrap()
        .unwrap();
    let by_names = fixture
        .comparer()
        .compare(
            &release("1.1.0"),
            &release("1.2.0"),
            &Scope::Standard("demo".into()),
        )
        .unwrap();
    assert_eq!(by_release.base.label(), "demo@1.1.0");
    assert_eq!(by_release.head.label(), "demo@1.2.0");
    assert_eq!(
        fingerprints(&by_release.changes),
        ["field-added-optional optional field `phone` added"]
    );
    assert_eq!(
        fingerprints(&by_release.changes),
        fingerprints(&by_names.changes)
    );
}

#[test]
fn each_commit_is_loaded_once() {
    let mut fixture = Fixture::new();
    fixture.release("1.0.0", &[]);
    fixture.release("1.1.0", &["email"]);
    let comparer = fixture.comparer();
    let by_release = comparer.side(&release("1.1.0"), None).unwrap();
    let by_name = comparer.side(&Revision::Git("HEAD".into()), None).unwrap();
    assert!(Arc::ptr_eq(by_release.catalog(), by_name.catalog()));
    assert_eq!(
        by_name.label(),
        "HEAD",
        "each side keeps the name it was given"
    );
}

#[test]
fn a_standard_neither_side_has_is_named() {
    let mut fixture = Fixture::new();
    fixture.release("1.0.0", &[]);
    let err = fixture
        .comparer()
        .compare(
            &Revision::Git("HEAD".into()),
            &Revision::WorkTree,
            &Scope::Standard("nope".into()),
        )
        .err()
        .unwrap();
    assert!(matches!(err, GovernError::NoSuchStandard { .. }));
    assert_eq!(
        err.to_string(),
        "no standard `nope` in `HEAD` or `WORKTREE`"
    );
}

#[test]
fn a_comparer_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Comparer>();
    shared::<crate::Comparison>();

    let mut fixture = Fixture::new();
    fixture.release("1.0.0", &[]);
    fixture.release("1.1.0", &["email"]);
    fixture.release("1.2.0", &["email", "phone"]);
    let comparer = fixture.comparer();
    let changes: Vec<usize> = std::thread::scope(|scope| {
        let handles: Vec<_> = ["1.1.0", "1.2.0"]
            .map(|v| {
                let comparer = &comparer;
                scope.spawn(move || {
                    comparer
                        .release_changes("demo", &semver::Version::parse(v).unwrap())
                        .unwrap()
                        .unwrap()
                        .changes
                        .standards[0]
                        .changes
                        .len()
                })
            })
            .into_iter()
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(changes, [1, 1]);
}

/// This repository, with its real history of releases.
fn our_repository() -> Repo {
    Repo::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")).unwrap()
}

#[test]
fn loading_what_one_standard_needs_gives_the_same_changes_as_loading_everything() {
    let scoped = Comparer::new(our_repository());
    let whole = Comparer::new(our_repository()).loading_whole_catalogs();
    let releases = scoped.releases().unwrap();
    let mut compared = 0;
    let mut narrower = 0;
    for (id, list) in releases.iter() {
        let scope = Scope::Standard(id.clone());
        for pair in list.windows(2) {
            let release = |r: &norm_git::Release| Revision::Release {
                standard: id.clone(),
                version: r.version.to_string(),
            };
            let (base, head) = (release(&pair[0]), release(&pair[1]));
            let a = scoped.compare(&base, &head, &scope).unwrap();
            let b = whole.compare(&base, &head, &scope).unwrap();
            assert_eq!(
                serde_json::to_value(&a.changes).unwrap(),
                serde_json::to_value(&b.changes).unwrap(),
                "{id} {} → {}",
                pair[0].version,
                pair[1].version
            );
            let (loaded, all) = (
                a.head.catalog().standards.len(),
                b.head.catalog().standards.len(),
            );
            assert!(loaded <= all);
            narrower += usize::from(loaded < all);
            compared += 1;
        }
        // And the working tree against the first release, with its lint errors.
        if let Some(first) = list.first() {
            let base = Revision::Release {
                standard: id.clone(),
                version: first.version.to_string(),
            };
            let a = scoped.compare(&base, &Revision::WorkTree, &scope).unwrap();
            let b = whole.compare(&base, &Revision::WorkTree, &scope).unwrap();
            assert_eq!(
                serde_json::to_value(&a.changes).unwrap(),
                serde_json::to_value(&b.changes).unwrap(),
                "{id} {} → working tree",
                first.version
            );
            assert_eq!(a.head.lint_errors(), 0, "{id}: our standards lint clean");
        }
    }
    assert!(compared >= 5, "our history has releases to compare");
    assert!(narrower > 0, "some comparison loaded less than everything");
}
