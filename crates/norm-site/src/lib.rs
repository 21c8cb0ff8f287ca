//! Renders the static, versioned documentation site of a repository's standards.
//!
//! This crate only renders. Its caller (the CLI's `norm build`) loads each release's catalog,
//! compares it with the previous release through the same comparison as `norm diff`, caches
//! and writes. The seam is [`Site`]: [`Site::versions`] says which versions have pages,
//! [`Site::version`] turns one version's catalog and change set into its pages
//! (`path`, template, context) and static files, [`Site::global`] does the same for the pages
//! outside version folders, and [`Site::render`] renders one page. Page contexts are built in
//! Rust ([`context`]) and rendered with minijinja templates ([`templates`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::Value;
use norm_model::catalog::Catalog;
use serde::{Deserialize, Serialize};

mod changes;
pub mod context;
pub mod downloads;
pub mod federation;
mod hrefs;
pub mod linkcheck;
pub mod markdown;
mod pages;
mod record;
mod rules;
pub mod search;
pub mod serve;
mod site;
pub mod templates;
mod textdiff;
mod version;
mod view;
mod words;

pub use site::{Comparison, GlobalOutput, Site, Version, VersionData, VersionOutput};

/// Why the site could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A template does not compile or failed to render.
    #[error("template `{name}`: {message}")]
    Template {
        /// The template's name.
        name: String,
        /// What went wrong, with the template line.
        message: String,
    },
    /// `--dump-context` named a page the site does not have.
    #[error(
        "the site has no page `{0}`; pages look like `index.html` or `ssd/1.2.0/entities/ssd_person.html`"
    )]
    UnknownPage(String),
}

/// One release of a standard.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReleaseInput {
    /// The version.
    pub version: String,
    /// The commit it was released at.
    pub commit: String,
    /// Commit time, seconds since the epoch.
    pub time: i64,
}

/// A standard and its versions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StandardInput {
    /// Its id.
    pub id: String,
    /// Its releases, oldest first.
    pub releases: Vec<ReleaseInput>,
    /// Whether the working tree differs from the last release (or there is none), so the
    /// working tree is rendered as `unreleased`.
    pub unreleased: bool,
}

/// What the site is built from.
pub struct SiteInput {
    /// The working tree's catalog.
    pub worktree: Arc<Catalog>,
    /// Every standard with releases or in the working tree.
    pub standards: Vec<StandardInput>,
    /// The time of the working tree's commit (seconds since the epoch), for the feed's
    /// consultation entries.
    pub updated: i64,
}

/// How the site is rendered: what a build's caller chooses besides the inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteOptions {
    /// The URL the site is published at, for absolute links in the feed and sitemap.
    pub base_url: Option<String>,
    /// The repository's own `templates/` folder, overriding the default theme file by file.
    pub templates: Option<PathBuf>,
}

/// The changelog summary of one version, kept in the cache beside its pages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The version folder.
    pub folder: String,
    /// The declared version.
    pub version: String,
    /// The release date.
    pub date: Option<String>,
    /// Commit time, seconds since the epoch.
    pub time: i64,
    /// The version this one was compared with.
    pub previous: Option<String>,
    /// The bump the changes require.
    pub required_bump: String,
    /// Change messages by section, in report order, as HTML (names in `<code>`).
    pub sections: Vec<(String, Vec<String>)>,
    /// The release's entry in `catalogue.json`; `None` for the working tree.
    pub release: Option<norm_export::catalogue::Release>,
}

/// A static file of the site: site-relative path and content.
pub type File = (String, Vec<u8>);

/// A page to render: where it goes, the template that renders it and that template's
/// context. `norm build --dump-context PAGE` prints the context of the page with that path.
#[derive(Debug, Clone)]
pub struct Page {
    /// Site-relative path (`ssd/1.2.0/entities/ssd_person.html`).
    pub path: String,
    /// The template's name (`entity.html`).
    pub template: &'static str,
    /// What the template gets.
    pub context: Value,
}

/// Every file under `dir`, as sorted `/`-separated relative paths.
pub fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}
