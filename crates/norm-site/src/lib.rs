//! Renders the static, versioned documentation site of a repository's standards.
//!
//! The caller (the CLI) says which versions exist: every release of every standard, and the
//! working tree where it differs from the last release. This crate loads each release's
//! catalog through a [`Source`] only when it has to: a release whose inputs have not changed
//! since the last build is copied from the cache (`.norm-cache/site/`). Page contexts are
//! built in Rust ([`context`]) and rendered with minijinja templates ([`templates`]). The site
//! is written to a temporary folder and moved into place only when complete.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use minijinja::{Environment, Value};
use norm_model::catalog::Catalog;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

mod cache;
pub mod context;
pub mod downloads;
mod hrefs;
pub mod linkcheck;
pub mod markdown;
mod pages;
pub mod search;
pub mod serve;
pub mod templates;
mod version;

use context::{Link, Links, UNRELEASED};

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
    /// A revision could not be read.
    #[error("{0}")]
    Source(String),
    /// The output folder holds something that is not a site norm built.
    #[error(
        "{0} exists and was not written by `norm build` (it has no `.norm-site` marker); \
         choose another `--out` folder or remove it yourself"
    )]
    NotASite(String),
    /// `--dump-context` named a page the site does not have.
    #[error(
        "the site has no page `{0}`; pages look like `index.html` or `ssd/1.2.0/entities/ssd_person.html`"
    )]
    UnknownPage(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SiteError + '_ {
    move |source| SiteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Loads the catalog of a commit, on demand.
pub trait Source: Sync {
    /// The catalog of the revision `commit` (a full object id).
    fn catalog(&self, commit: &str) -> Result<Arc<Catalog>, SiteError>;
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

/// Options of `norm build`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteOptions {
    /// Where the site is written (default `_site/`).
    pub out: PathBuf,
    /// The URL the site is published at, for absolute links in the feed and sitemap.
    pub base_url: Option<String>,
    /// The repository's own `templates/` folder, overriding the default theme file by file.
    pub templates: Option<PathBuf>,
    /// The cache folder; `None` disables the cache.
    pub cache: Option<PathBuf>,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            out: PathBuf::from("_site"),
            base_url: None,
            templates: None,
            cache: None,
        }
    }
}

/// What a build did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildReport {
    /// Versions rendered.
    pub rendered: usize,
    /// Versions copied from the cache.
    pub cached: usize,
    /// Files written.
    pub files: usize,
    /// Bytes of the default search download (manifest plus the latest shards).
    pub search_bytes: usize,
    /// Templates the repository overrides.
    pub overridden: Vec<String>,
    /// Things the reader of the build log should know (a release whose commit lacks the
    /// standard, no base URL for the sitemap).
    pub warnings: Vec<String>,
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
    /// Change messages by section, in report order.
    pub sections: Vec<(String, Vec<String>)>,
}

/// A page or file to write: site-relative path and content.
type File = (String, Vec<u8>);

/// One version of one standard to render.
#[derive(Debug, Clone)]
struct Job {
    standard: String,
    folder: String,
    /// `None` for the working tree.
    commit: Option<String>,
    time: i64,
    previous: Option<(String, String)>,
    /// Whether this version is the standard's landing page.
    landing: bool,
}

/// What every page shares.
#[derive(Debug, Clone, Serialize)]
struct SiteMeta {
    title: String,
    repository: Option<String>,
    base_url: Option<String>,
    generator: String,
}

#[derive(Debug, Clone, Serialize)]
struct Banner {
    kind: &'static str,
    version: String,
    latest: Option<String>,
    href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct PageMeta {
    root: String,
    path: String,
    title: String,
    description: String,
    breadcrumbs: Vec<Link>,
    banner: Option<Banner>,
    canonical: Option<String>,
}

/// The build: inputs, theme and the shared state of one run.
struct Build<'a> {
    input: &'a SiteInput,
    source: &'a dyn Source,
    options: &'a SiteOptions,
    env: Environment<'static>,
    site: SiteMeta,
    key_base: u64,
    /// Pages of each standard's latest release, relative to its version folder.
    latest_pages: BTreeMap<String, OnceLock<BTreeSet<String>>>,
    warnings: Mutex<Vec<String>>,
}

