//! Reads a revision's standards tree and the release history of each standard from git.
//!
//! This crate only talks to git: it turns a [`Revision`] into the `(path, bytes)` blobs that
//! `norm_model::Catalog::load` reads, exactly as the working tree does. Reading from the object
//! database (with `git2`, no checkout) and the release history arrive with the diff (issue C);
//! until then only the working tree is readable, through `norm_model::worktree`.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
