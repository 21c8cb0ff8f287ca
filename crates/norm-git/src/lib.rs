//! Reads a revision's standards tree and the release history of each standard from git.
//!
//! This crate only talks to git: it turns a [`Revision`] into the `(path, bytes)` blobs that
//! [`norm_model::Catalog::load`] reads, exactly as the working tree does, straight from the object
//! database (no checkout). It also lists the releases of each standard (format.md, "Releases"):
//! tags `<id>/v<version>` where a standard has them, else the commits of the base branch's
//! first-parent history where its `version:` changed (`releases.rs`), and makes the one commit
//! and tag of `norm release` (`write.rs`).

use std::path::{Path, PathBuf};

use git2::{ObjectType, Repository, Tree};

/// A git object id (commits of releases and snapshots).
pub use git2::Oid;
use norm_model::Diagnostic;
use norm_model::catalog::{Blob, MAX_FILE_BYTES};
use norm_model::worktree::{self, CONFIG_FILE};

/// A state of the repository that standards can be read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revision {
    /// The files on disk, including uncommitted edits.
    WorkTree,
    /// A git revision: a tag, branch, commit or expression such as `HEAD~1` or `origin/main`.
    Git(String),
    /// A release of one standard, written `STANDARD@VERSION` (for example `ssd@1.2.0`).
    Release {
        /// The standard's id.
        standard: String,
        /// The released version.
        version: String,
    },
}

impl Revision {
    /// Parses a revision as the CLI accepts it: `STANDARD@VERSION` names a release, anything
    /// else is a git revision.
    pub fn parse(text: &str) -> Revision {
        match text.split_once('@') {
            Some((standard, version))
                if norm_model::reference::is_standard_id(standard)
                    && version.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                Revision::Release {
                    standard: standard.to_owned(),
                    version: version.to_owned(),
                }
            }
            _ => Revision::Git(text.to_owned()),
        }
    }
}

impl std::fmt::Display for Revision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Revision::WorkTree => f.write_str("WORKTREE"),
            Revision::Git(rev) => f.write_str(rev),
            Revision::Release { standard, version } => write!(f, "{standard}@{version}"),
        }
    }
}

/// Why a revision could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The folder is not inside a git repository.
    #[error("{} is not in a git repository; norm reads history from git (run `git init`)", .0.display())]
    NotARepository(PathBuf),
    /// A bare repository has no working tree to hold `norm.yaml`.
    #[error("{} is a bare repository; run norm in a clone with a working tree", .0.display())]
    Bare(PathBuf),
    /// The revision does not exist in this clone.
    #[error("unknown revision `{rev}`{hint}")]
    UnknownRevision {
        /// The revision as given.
        rev: String,
        /// How to fetch it, when that can be said.
        hint: String,
    },
    /// No release of the standard has that version.
    #[error("`{standard}` has no release {version}{known}{hint}")]
    UnknownRelease {
        /// The standard.
        standard: String,
        /// The version asked for.
        version: String,
        /// The versions that exist, in words.
        known: String,
        /// How to fetch it, when that can be said.
        hint: String,
    },
    /// The working tree could not be read.
    #[error(transparent)]
    Worktree(#[from] worktree::WorktreeError),
    /// Any other git failure while reading, with the revision it concerned.
    #[error("git failed while reading `{rev}`: {}", .error.message())]
    Git {
        /// The revision being read.
        rev: String,
        /// The underlying error.
        error: git2::Error,
    },
    /// A step of writing a release failed; the files and the index were restored.
    #[error("git failed while {step}: {}", .error.message())]
    Write {
        /// The step, in words (`committing the release`).
        step: &'static str,
        /// The underlying error.
        error: git2::Error,
    },
    /// Committing needs a name and an email, and git has neither configured.
    #[error(
        "git has no identity to commit the release with: run `git config user.name \"Your Name\"` and `git config user.email you@example.org`, then release again"
    )]
    NoIdentity,
}

/// The standards files of one revision.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// `norm.yaml` and every file under `standards/`, paths relative to the norm root.
    pub blobs: Vec<Blob>,
    /// Files that could not be read (symbolic links, oversized files).
    pub diagnostics: Vec<Diagnostic>,
    /// The commit, for git revisions.
    pub commit: Option<Oid>,
    /// The git object id of each blob (parallel to `blobs`), for git revisions.
    pub oids: Vec<Oid>,
}

