//! What each version of the site is rendered from: its catalog and its change set against the
//! previous release, from `norm_govern`'s one comparison, exactly as
//! `norm diff S@previous S@this --standard S` reports it, so that a changes page and the
//! command line never disagree.

use std::sync::Arc;

use anyhow::Result;
use norm_git::Revision;
use norm_govern::{Comparer, Comparison, Scope};
use norm_model::Catalog;
use norm_site::{Site, Version};

use crate::diff_render::Report;
use crate::render::Paint;

/// Compares the versions of a build, each commit loaded once however many versions need it.
pub struct Loader {
    /// `None` outside git: then only the working tree has pages, and nothing is compared.
    comparer: Option<Comparer>,
    worktree: Arc<Catalog>,
}

/// One version's inputs, as the site wants them.
pub struct Inputs {
    /// The version's catalog.
    pub head: Arc<Catalog>,
    /// The previous release's catalog, the comparison with it and its `norm diff --format
    /// json`.
    pub previous: Option<(Arc<Catalog>, Comparison, String)>,
    /// The catalog of the standard's latest release.
    pub latest: Option<Arc<Catalog>>,
}

/// `norm diff`'s name for a release of a standard (`ssd@1.2.0`).
fn release(standard: &str, version: &str) -> Revision {
    Revision::Release {
        standard: standard.to_owned(),
        version: version.to_owned(),
    }
}

impl Loader {
    /// A loader over `comparer`, with the working tree's catalog as the build read it.
    pub fn new(comparer: Option<Comparer>, worktree: Arc<Catalog>) -> Loader {
        Loader { comparer, worktree }
    }

    /// Drops the revisions loaded for the versions: the pages that follow (the home page,
    /// the changelogs, the search index) need only the working tree.
    pub fn done_with_versions(&self) {
        if let Some(comparer) = &self.comparer {
            comparer.forget_loaded();
        }
    }

    /// The version's catalog, its comparison with the previous release and the standard's
    /// latest release.
    pub fn version(&self, site: &Site<'_>, version: &Version) -> Result<Inputs> {
        let Some(comparer) = &self.comparer else {
            return Ok(Inputs {
                head: self.worktree.clone(),
                previous: None,
                latest: None,
            });
        };
        let id = &version.standard;
        let head_revision = match version.commit {
            Some(_) => release(id, &version.folder),
            None => Revision::WorkTree,
        };
        // The comparison is `norm diff`'s, which loads only what the standard needs (and
        // counts only its lint and load errors); the pages show whole catalogs, which the
        // comparer loads once per commit, first, so that the comparison's parts of each
        // commit are taken from them rather than read and parsed again.
        let whole = |revision: &Revision| -> Result<Arc<Catalog>> {
            Ok(comparer.side(revision, None)?.catalog().clone())
        };
        let head = whole(&head_revision)?;
        let previous = match &version.previous {
            None => None,
            Some(p) => {
                let base = release(id, &p.version);
                let base_catalog = whole(&base)?;
                let comparison =
                    comparer.compare(&base, &head_revision, &Scope::Standard(id.clone()))?;
                let mut json = Vec::new();
                Report {
                    comparison: &comparison,
                    reproduce: "",
                    paint: Paint(false),
                }
                .json(&mut json)?;
                Some((base_catalog, comparison, String::from_utf8(json)?))
            }
        };
        let latest = match site.latest_release(version) {
            Some(r) if Some(&r.commit) != version.commit.as_ref() => {
                Some(whole(&release(id, &r.version))?)
            }
            _ => None,
        };
        Ok(Inputs {
            head,
            previous,
            latest,
        })
    }
}