fn date(time: i64) -> String {
    norm_model::dates::format_date(time.div_euclid(86_400))
}

fn depth_root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

impl Build<'_> {
    pub(crate) fn standard_input(&self, id: &str) -> Option<&StandardInput> {
        self.input.standards.iter().find(|s| s.id == id)
    }

    pub(crate) fn latest_folder(&self, id: &str) -> Option<String> {
        let s = self.standard_input(id)?;
        match s.releases.last() {
            Some(r) => Some(r.version.clone()),
            None if s.unreleased => Some(UNRELEASED.to_owned()),
            None => None,
        }
    }

    pub(crate) fn catalog(&self, commit: Option<&str>) -> Result<Arc<Catalog>, SiteError> {
        match commit {
            Some(c) => self.source.catalog(c),
            None => Ok(self.input.worktree.clone()),
        }
    }

    /// Where the elements of each standard of `catalog` have pages.
    pub(crate) fn links(&self, catalog: &Catalog, worktree: bool) -> Links {
        let mut folders = BTreeMap::new();
        for (id, standard) in &catalog.standards {
            let Some(input) = self.standard_input(id) else {
                continue;
            };
            let folder = if worktree {
                if input.unreleased {
                    Some(UNRELEASED.to_owned())
                } else {
                    input.releases.last().map(|r| r.version.clone())
                }
            } else {
                let version = standard.version().map(|v| v.to_string());
                version.filter(|v| input.releases.iter().any(|r| &r.version == v))
            };
            if let Some(f) = folder {
                folders.insert(id.clone(), f);
            }
        }
        Links { folders }
    }

    pub(crate) fn latest_pages(&self, id: &str) -> &BTreeSet<String> {
        static EMPTY: BTreeSet<String> = BTreeSet::new();
        let Some(cell) = self.latest_pages.get(id) else {
            return &EMPTY;
        };
        cell.get_or_init(|| {
            let Some(release) = self.standard_input(id).and_then(|s| s.releases.last()) else {
                return BTreeSet::new();
            };
            let Ok(catalog) = self.source.catalog(&release.commit) else {
                return BTreeSet::new();
            };
            let Some(standard) = catalog.standards.get(id) else {
                return BTreeSet::new();
            };
            let mut pages: BTreeSet<String> =
                ["index.html".to_owned(), "changes.html".to_owned()].into();
            pages.extend(
                standard
                    .entities
                    .iter()
                    .map(|e| format!("entities/{}.html", e.value.name)),
            );
            pages.extend(
                standard
                    .codelists
                    .iter()
                    .map(|c| format!("codelists/{}.html", c.value.name)),
            );
            pages
        })
    }

    pub(crate) fn banner(&self, job: &Job, version: &str, relative: &str) -> Option<Banner> {
        let latest = self
            .standard_input(&job.standard)
            .and_then(|s| s.releases.last())
            .map(|r| r.version.clone());
        let href = latest.as_ref().map(|l| {
            let same = if self.latest_pages(&job.standard).contains(relative) {
                relative
            } else {
                "index.html"
            };
            format!("{}/{l}/{same}", job.standard)
        });
        if job.folder == UNRELEASED {
            Some(Banner {
                kind: "draft",
                version: version.to_owned(),
                latest,
                href,
            })
        } else if latest.as_deref() != Some(job.folder.as_str()) {
            Some(Banner {
                kind: "old",
                version: version.to_owned(),
                latest,
                href,
            })
        } else {
            None
        }
    }

    pub(crate) fn render(&self, template: &str, ctx: &Value) -> Result<Vec<u8>, SiteError> {
        let tmpl = self
            .env
            .get_template(template)
            .map_err(|e| SiteError::Template {
                name: template.to_owned(),
                message: format!("{e:#}"),
            })?;
        tmpl.render(ctx)
            .map(String::into_bytes)
            .map_err(|e| SiteError::Template {
                name: template.to_owned(),
                message: format!("{e:#}"),
            })
    }

    pub(crate) fn page(
        &self,
        path: &str,
        title: String,
        description: String,
        crumbs: Vec<Link>,
    ) -> PageMeta {
        PageMeta {
            root: depth_root(path),
            path: path.to_owned(),
            title,
            description,
            breadcrumbs: crumbs,
            banner: None,
            canonical: self.options.base_url.as_ref().map(|u| format!("{u}{path}")),
        }
    }

    pub(crate) fn job_key(&self, job: &Job) -> Option<String> {
        let commit = job.commit.as_ref()?;
        let mut h = std::hash::DefaultHasher::new();
        self.key_base.hash(&mut h);
        commit.hash(&mut h);
        job.previous.hash(&mut h);
        job.landing.hash(&mut h);
        job.standard.hash(&mut h);
        job.folder.hash(&mut h);
        Some(format!("{:016x}", h.finish()))
    }

    /// Records something the reader of the build log should know.
    pub(crate) fn warn(&self, message: String) {
        if let Ok(mut w) = self.warnings.lock() {
            w.push(message);
        }
    }
}

