//! Writing to the repository: only what `norm release` needs (files, a commit and a tag), all or
//! nothing.

use std::path::{Path, PathBuf};

use git2::{Oid, ResetType, Signature};

use crate::{GitError, Repo, git_err};

/// A file `norm release` writes, relative to the norm root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWrite {
    /// The path, `/`-separated, relative to the folder of `norm.yaml`.
    pub path: String,
    /// The new content.
    pub text: String,
}

fn step(step: &'static str) -> impl FnOnce(git2::Error) -> GitError {
    move |error| GitError::Write { step, error }
}

impl Repo {
    /// Paths that differ from `HEAD` in the index or working tree, untracked files included.
    pub fn dirty_paths(&self) -> Result<Vec<String>, GitError> {
        let mut options = git2::StatusOptions::new();
        options.include_untracked(true).recurse_untracked_dirs(true);
        let statuses = self
            .repo
            .statuses(Some(&mut options))
            .map_err(git_err("WORKTREE"))?;
        Ok(statuses
            .iter()
            .filter(|s| !s.status().is_ignored())
            .filter_map(|s| s.path().ok().map(str::to_owned))
            .collect())
    }

    /// The checked-out branch, or `None` when `HEAD` is detached.
    pub fn branch(&self) -> Result<Option<String>, GitError> {
        if self.repo.head_detached().map_err(git_err("HEAD"))? {
            return Ok(None);
        }
        let head = self.repo.head().map_err(git_err("HEAD"))?;
        Ok(head.shorthand().ok().map(str::to_owned))
    }

    /// Whether the tag exists.
    pub fn tag_exists(&self, name: &str) -> bool {
        self.repo
            .find_reference(&format!("refs/tags/{name}"))
            .is_ok()
    }

    /// The identity commits and tags are made as: git's `user.name` and `user.email`.
    pub fn signature(&self) -> Result<Signature<'static>, GitError> {
        self.repo.signature().map_err(|error| match error.code() {
            git2::ErrorCode::NotFound => GitError::NoIdentity,
            _ => GitError::Write {
                step: "reading the committer's identity",
                error,
            },
        })
    }

    /// Writes `files`, commits them on the current branch with `message`, and tags the commit
    /// `tag` (annotated, never moved). When any step fails, the files, the index and the branch
    /// are put back as they were, so that the release can be retried on a clean tree.
    pub fn commit_release(
        &self,
        files: &[FileWrite],
        message: &str,
        tag: &str,
    ) -> Result<Oid, GitError> {
        let signature = self.signature()?;
        let parent = self
            .repo
            .head()
            .and_then(|h| h.peel_to_commit())
            .map_err(git_err("HEAD"))?;
        let originals: Vec<(PathBuf, Option<Vec<u8>>)> = files
            .iter()
            .map(|f| {
                let path = self.root.join(&f.path);
                let before = std::fs::read(&path).ok();
                (path, before)
            })
            .collect();
        let result = self.write_commit_tag(files, message, tag, &signature, &parent);
        if result.is_err() {
            self.restore(&parent, files, &originals);
        }
        result
    }

    fn write_commit_tag(
        &self,
        files: &[FileWrite],
        message: &str,
        tag: &str,
        signature: &Signature<'_>,
        parent: &git2::Commit<'_>,
    ) -> Result<Oid, GitError> {
        for file in files {
            std::fs::write(self.root.join(&file.path), &file.text).map_err(|e| {
                GitError::Write {
                    step: "writing the release files",
                    error: git2::Error::from_str(&format!("{}: {e}", file.path)),
                }
            })?;
        }
        let mut index = self.repo.index().map_err(step("staging the release"))?;
        for file in files {
            index
                .add_path(Path::new(&format!("{}{}", self.prefix, file.path)))
                .map_err(step("staging the release"))?;
        }
        index.write().map_err(step("staging the release"))?;
        let tree = index
            .write_tree()
            .and_then(|t| self.repo.find_tree(t))
            .map_err(step("staging the release"))?;
        let commit = self
            .repo
            .commit(
                Some("HEAD"),
                signature,
                signature,
                message,
                &tree,
                &[parent],
            )
            .map_err(step("committing the release"))?;
        let object = self
            .repo
            .find_object(commit, None)
            .map_err(step("tagging the release"))?;
        self.repo
            .tag(tag, &object, signature, message, false)
            .map_err(step("tagging the release"))?;
        Ok(commit)
    }

    /// Best effort: puts the branch, the index and the files back. A failure here leaves the
    /// first error the one reported.
    fn restore(
        &self,
        parent: &git2::Commit<'_>,
        files: &[FileWrite],
        originals: &[(PathBuf, Option<Vec<u8>>)],
    ) {
        let moved = self
            .repo
            .head()
            .ok()
            .and_then(|h| h.target())
            .is_some_and(|oid| oid != parent.id());
        if moved {
            let _ = self.repo.reset(parent.as_object(), ResetType::Mixed, None);
        } else {
            let paths: Vec<String> = files
                .iter()
                .map(|f| format!("{}{}", self.prefix, f.path))
                .collect();
            let _ = self.repo.reset_default(Some(parent.as_object()), &paths);
        }
        for (path, before) in originals {
            let _ = match before {
                Some(bytes) => std::fs::write(path, bytes),
                None => std::fs::remove_file(path),
            };
        }
    }
}

impl Repo {
    /// Commits everything under `paths` (folders or files relative to the norm root: additions,
    /// changes and deletions) on the current branch, or as the first commit of an empty
    /// repository, with `message`, and tags the commit `tag` (annotated, never moved). Used by
    /// `norm import --history`, which replays a source's revisions as releases.
    pub fn commit_paths(
        &self,
        paths: &[String],
        message: &str,
        tag: &str,
    ) -> Result<Oid, GitError> {
        let signature = self.signature()?;
        if self.tag_exists(tag) {
            return Err(GitError::Write {
                step: "tagging the import",
                error: git2::Error::from_str(&format!("tag `{tag}` already exists")),
            });
        }
        let parent = match self.repo.head() {
            Ok(head) => Some(head.peel_to_commit().map_err(git_err("HEAD"))?),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => None,
            Err(e) => return Err(git_err("HEAD")(e)),
        };
        let specs: Vec<String> = paths
            .iter()
            .map(|p| format!("{}{p}", self.prefix))
            .collect();
        let mut index = self.repo.index().map_err(step("staging the import"))?;
        index
            .add_all(&specs, git2::IndexAddOption::FORCE, None)
            .and_then(|()| index.update_all(&specs, None))
            .and_then(|()| index.write())
            .map_err(step("staging the import"))?;
        let tree = index
            .write_tree()
            .and_then(|t| self.repo.find_tree(t))
            .map_err(step("staging the import"))?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let commit = self
            .repo
            .commit(
                Some("HEAD"),
                &signature,
                &signature,
                message,
                &tree,
                &parents,
            )
            .map_err(step("committing the import"))?;
        let object = self
            .repo
            .find_object(commit, None)
            .map_err(step("tagging the import"))?;
        self.repo
            .tag(tag, &object, &signature, message, false)
            .map_err(step("tagging the import"))?;
        Ok(commit)
    }
}
