//! What `norm release` does: check or raise a standard's version against its last release,
//! write the changelog section, and commit and tag `<id>/v<version>`, all or nothing.

use std::fmt::Write as _;

use norm_diff::{Change, StandardDiff, Verdict};
use norm_git::{FileWrite, Oid, Release, Revision};
use norm_model::config::Bump;

use crate::{Comparer, GovernError, Scope};

/// Why a release was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// Releasing commits: it needs a clean tree to commit exactly the release.
    #[error(
        "the working tree has uncommitted changes ({}); commit or stash them, then release",
        .0.join(", ")
    )]
    Dirty(Vec<String>),
    /// A release is committed on a branch.
    #[error(
        "HEAD is detached: check out the branch to release from (for example `git switch main`)"
    )]
    Detached,
    /// The standard is not in the working tree.
    #[error("no standard `{id}` in standards/; {}", crate::standards_in_words(.known))]
    NoStandard {
        /// The standard asked for.
        id: String,
        /// The standards of the working tree.
        known: Vec<String>,
    },
    /// Its `version` is missing or not semver.
    #[error("`{0}` has no valid semver `version` in standards/{0}/standard.yaml")]
    NoVersion(String),
    /// The version is tagged and nothing changed since.
    #[error("nothing to release: `{id}` {version} is released and nothing changed since")]
    NothingToRelease {
        /// The standard.
        id: String,
        /// Its released version.
        version: semver::Version,
    },
    /// `--bump` asked for less than the changes need.
    #[error(
        "`{id}`'s changes since {version} need a {required:?} bump, not {bump:?}: run with `--bump auto`"
    )]
    BumpTooSmall {
        /// The standard.
        id: String,
        /// Its released version.
        version: semver::Version,
        /// What the changes need.
        required: Bump,
        /// What was asked for.
        bump: Bump,
    },
    /// The declared version does not cover the changes since the last release.
    #[error(
        "`{id}` {version} does not cover its changes since {from}: they need a {required:?} bump; set `version: {next}`"
    )]
    Uncovered {
        /// The standard.
        id: String,
        /// Its declared version.
        version: semver::Version,
        /// The last release.
        from: semver::Version,
        /// What the changes need.
        required: Bump,
        /// The version that would cover them.
        next: semver::Version,
    },
    /// A file to edit could not be read.
    #[error("reading {path}: {error}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        error: std::io::Error,
    },
    /// `standard.yaml` has no top-level `version:` line to raise.
    #[error("no `version:` line in {0}")]
    NoVersionLine(String),
    /// The tag exists already.
    #[error("tag `{0}` already exists; norm never moves a tag: raise the version instead")]
    TagExists(String),
}

/// How to raise a version that was already released.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BumpChoice {
    /// What the changes need, at least a patch.
    Auto,
    /// Exactly this bump (refused when the changes need more).
    Exactly(Bump),
}

/// What to release.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The standards, by id.
    pub standards: &'a [String],
    /// How to raise a released version.
    pub bump: BumpChoice,
    /// The release date for the changelog, `YYYY-MM-DD`.
    pub date: &'a str,
    /// Whether the release will be written: then the tree must be clean and git must have an
    /// identity, checked before anything is written.
    pub write: bool,
}

/// What releasing one standard will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The standard.
    pub id: String,
    /// The version it is released at.
    pub version: semver::Version,
    /// The tag, `<id>/v<version>`.
    pub tag: String,
    /// The new `standard.yaml`, when the version is raised.
    pub new_yaml: Option<String>,
    /// The whole new `CHANGELOG.md`.
    pub changelog: String,
}

impl Plan {
    /// The files the release writes, relative to the norm root.
    pub fn files(&self) -> Vec<FileWrite> {
        let mut files = vec![FileWrite {
            path: format!("standards/{}/CHANGELOG.md", self.id),
            text: self.changelog.clone(),
        }];
        if let Some(yaml) = &self.new_yaml {
            files.push(FileWrite {
                path: format!("standards/{}/standard.yaml", self.id),
                text: yaml.clone(),
            });
        }
        files
    }

    /// Writes, commits and tags the release; on failure the tree is left as it was.
    pub fn apply(&self, comparer: &Comparer) -> Result<Oid, GovernError> {
        let message = format!("Release {} {}", self.id, self.version);
        Ok(comparer
            .repo()
            .commit_release(&self.files(), &message, &self.tag)?)
    }
}