/// Progress of a build: versions done out of all versions.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

fn plan(input: &SiteInput) -> Vec<Job> {
    let mut jobs = Vec::new();
    for s in &input.standards {
        let mut previous: Option<(String, String)> = None;
        for (i, r) in s.releases.iter().enumerate() {
            jobs.push(Job {
                standard: s.id.clone(),
                folder: r.version.clone(),
                commit: Some(r.commit.clone()),
                time: r.time,
                previous: previous.clone(),
                landing: i + 1 == s.releases.len(),
            });
            previous = Some((r.version.clone(), r.commit.clone()));
        }
        if s.unreleased {
            jobs.push(Job {
                standard: s.id.clone(),
                folder: UNRELEASED.to_owned(),
                commit: None,
                time: input.updated,
                previous,
                landing: s.releases.is_empty(),
            });
        }
    }
    jobs
}

fn new_build<'a>(
    input: &'a SiteInput,
    source: &'a dyn Source,
    options: &'a SiteOptions,
) -> Result<(Build<'a>, templates::Theme), SiteError> {
    let theme = templates::Theme::load(options.templates.as_deref())?;
    let env = theme.environment()?;
    let config = input.worktree.config();
    let site_config = config.site.clone().unwrap_or_default();
    let base_url = options
        .base_url
        .clone()
        .or(site_config.base_url.clone())
        .map(|u| if u.ends_with('/') { u } else { format!("{u}/") });
    let site = SiteMeta {
        title: site_config
            .title
            .clone()
            .unwrap_or_else(|| "Data standards".to_owned()),
        repository: site_config.repository.clone(),
        base_url,
        generator: format!("norm {}", env!("CARGO_PKG_VERSION")),
    };
    let mut h = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    // A rebuilt norm may render differently under the same version number: the executable's
    // size and time tell builds apart without reading it.
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        meta.len().hash(&mut h);
        meta.modified().ok().hash(&mut h);
    }
    theme.digest().hash(&mut h);
    (&site.title, &site.repository, &site.base_url).hash(&mut h);
    // Every release list: a new release changes the "latest" banners and cross-standard links
    // of older versions.
    input.standards.hash(&mut h);
    let build = Build {
        input,
        source,
        options,
        env,
        key_base: h.finish(),
        latest_pages: input
            .standards
            .iter()
            .map(|s| (s.id.clone(), OnceLock::new()))
            .collect(),
        site,
        warnings: Mutex::new(Vec::new()),
    };
    Ok((build, theme))
}

/// Builds the site into `options.out`.
pub fn build(
    input: &SiteInput,
    source: &dyn Source,
    options: &SiteOptions,
    progress: Progress<'_>,
) -> Result<BuildReport, SiteError> {
    let (build, theme) = new_build(input, source, options)?;
    let out = &options.out;
    if out.exists() && !out.join(MARKER).exists() && !is_empty_dir(out) {
        return Err(SiteError::NotASite(out.display().to_string()));
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "_site".into());
    let scratch = cache::Scratch::new(parent.join(format!(".{name}.tmp-{}", std::process::id())));
    let staging = scratch.path();
    let report = write_site(&build, &theme, staging, progress)?;
    // Swap the finished site into place: the old one survives until the new one is complete.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        std::fs::rename(out, &old).map_err(io(out))?;
    }
    std::fs::rename(staging, out).map_err(io(out))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(report)
}

