//! Governance of standards kept in git: the one comparison of two revisions, the pull request
//! gate and release planning.
//!
//! Every command that compares two states of the repository goes through a [`Comparer`]:
//! `norm diff`, `norm check`, `norm release` and the site's changes pages. It loads each side
//! once (cached by commit), diffs them with the head's configuration, and consults the release
//! history when `deprecate_before_remove` needs it, so that all of them report the same
//! [`Comparison`] for the same two revisions.
//!
//! Like every library crate of norm, this one never prints: the binary renders what it returns.

mod compare;
pub mod gate;
pub mod release;

pub use compare::{Comparer, Comparison, Releases, Scope, Side};

use norm_git::GitError;

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum GovernError {
    /// Reading a revision or the release history from git failed.
    #[error(transparent)]
    Git(#[from] GitError),
    /// A date argument is not `YYYY-MM-DD`.
    #[error("`{0}` is not a date: write YYYY-MM-DD")]
    BadDate(String),
    /// `norm check` was given no base and the repository has no default branch.
    #[error(
        "no default branch to compare with (neither `origin/HEAD`, `init.defaultBranch`, `main` nor `master`, locally or on origin): pass `--base REV` (in GitHub Actions, `--base origin/${{{{ github.base_ref }}}}` with `fetch-depth: 0`)"
    )]
    NoBase,
    /// `norm release` refused; nothing was written.
    #[error(transparent)]
    Release(Box<release::ReleaseError>),
    /// A release name (`foo@1.0.0`) names a standard that is neither released nor in the
    /// working tree.
    #[error("there is no standard `{id}`; {}", standards_in_words(.known))]
    UnknownStandard {
        /// The standard asked for.
        id: String,
        /// The standards that exist, sorted.
        known: Vec<String>,
    },
    /// `--standard` names a standard that neither side has.
    #[error("no standard `{id}` in `{base}` or `{head}`")]
    NoSuchStandard {
        /// The standard asked for.
        id: String,
        /// The old side's label.
        base: String,
        /// The new side's label.
        head: String,
    },
}

impl From<release::ReleaseError> for GovernError {
    fn from(error: release::ReleaseError) -> GovernError {
        GovernError::Release(Box::new(error))
    }
}

pub(crate) fn standards_in_words(known: &[String]) -> String {
    if known.is_empty() {
        "this repository has none yet".to_owned()
    } else {
        format!("the standards are {}", known.join(", "))
    }
}

#[cfg(test)]
mod tests;
