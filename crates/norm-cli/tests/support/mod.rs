//! Shared helpers of the CLI's git tests.

// Each test binary uses its own subset of the helpers.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use git2::{Repository, Signature};

/// A temporary git repository built with git2, and `norm` run inside it.
pub struct Repo {
    dir: tempfile::TempDir,
    git: Repository,
    time: i64,
}

impl Repo {
    pub fn new() -> Repo {
        Repo::init(&git2::RepositoryInitOptions::new())
    }

    /// A repository whose first commit goes on `branch`, as `git init -b BRANCH` makes it.
    pub fn on_branch(branch: &str) -> Repo {
        Repo::init(git2::RepositoryInitOptions::new().initial_head(branch))
    }

    fn init(options: &git2::RepositoryInitOptions) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let git = Repository::init_opts(dir.path(), options).unwrap();
        // `norm release` commits as the repository's configured user.
        let mut config = git.config().unwrap();
        config.set_str("user.name", "Curator").unwrap();
        config.set_str("user.email", "curator@example.org").unwrap();
        Repo {
            dir,
            git,
            time: 1_700_000_000,
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.path().join(path)).unwrap();
    }

    pub fn commit(&mut self, message: &str) -> git2::Oid {
        let mut index = self.git.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        let tree = self.git.find_tree(index.write_tree().unwrap()).unwrap();
        self.time += 86_400;
        let sig = Signature::new(
            "Curator",
            "curator@example.org",
            &git2::Time::new(self.time, 0),
        )
        .unwrap();
        let parent = self.git.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        self.git
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap()
    }

    pub fn tag(&self, name: &str, oid: git2::Oid) {
        let object = self.git.find_object(oid, None).unwrap();
        self.git.tag_lightweight(name, &object, false).unwrap();
    }

    pub fn norm(&self, args: &[&str]) -> (i32, String, String) {
        norm_in(self.path(), args)
    }

    /// The message of the commit `rev` names.
    pub fn message(&self, rev: &str) -> String {
        let commit = self
            .git
            .revparse_single(rev)
            .unwrap()
            .peel_to_commit()
            .unwrap();
        commit.message().unwrap_or_default().to_owned()
    }

    /// Whether tag `name` exists.
    pub fn has_tag(&self, name: &str) -> bool {
        self.git
            .find_reference(&format!("refs/tags/{name}"))
            .is_ok()
    }

    /// The content of a file of the working tree.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path)).unwrap()
    }

    /// Adds the remote `origin` with `url`.
    pub fn add_origin(&self, url: &str) {
        self.git.remote("origin", url).unwrap();
    }

    /// Points `origin/BRANCH` at the current commit and `origin/HEAD` at `origin/BRANCH`, as a
    /// clone of a repository whose default branch is BRANCH has them.
    pub fn clone_state(&self, branch: &str) {
        let head = self.git.head().unwrap().target().unwrap();
        let tracking = format!("refs/remotes/origin/{branch}");
        self.git.reference(&tracking, head, true, "fetch").unwrap();
        self.git
            .reference_symbolic("refs/remotes/origin/HEAD", &tracking, true, "clone")
            .unwrap();
    }

    /// Removes the committer identity that [`Repo::new`] configures.
    pub fn forget_identity(&self) {
        let mut config = self
            .git
            .config()
            .unwrap()
            .open_level(git2::ConfigLevel::Local)
            .unwrap();
        config.remove("user.name").unwrap();
        config.remove("user.email").unwrap();
    }

    /// Runs `norm` with `home` as the only source of user and system git configuration.
    pub fn norm_isolated(&self, args: &[&str], home: &Path) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_norm"))
            .args(args)
            .current_dir(self.path())
            .env_clear()
            .env("NO_COLOR", "1")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Paths that differ from `HEAD` in the index or the working tree, untracked included.
    pub fn changed_paths(&self) -> Vec<String> {
        let mut options = git2::StatusOptions::new();
        options.include_untracked(true).recurse_untracked_dirs(true);
        self.git
            .statuses(Some(&mut options))
            .unwrap()
            .iter()
            .filter_map(|s| s.path().ok().map(str::to_owned))
            .collect()
    }

    /// Creates branch `name` at the current commit and checks it out (the files stay).
    pub fn switch(&self, name: &str) {
        self.branch(name);
        self.git.set_head(&format!("refs/heads/{name}")).unwrap();
    }

    /// Creates or moves branch `name` to the current commit.
    pub fn branch(&self, name: &str) {
        let head = self.git.head().unwrap().peel_to_commit().unwrap();
        self.git.branch(name, &head, true).unwrap();
    }
}

/// Runs the built `norm` in `dir` with a pinned environment: `(exit code, stdout, stderr)`.
pub fn norm_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_norm"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `dir` (a site, say) with its bytes, in path order.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    norm_site::walk(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}