/// The file that marks a folder as a site norm built, so `norm build` never replaces anything
/// else.
pub const MARKER: &str = ".norm-site";

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_none())
}

fn write_file(dir: &Path, path: &str, content: &[u8]) -> Result<(), SiteError> {
    let target = dir.join(path);
    if let Some(p) = target.parent() {
        std::fs::create_dir_all(p).map_err(io(p))?;
    }
    std::fs::write(&target, content).map_err(io(&target))
}

fn write_site(
    build: &Build<'_>,
    theme: &templates::Theme,
    staging: &Path,
    progress: Progress<'_>,
) -> Result<BuildReport, SiteError> {
    let _ = std::fs::remove_dir_all(staging);
    std::fs::create_dir_all(staging).map_err(io(staging))?;
    let jobs = plan(build.input);
    let cache_root = build.options.cache.as_ref().map(|c| c.join("site"));
    let done = AtomicUsize::new(0);
    let cached = AtomicUsize::new(0);
    let total = jobs.len();
    progress(0, total);
    type Done = (Job, Summary, Option<String>);
    let results: Vec<Result<Done, SiteError>> = jobs
        .par_iter()
        .map(|job| {
            let key = build.job_key(job);
            let entry = cache_root
                .as_ref()
                .zip(key.as_ref())
                .map(|(r, k)| r.join(k));
            let hit = entry.as_deref().and_then(cache::read_cached);
            let (files, summary) = match hit {
                Some(hit) => {
                    cached.fetch_add(1, Ordering::Relaxed);
                    hit
                }
                None => {
                    let (files, summary, _) = build.version_pages(job, None)?;
                    if let Some(entry) = &entry {
                        cache::store_cached(entry, &files, &summary)?;
                    }
                    (files, summary)
                }
            };
            for (path, content) in &files {
                write_file(staging, path, content)?;
            }
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            Ok((job.clone(), summary, key))
        })
        .collect();
    let mut summaries: BTreeMap<String, Vec<Summary>> = BTreeMap::new();
    let mut keys = BTreeSet::new();
    for r in results {
        let (job, summary, key) = r?;
        keys.extend(key);
        if !summary.folder.is_empty() {
            summaries.entry(job.standard).or_default().push(summary);
        }
    }
    if let Some(root) = &cache_root {
        cache::prune_cache(root, &keys);
    }
    let mut report = BuildReport {
        rendered: total - cached.load(Ordering::Relaxed),
        cached: cached.load(Ordering::Relaxed),
        overridden: theme.overridden.clone(),
        ..BuildReport::default()
    };
    let files = pages::global_pages(build, theme, &summaries, staging, &mut report)?;
    for (path, content) in &files {
        write_file(staging, path, content)?;
    }
    write_file(
        staging,
        MARKER,
        b"This folder was written by `norm build`.\n",
    )?;
    report.files = count_files(staging);
    report
        .warnings
        .extend(build.warnings.lock().map(|w| w.clone()).unwrap_or_default());
    Ok(report)
}

fn count_files(dir: &Path) -> usize {
    walk(dir).len()
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

/// The context of one page, as pretty JSON, for template authors (`norm build
/// --dump-context PAGE`).
pub fn dump_context(
    input: &SiteInput,
    source: &dyn Source,
    options: &SiteOptions,
    page: &str,
) -> Result<String, SiteError> {
    let (build, _) = new_build(input, source, options)?;
    let page = page.trim_start_matches('/');
    let to_json = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let summaries = BTreeMap::new();
    let overview = build.overview();
    if let Some((_, _, ctx)) = build
        .global_contexts(&overview, &summaries)
        .into_iter()
        .find(|(p, _, _)| p == page)
    {
        return Ok(to_json(&ctx));
    }
    if page == "feed.xml" {
        return Ok(to_json(&build.feed(&overview, &summaries)));
    }
    for job in plan(input) {
        let prefix = format!("{}/", job.standard);
        if !page.starts_with(&prefix) {
            continue;
        }
        if let (_, _, Some(ctx)) = build.version_pages(&job, Some(page))? {
            return Ok(to_json(&ctx));
        }
    }
    Err(SiteError::UnknownPage(page.to_owned()))
}