/// Plans the release of each requested standard, refusing before anything is written.
pub fn plan(comparer: &Comparer, request: &Request<'_>) -> Result<Vec<Plan>, GovernError> {
    {
        let repo = comparer.repo();
        if request.write {
            let dirty = repo.dirty_paths()?;
            if !dirty.is_empty() {
                return Err(ReleaseError::Dirty(dirty).into());
            }
            repo.signature()?;
        }
        if repo.branch()?.is_none() {
            return Err(ReleaseError::Detached.into());
        }
    }
    let head = comparer.side(&Revision::WorkTree, None)?;
    let releases = comparer.releases()?;
    let root = comparer.repo().root().to_path_buf();
    let mut plans = Vec::new();
    for id in request.standards {
        let Some(standard) = head.catalog().standards.get(id) else {
            return Err(ReleaseError::NoStandard {
                id: id.clone(),
                known: head.catalog().standards.keys().cloned().collect(),
            }
            .into());
        };
        let version = standard
            .version()
            .ok_or_else(|| ReleaseError::NoVersion(id.clone()))?;
        // Once a standard has tags, its tags are its releases; before its first tag, the
        // history's releases older than the current version are the base to check against.
        let all = releases.get(id).map(Vec::as_slice).unwrap_or_default();
        let tagged: Vec<&Release> = all.iter().filter(|r| r.tag.is_some()).collect();
        let (previous, released) = if tagged.is_empty() {
            (all.iter().rfind(|r| r.version < version), false)
        } else {
            (
                tagged.last().copied(),
                tagged.iter().any(|r| r.version == version),
            )
        };
        let sd = match previous {
            Some(p) => {
                let rev = Revision::Release {
                    standard: id.clone(),
                    version: p.version.to_string(),
                };
                let base = comparer.side(&rev, Some(&head))?;
                comparer
                    .compare_sides(base, head.clone(), &Scope::Standard(id.clone()))?
                    .changes
                    .standards
                    .into_iter()
                    .next()
            }
            None => None,
        };
        let (version, new_yaml) = if released {
            let Some(sd) = sd.as_ref().filter(|s| !s.changes.is_empty()) else {
                return Err(ReleaseError::NothingToRelease {
                    id: id.clone(),
                    version,
                }
                .into());
            };
            let required = sd.required_bump;
            let bump = match request.bump {
                BumpChoice::Auto => required.max(Bump::Patch),
                BumpChoice::Exactly(bump) => bump,
            };
            if bump < required {
                return Err(ReleaseError::BumpTooSmall {
                    id: id.clone(),
                    version,
                    required,
                    bump,
                }
                .into());
            }
            let next = raise(&version, bump);
            let path = format!("standards/{id}/standard.yaml");
            let full = root.join(&path);
            let text = std::fs::read_to_string(&full).map_err(|error| ReleaseError::Read {
                path: full.display().to_string(),
                error,
            })?;
            let yaml = set_version(&text, &next)
                .ok_or_else(|| ReleaseError::NoVersionLine(full.display().to_string()))?;
            (next, Some(yaml))
        } else {
            if let Some(sd) = &sd
                && matches!(sd.verdict, Verdict::Insufficient | Verdict::Invalid)
            {
                let from = previous.map_or(version.clone(), |p| p.version.clone());
                return Err(ReleaseError::Uncovered {
                    id: id.clone(),
                    next: raise(&from, sd.required_bump),
                    version,
                    from,
                    required: sd.required_bump,
                }
                .into());
            }
            (version, None)
        };
        let tag = format!("{id}/v{version}");
        if comparer.repo().tag_exists(&tag) {
            return Err(ReleaseError::TagExists(tag).into());
        }
        let existing = std::fs::read_to_string(root.join(format!("standards/{id}/CHANGELOG.md")));
        let section = changelog_section(
            id,
            &version,
            request.date,
            previous.map(|p| &p.version),
            sd.as_ref(),
        );
        plans.push(Plan {
            id: id.clone(),
            version,
            tag,
            new_yaml,
            changelog: prepend(existing.ok().as_deref(), id, &section),
        });
    }
    Ok(plans)
}

/// `version` raised by `bump`: the lower numbers reset, as semver wants.
pub fn raise(version: &semver::Version, bump: Bump) -> semver::Version {
    match bump {
        Bump::Major => semver::Version::new(version.major + 1, 0, 0),
        Bump::Minor => semver::Version::new(version.major, version.minor + 1, 0),
        Bump::Patch | Bump::None => {
            semver::Version::new(version.major, version.minor, version.patch + 1)
        }
    }
}

