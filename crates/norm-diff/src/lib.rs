//! Classifies the changes between two catalogs by semver bump (change-rules.md).
//!
//! Pure: `diff(old, new)` never touches git or the filesystem. The change rules, verdicts and
//! impact analysis arrive with issue C; this crate holds the vocabulary they share.

pub use norm_model::config::Bump;
use serde::Serialize;

/// Whether a standard's declared version change covers its changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The declared bump is at least the required bump.
    Ok,
    /// Changes exist and the version is unchanged.
    Unreleased,
    /// The declared bump is below the required bump.
    Insufficient,
    /// The version decreased or does not parse.
    Invalid,
}

/// The bump that a version change declares, from `old` to `new`; `None` when the version went
/// down (a [`Verdict::Invalid`]).
pub fn declared_bump(old: &semver::Version, new: &semver::Version) -> Option<Bump> {
    let (old, new) = (
        (old.major, old.minor, old.patch),
        (new.major, new.minor, new.patch),
    );
    if new < old {
        None
    } else if new.0 > old.0 {
        Some(Bump::Major)
    } else if new.1 > old.1 {
        Some(Bump::Minor)
    } else if new.2 > old.2 {
        Some(Bump::Patch)
    } else {
        Some(Bump::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use semver::Version;

    #[test]
    fn declared_bump_ignores_pre_release_and_rejects_decreases() {
        let v = |s| Version::parse(s).unwrap();
        assert_eq!(declared_bump(&v("1.2.3"), &v("2.0.0")), Some(Bump::Major));
        assert_eq!(declared_bump(&v("1.2.3"), &v("1.3.0")), Some(Bump::Minor));
        assert_eq!(
            declared_bump(&v("1.2.3"), &v("1.2.4-rc.1")),
            Some(Bump::Patch)
        );
        assert_eq!(
            declared_bump(&v("1.2.3"), &v("1.2.3+build")),
            Some(Bump::None)
        );
        assert_eq!(declared_bump(&v("1.2.3"), &v("1.2.0")), None);
    }
}
