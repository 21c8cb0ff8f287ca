//! The release history: tags `<id>/v<version>`, else the version changes on the first-parent
//! history of the base branch (format.md, "Releases"; docs/diff.md).

use std::collections::BTreeMap;
use std::path::Path;

use git2::{ObjectType, Oid, Sort};
use norm_model::yaml;

use crate::{GitError, Repo, git_err};

/// One release of one standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The standard's id.
    pub standard: String,
    /// The released version.
    pub version: semver::Version,
    /// The commit it was released at.
    pub commit: Oid,
    /// The tag that marks it, when it is tagged.
    pub tag: Option<String>,
    /// Commit time, seconds since the Unix epoch.
    pub time: i64,
}

/// Every release of every standard, oldest first, keyed by standard id.
pub type Releases = BTreeMap<String, Vec<Release>>;

impl Repo {
    /// The release `version` of `standard`.
    pub fn release(&self, standard: &str, version: &str) -> Result<Release, GitError> {
        self.find_release(&self.releases()?, standard, version)
    }

    /// The release `version` of `standard` in `releases` (from [`Repo::releases_on`]), or an
    /// error naming the versions that exist and, in a shallow clone, how to fetch the rest.
    pub fn find_release(
        &self,
        releases: &Releases,
        standard: &str,
        version: &str,
    ) -> Result<Release, GitError> {
        let list = releases
            .get(standard)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let wanted = semver::Version::parse(version).ok();
        list.iter()
            .find(|r| Some(&r.version) == wanted.as_ref())
            .cloned()
            .ok_or_else(|| GitError::UnknownRelease {
                standard: standard.to_owned(),
                version: version.to_owned(),
                known: if list.is_empty() {
                    " (it has no releases yet)".to_owned()
                } else {
                    format!(
                        "; its releases are {}",
                        list.iter()
                            .map(|r| r.version.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                hint: if self.repo.is_shallow() {
                    "; this clone is shallow and may lack it: run `git fetch --unshallow --tags` \
                     (in GitHub Actions set `fetch-depth: 0` on actions/checkout)"
                        .to_owned()
                } else {
                    String::new()
                },
            })
    }

    /// Every release of every standard, oldest first, keyed by standard id, reading the
    /// history of `HEAD` itself (see [`Repo::releases_on`]).
    pub fn releases(&self) -> Result<Releases, GitError> {
        self.releases_on(None)
    }

    /// Every release of every standard, oldest first, keyed by standard id.
    ///
    /// A standard with tags `<id>/v<version>` is released at its tags. Any other standard is
    /// released at each commit of the first-parent history of `branch` (the branch releases
    /// are made from), up to its merge base with `HEAD`, where its `standard.yaml` first has a
    /// new `version:`. So a version committed only on the branch being checked is never a
    /// release, and neither is one merged into `branch` after `HEAD` left it. `None` reads the
    /// history of `HEAD`.
    pub fn releases_on(&self, branch: Option<&str>) -> Result<Releases, GitError> {
        let mut out: BTreeMap<String, Vec<Release>> = BTreeMap::new();
        let tags = self.repo.tag_names(Some("*/v*")).map_err(git_err("tags"))?;
        for name in tags.iter().flatten().flatten() {
            let Some((standard, version)) = name.rsplit_once("/v") else {
                continue;
            };
            let Ok(version) = semver::Version::parse(version) else {
                continue;
            };
            let Ok(commit) = self.commit(&format!("refs/tags/{name}")) else {
                continue;
            };
            out.entry(standard.to_owned()).or_default().push(Release {
                standard: standard.to_owned(),
                version,
                commit: commit.id(),
                tag: Some(name.to_owned()),
                time: commit.time().seconds(),
            });
        }
        let tagged: Vec<String> = out.keys().cloned().collect();
        for (standard, releases) in self.releases_from_history(branch)? {
            if !tagged.contains(&standard) {
                out.insert(standard, releases);
            }
        }
        for releases in out.values_mut() {
            releases.sort_by(|a, b| a.version.cmp(&b.version));
        }
        Ok(out)
    }

    /// The commit release history starts from: the merge base of `branch` and `HEAD`, or
    /// `HEAD`. `None` when there is no history to read.
    fn history_start(&self, branch: Option<&str>) -> Result<Option<Oid>, GitError> {
        let Some(head) = self.repo.head().ok().and_then(|h| h.target()) else {
            return Ok(None); // an empty repository has no history
        };
        let Some(branch) = branch else {
            return Ok(Some(head));
        };
        let tip = self.commit(branch)?.id();
        match self.repo.merge_base(tip, head) {
            Ok(base) => Ok(Some(base)),
            // Unrelated histories (or a shallow clone cut above the fork) share no releases.
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git_err(branch)(e)),
        }
    }

    /// Releases read from version changes along the first-parent history from
    /// [`Repo::history_start`].
    fn releases_from_history(
        &self,
        branch: Option<&str>,
    ) -> Result<BTreeMap<String, Vec<Release>>, GitError> {
        let mut out: BTreeMap<String, Vec<Release>> = BTreeMap::new();
        let Some(start) = self.history_start(branch)? else {
            return Ok(out);
        };
        let mut walk = self.repo.revwalk().map_err(git_err("HEAD"))?;
        walk.push(start).map_err(git_err("HEAD"))?;
        walk.simplify_first_parent().map_err(git_err("HEAD"))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
            .map_err(git_err("HEAD"))?;
        // The blob of each standard.yaml last seen, and the versions already released.
        let mut last_blob: BTreeMap<String, Oid> = BTreeMap::new();
        let standards_path = format!("{}standards", self.prefix);
        for oid in walk {
            let oid = oid.map_err(git_err("HEAD"))?;
            let commit = self.repo.find_commit(oid).map_err(git_err("HEAD"))?;
            let tree = commit.tree().map_err(git_err("HEAD"))?;
            let Ok(entry) = tree.get_path(Path::new(&standards_path)) else {
                continue;
            };
            let Ok(standards) = self.repo.find_tree(entry.id()) else {
                continue;
            };
            for dir in standards.iter() {
                let (Ok(id), Some(ObjectType::Tree)) = (dir.name(), dir.kind()) else {
                    continue;
                };
                let Ok(dir_tree) = self.repo.find_tree(dir.id()) else {
                    continue;
                };
                let Some(meta) = dir_tree.get_name("standard.yaml") else {
                    continue;
                };
                if last_blob.get(id) == Some(&meta.id()) {
                    continue;
                }
                last_blob.insert(id.to_owned(), meta.id());
                let Some(version) = self.version_in(meta.id()) else {
                    continue;
                };
                let releases = out.entry(id.to_owned()).or_default();
                if releases.iter().all(|r| r.version != version) {
                    releases.push(Release {
                        standard: id.to_owned(),
                        version,
                        commit: oid,
                        tag: None,
                        time: commit.time().seconds(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The `version:` of a standard.yaml blob, when it parses.
    fn version_in(&self, blob: Oid) -> Option<semver::Version> {
        let blob = self.repo.find_blob(blob).ok()?;
        let text = std::str::from_utf8(blob.content()).ok()?;
        let root = yaml::parse(text).root?;
        semver::Version::parse(root.get("version")?.as_str()?).ok()
    }
}