/// File contents already read, by git object id: a reader copies them instead of inflating
/// the same object again from the object database.
pub type Known<'a> = std::collections::HashMap<Oid, &'a [u8]>;

impl Snapshot {
    /// Its blobs by object id, for reading another revision that shares most of them.
    pub fn known(&self) -> Known<'_> {
        self.oids
            .iter()
            .copied()
            .zip(self.blobs.iter().map(|b| b.bytes.as_slice()))
            .collect()
    }
}

/// A norm repository inside a git repository.
pub struct Repo {
    repo: Repository,
    /// The folder holding `norm.yaml`.
    root: PathBuf,
    /// `root` relative to the git working directory, `/`-separated, empty or ending in `/`.
    prefix: String,
}

fn git_err(rev: &str) -> impl FnOnce(git2::Error) -> GitError + '_ {
    move |error| GitError::Git {
        rev: rev.to_owned(),
        error,
    }
}

impl Repo {
    /// Opens the git repository that holds the norm repository at `root` (the folder of
    /// `norm.yaml`). Linked worktrees work like any clone; bare repositories are refused.
    pub fn open(root: &Path) -> Result<Repo, GitError> {
        let repo = Repository::discover(root).map_err(|_| GitError::NotARepository(root.into()))?;
        if repo.is_bare() {
            return Err(GitError::Bare(repo.path().to_path_buf()));
        }
        let workdir = repo
            .workdir()
            .and_then(|w| std::fs::canonicalize(w).ok())
            .ok_or_else(|| GitError::Bare(repo.path().to_path_buf()))?;
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let prefix = root
            .strip_prefix(&workdir)
            .map(|p| {
                let p = p.to_string_lossy().replace('\\', "/");
                if p.is_empty() { p } else { format!("{p}/") }
            })
            .unwrap_or_default();
        Ok(Repo { repo, root, prefix })
    }