/// `text` (a standard.yaml) with its top-level `version:` set to `version`, comments kept.
fn set_version(text: &str, version: &semver::Version) -> Option<String> {
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let Some(rest) = line.strip_prefix("version:").filter(|_| !done) else {
                return line.to_owned();
            };
            done = true;
            let value_start = rest.len() - rest.trim_start().len();
            let value = rest.trim_start();
            let end = value.find([' ', '#']).unwrap_or(value.len());
            let quote = if value.starts_with('"') { "\"" } else { "" };
            format!(
                "version:{}{quote}{version}{quote}{}",
                &rest[..value_start],
                &value[end..]
            )
        })
        .collect();
    done.then(|| lines.join("\n") + if text.ends_with('\n') { "\n" } else { "" })
}

/// The changelog section of a release: classified changes, renames, impact, and room for a
/// human summary.
fn changelog_section(
    id: &str,
    version: &semver::Version,
    date: &str,
    previous: Option<&semver::Version>,
    sd: Option<&StandardDiff>,
) -> String {
    let mut out = format!(
        "## {version} ({date})\n\n<!-- Summary for readers: what this release means for them. -->\n\n"
    );
    let Some(sd) = sd.filter(|s| !s.changes.is_empty()) else {
        let _ = match previous {
            Some(p) => writeln!(out, "No changes to the content of `{id}` since {p}.\n"),
            None => writeln!(out, "First release of `{id}`.\n"),
        };
        return out;
    };
    let sections: [(&str, Bump); 4] = [
        ("Breaking", Bump::Major),
        ("Added and changed", Bump::Minor),
        ("Editorial", Bump::Patch),
        ("Proposed (not part of the release)", Bump::None),
    ];
    for (title, bump) in sections {
        let changes: Vec<&Change> = sd.changes.iter().filter(|c| c.bump == bump).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}\n");
        for c in changes {
            let _ = write!(out, "- {} (`{}`)", c.message, c.rule);
            if let Some(reason) = &c.accepted {
                let _ = write!(out, "; accepted: {reason}");
            }
            out.push('\n');
            if !c.impact.consumers.is_empty() {
                let _ = writeln!(out, "  - affects: {}", c.impact.consumers.join(", "));
            }
        }
        out.push('\n');
    }
    out
}

/// Adds `section` at the top of a changelog, under its title.
fn prepend(changelog: Option<&str>, id: &str, section: &str) -> String {
    let title = format!("# Changelog of `{id}`\n\n");
    let body = changelog.map_or("", |text| text.strip_prefix(title.as_str()).unwrap_or(text));
    format!("{title}{section}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_lines_are_edited_in_place() {
        let v = semver::Version::new(1, 3, 0);
        assert_eq!(
            set_version("id: a\nversion: 1.2.0   # current\ntitle: A\n", &v).as_deref(),
            Some("id: a\nversion: 1.3.0   # current\ntitle: A\n")
        );
        assert_eq!(
            set_version("version: \"1.2.0\"\n", &v).as_deref(),
            Some("version: \"1.3.0\"\n")
        );
        assert_eq!(set_version("id: a\n", &v), None);
    }

    #[test]
    fn bumps_reset_lower_numbers() {
        let v = semver::Version::new(1, 2, 3);
        assert_eq!(raise(&v, Bump::Major).to_string(), "2.0.0");
        assert_eq!(raise(&v, Bump::Minor).to_string(), "1.3.0");
        assert_eq!(raise(&v, Bump::Patch).to_string(), "1.2.4");
    }

    #[test]
    fn sections_go_on_top_under_the_title() {
        let first = prepend(None, "ex", "## 0.1.0 (2026-11-27)\n\nFirst.\n\n");
        let second = prepend(Some(&first), "ex", "## 0.2.0 (2026-11-28)\n\nSecond.\n\n");
        assert_eq!(
            second,
            "# Changelog of `ex`\n\n## 0.2.0 (2026-11-28)\n\nSecond.\n\n## 0.1.0 (2026-11-27)\n\nFirst.\n\n"
        );
    }

    #[test]
    fn a_release_without_changes_since_the_last_says_so() {
        let v = semver::Version::new(1, 3, 0);
        let previous = semver::Version::new(1, 2, 0);
        let section = changelog_section("ssd", &v, "2026-12-01", Some(&previous), None);
        assert!(section.ends_with("No changes to the content of `ssd` since 1.2.0.\n\n"));
        let first = changelog_section("ssd", &v, "2026-12-01", None, None);
        assert!(first.ends_with("First release of `ssd`.\n\n"));
    }
}
