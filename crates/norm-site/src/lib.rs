//! Renders the static, versioned documentation site of a repository's standards.
//!
//! Page contexts are built in Rust and rendered with minijinja templates (issue D). This crate
//! holds the build options that the CLI passes in.

use std::path::PathBuf;

/// Options of `norm build`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteOptions {
    /// Where the site is written (default `_site/`).
    pub out: PathBuf,
    /// The URL the site is published at, for absolute links in the feed and sitemap.
    pub base_url: Option<String>,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            out: PathBuf::from("_site"),
            base_url: None,
        }
    }
}