    /// The folder holding `norm.yaml`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The commit a git revision names, with an actionable message when it is missing.
    pub fn commit(&self, rev: &str) -> Result<git2::Commit<'_>, GitError> {
        let object = self
            .repo
            .revparse_single(rev)
            .map_err(|_| GitError::UnknownRevision {
                rev: rev.to_owned(),
                hint: self.fetch_hint(rev),
            })?;
        object.peel_to_commit().map_err(git_err(rev))
    }

    /// What to run when `rev` is not in this clone.
    fn fetch_hint(&self, rev: &str) -> String {
        let shallow = self.repo.is_shallow();
        let remote_branch = rev
            .strip_prefix("origin/")
            .filter(|b| !b.is_empty() && !b.contains(['~', '^', ':']));
        match (remote_branch, shallow) {
            (Some(branch), _) => format!(
                "; this clone lacks it: run `git fetch origin {branch}:refs/remotes/origin/{branch}`{}",
                if shallow {
                    " (the clone is shallow: in GitHub Actions set `fetch-depth: 0` on actions/checkout)"
                } else {
                    ""
                }
            ),
            (None, true) => "; this clone is shallow and may lack it: run `git fetch --unshallow` \
                             (in GitHub Actions set `fetch-depth: 0` on actions/checkout)"
                .to_owned(),
            (None, false) => String::new(),
        }
    }

    /// Reads the standards of `revision`.
    pub fn read(&self, revision: &Revision) -> Result<Snapshot, GitError> {
        self.read_reusing(revision, &Known::new())
    }

    /// Reads the standards of `revision`, copying the blobs whose content is `known` (read
    /// from another revision) instead of inflating them again from the object database.
    pub fn read_reusing(
        &self,
        revision: &Revision,
        known: &Known<'_>,
    ) -> Result<Snapshot, GitError> {
        match revision {
            Revision::WorkTree => {
                let (blobs, diagnostics) = worktree::read_worktree(&self.root)?;
                Ok(Snapshot {
                    blobs,
                    diagnostics,
                    commit: None,
                    oids: Vec::new(),
                })
            }
            Revision::Git(rev) => {
                let commit = self.commit(rev)?;
                self.read_commit(&commit, rev, known)
            }
            Revision::Release { standard, version } => {
                let release = self.release(standard, version)?;
                let commit = self
                    .repo
                    .find_commit(release.commit)
                    .map_err(git_err(&revision.to_string()))?;
                self.read_commit(&commit, &revision.to_string(), known)
            }
        }
    }

    /// Reads the standards of `commit`, naming it `rev` in errors, copying the blobs whose
    /// content is `known` (see [`Repo::read_reusing`]).
    pub fn read_at(&self, commit: Oid, rev: &str, known: &Known<'_>) -> Result<Snapshot, GitError> {
        let commit = self.repo.find_commit(commit).map_err(git_err(rev))?;
        self.read_commit(&commit, rev, known)
    }

    fn read_commit(
        &self,
        commit: &git2::Commit<'_>,
        rev: &str,
        known: &Known<'_>,
    ) -> Result<Snapshot, GitError> {
        let tree = commit.tree().map_err(git_err(rev))?;
        let mut snapshot = Snapshot {
            blobs: Vec::new(),
            diagnostics: Vec::new(),
            commit: Some(commit.id()),
            oids: Vec::new(),
        };
        let config = format!("{}{CONFIG_FILE}", self.prefix);
        if let Ok(entry) = tree.get_path(Path::new(&config)) {
            self.collect(&entry, CONFIG_FILE.to_owned(), &mut snapshot, rev, known)?;
        }
        let standards = format!("{}standards", self.prefix);
        if let Ok(entry) = tree.get_path(Path::new(&standards)) {
            self.collect(&entry, "standards".to_owned(), &mut snapshot, rev, known)?;
        }
        Ok(snapshot)
    }

    fn collect(
        &self,
        entry: &git2::TreeEntry<'_>,
        path: String,
        out: &mut Snapshot,
        rev: &str,
        known: &Known<'_>,
    ) -> Result<(), GitError> {
        match entry.kind() {
            Some(ObjectType::Tree) => {
                if let Some(d) = worktree::yaml_named_folder(&path) {
                    out.diagnostics.push(d);
                    return Ok(());
                }
                let tree = self.repo.find_tree(entry.id()).map_err(git_err(rev))?;
                self.collect_tree(&tree, &path, out, rev, known)
            }
            Some(ObjectType::Blob) if entry.filemode() == 0o120000 => {
                out.diagnostics.push(Diagnostic::error(
                    "unreadable-file",
                    path,
                    format!("symbolic link in `{rev}`; links are not followed"),
                ));
                Ok(())
            }
            Some(ObjectType::Blob) if known.contains_key(&entry.id()) => {
                out.blobs.push(Blob {
                    path,
                    bytes: known[&entry.id()].to_vec(),
                });
                out.oids.push(entry.id());
                Ok(())
            }
            Some(ObjectType::Blob) => {
                let blob = self.repo.find_blob(entry.id()).map_err(git_err(rev))?;
                if blob.size() > MAX_FILE_BYTES {
                    out.diagnostics.push(Diagnostic::error(
                        "unreadable-file",
                        path,
                        format!(
                            "file is {:.1} MiB in `{rev}`, above the {} MiB limit for a standards file; not read",
                            blob.size() as f64 / (1024.0 * 1024.0),
                            MAX_FILE_BYTES / (1024 * 1024)
                        ),
                    ));
                } else {
                    out.blobs.push(Blob {
                        path,
                        bytes: blob.content().to_vec(),
                    });
                    out.oids.push(entry.id());
                }
                Ok(())
            }
            // Submodules and other objects hold no standards.
            _ => Ok(()),
        }
    }

    fn collect_tree(
        &self,
        tree: &Tree<'_>,
        path: &str,
        out: &mut Snapshot,
        rev: &str,
        known: &Known<'_>,
    ) -> Result<(), GitError> {
        for entry in tree.iter() {
            let Ok(name) = entry.name() else { continue };
            self.collect(&entry, format!("{path}/{name}"), out, rev, known)?;
        }
        Ok(())
    }
}

mod remote;
#[cfg(test)]
mod tests;

mod releases;
mod write;

pub use releases::{Release, Releases};
pub use write::FileWrite;
