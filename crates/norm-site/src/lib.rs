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

use minijinja::{Environment, Value, context};
use norm_model::catalog::Catalog;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub mod context;
pub mod downloads;
pub mod linkcheck;
pub mod markdown;
pub mod search;
pub mod serve;
pub mod templates;

use context::{Link, Links, UNRELEASED, VersionBuilder};

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
    fn standard_input(&self, id: &str) -> Option<&StandardInput> {
        self.input.standards.iter().find(|s| s.id == id)
    }

    fn latest_folder(&self, id: &str) -> Option<String> {
        let s = self.standard_input(id)?;
        match s.releases.last() {
            Some(r) => Some(r.version.clone()),
            None if s.unreleased => Some(UNRELEASED.to_owned()),
            None => None,
        }
    }

    fn catalog(&self, commit: Option<&str>) -> Result<Arc<Catalog>, SiteError> {
        match commit {
            Some(c) => self.source.catalog(c),
            None => Ok(self.input.worktree.clone()),
        }
    }

    /// Where the elements of each standard of `catalog` have pages.
    fn links(&self, catalog: &Catalog, worktree: bool) -> Links {
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

    fn latest_pages(&self, id: &str) -> &BTreeSet<String> {
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

    fn banner(&self, job: &Job, version: &str, relative: &str) -> Option<Banner> {
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

    fn render(&self, template: &str, ctx: &Value) -> Result<Vec<u8>, SiteError> {
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

    fn page(&self, path: &str, title: String, description: String, crumbs: Vec<Link>) -> PageMeta {
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

    fn job_key(&self, job: &Job) -> Option<String> {
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

    /// The pages and files of one version, with its changelog summary. `only` limits the work
    /// to one page, for `--dump-context`.
    fn version_pages(
        &self,
        job: &Job,
        dump: Option<&str>,
    ) -> Result<(Vec<File>, Summary, Option<Value>), SiteError> {
        let catalog = self.catalog(job.commit.as_deref())?;
        let Some(standard) = catalog.standards.get(&job.standard) else {
            self.warn(format!(
                "release {} of `{}` (commit {}) has no such standard; skipped",
                job.folder,
                job.standard,
                job.commit.as_deref().unwrap_or("working tree")
            ));
            return Ok((Vec::new(), Summary::default(), None));
        };
        let links = self.links(&catalog, job.commit.is_none());
        let builder = VersionBuilder::new(&catalog, standard, &links);
        let id = &job.standard;
        let base = format!("{id}/{}", job.folder);
        let date = job.commit.as_ref().map(|_| date(job.time));
        let root = depth_root(&format!("{base}/index.html"));
        let version = builder.version(&job.folder, date.clone(), &root);
        let version_label = if job.folder == UNRELEASED {
            format!("{} (unreleased)", version.version)
        } else {
            version.version.clone()
        };
        let crumbs = vec![
            Link {
                label: "Standards".into(),
                href: Some("index.html".into()),
            },
            Link {
                label: version.title.clone(),
                href: Some(format!("{id}/index.html")),
            },
            Link {
                label: version_label.clone(),
                href: Some(format!("{base}/index.html")),
            },
        ];
        let mut files: Vec<File> = Vec::new();
        let mut dumped = None;
        let mut emit = |this: &Self,
                        relative: &str,
                        template: &str,
                        title: String,
                        description: String,
                        extra: Value,
                        crumbs: Vec<Link>|
         -> Result<(), SiteError> {
            let path = format!("{base}/{relative}");
            let wanted = dump.is_none_or(|d| d == path);
            if !wanted {
                return Ok(());
            }
            let mut page = this.page(&path, title, description, crumbs);
            page.banner = this.banner(job, &version_label, relative);
            let ctx = context! { site => &this.site, page => page, version => &version, ..extra };
            if dump.is_some() {
                dumped = Some(ctx);
                return Ok(());
            }
            files.push((path, this.render(template, &ctx)?));
            Ok(())
        };
        let title = format!("{} {version_label}", version.title);
        emit(
            self,
            "index.html",
            "version.html",
            title.clone(),
            version.summary.clone(),
            Value::UNDEFINED,
            crumbs[..2].to_vec(),
        )?;
        for e in &standard.entities {
            let view = builder.entity(&e.value);
            let description = markdown::summary(e.value.description.as_deref().unwrap_or(""), 160);
            emit(
                self,
                &format!("entities/{}.html", e.value.name),
                "entity.html",
                format!("{}: {title}", view.title),
                description,
                context! { entity => view },
                crumbs.clone(),
            )?;
        }
        for c in &standard.codelists {
            let view = builder.codelist(&c.value);
            let description = markdown::summary(c.value.description.as_deref().unwrap_or(""), 160);
            emit(
                self,
                &format!("codelists/{}.html", c.value.name),
                "codelist.html",
                format!("{}: {title}", view.title),
                description,
                context! { codelist => view },
                crumbs.clone(),
            )?;
        }
        let (changes, summary) = self.changes(job, &catalog, &version, &links)?;
        emit(
            self,
            "changes.html",
            "changes.html",
            format!("Changes in {title}"),
            format!("What changed in {title}, classified by semantic versioning."),
            context! { changes => changes },
            crumbs.clone(),
        )?;
        if job.landing && dump.is_none_or(|d| d == format!("{id}/index.html")) {
            let path = format!("{id}/index.html");
            let mut page = self.page(
                &path,
                version.title.clone(),
                version.summary.clone(),
                crumbs[..1].to_vec(),
            );
            page.canonical = self
                .options
                .base_url
                .as_ref()
                .map(|u| format!("{u}{base}/index.html"));
            if job.folder == UNRELEASED {
                page.banner = Some(Banner {
                    kind: "draft",
                    version: version_label.clone(),
                    latest: None,
                    href: None,
                });
            }
            let ctx = context! { site => &self.site, page => page, version => &version };
            if dump.is_some() {
                dumped = Some(ctx);
            } else {
                files.push((path, self.render("version.html", &ctx)?));
            }
        }
        if dump.is_none() {
            for (name, content) in downloads::files(
                &catalog,
                standard,
                &job.folder,
                self.options.base_url.as_deref(),
            ) {
                files.push((format!("{base}/downloads/{name}"), content.into_bytes()));
            }
            files.push((
                format!("{base}/search.json"),
                search::shard(standard, &job.folder).into_bytes(),
            ));
        }
        let summary = Summary {
            date,
            time: job.time,
            ..summary
        };
        Ok((files, summary, dumped))
    }

    /// The context of a version's changes page, and its changelog summary.
    fn changes(
        &self,
        job: &Job,
        catalog: &Catalog,
        version: &context::VersionView,
        links: &Links,
    ) -> Result<(Value, Summary), SiteError> {
        let mut summary = Summary {
            folder: job.folder.clone(),
            version: version.version.clone(),
            required_bump: "none".into(),
            ..Summary::default()
        };
        let Some((prev_version, prev_commit)) = &job.previous else {
            return Ok((
                context! { previous => Value::from(()), sections => Vec::<Value>::new(), required_bump => "none", policy_errors => Vec::<Value>::new() },
                summary,
            ));
        };
        summary.previous = Some(prev_version.clone());
        let old = self.source.catalog(prev_commit)?;
        let options = norm_diff::Options {
            config: catalog.config(),
            deprecated_earlier: BTreeSet::new(),
        };
        // The whole catalogs are compared, so that impact reaches other standards.
        let set = norm_diff::diff(&old, catalog, &options);
        let sd = set.standards.into_iter().find(|s| s.id == job.standard);
        let Some(sd) = sd else {
            return Ok((
                context! { previous => prev_version, sections => Vec::<Value>::new(), required_bump => "none", policy_errors => Vec::<Value>::new() },
                summary,
            ));
        };
        let prev_links = self.links(&old, false);
        let mut sections = Vec::new();
        for name in norm_diff::SECTIONS {
            let changes: Vec<Value> = sd
                .changes
                .iter()
                .filter(|c| c.section() == name)
                .map(|c| {
                    let href = element_href(&c.path, links, catalog)
                        .or_else(|| element_href(&c.path, &prev_links, &old));
                    context! {
                        rule => c.rule,
                        rule_summary_html => norm_diff::rules::all().find(|r| r.id == c.rule).map(|r| code_spans(&r.summary())),
                        bump => format!("{:?}", c.bump).to_lowercase(),
                        message_html => code_spans(&c.message),
                        path => &c.path,
                        href => href,
                        rename => &c.rename,
                        text => &c.text,
                        impact => &c.impact,
                        proposed => c.proposed,
                        accepted => &c.accepted,
                        fingerprint => &c.fingerprint,
                    }
                })
                .collect();
            if !changes.is_empty() {
                summary.sections.push((
                    name.to_owned(),
                    sd.changes
                        .iter()
                        .filter(|c| c.section() == name)
                        .map(|c| c.message.clone())
                        .collect(),
                ));
                sections
                    .push(context! { name => name, id => name.to_lowercase(), changes => changes });
            }
        }
        summary.required_bump = format!("{:?}", sd.required_bump).to_lowercase();
        Ok((
            context! {
                previous => prev_version,
                sections => sections,
                required_bump => &summary.required_bump,
                declared_bump => format!("{:?}", sd.declared_bump).to_lowercase(),
                verdict => format!("{:?}", sd.verdict).to_lowercase(),
                policy_errors => &sd.policy_errors,
            },
            summary,
        ))
    }

    fn warn(&self, message: String) {
        if let Ok(mut w) = self.warnings.lock() {
            w.push(message);
        }
    }
}

/// `message` as HTML, with its backticked names as `<code>`.
fn code_spans(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        let text = minijinja::HtmlEscape(part).to_string();
        if i % 2 == 1 {
            out.push_str(&format!("<code>{text}</code>"));
        } else {
            out.push_str(&text);
        }
    }
    out
}

/// The page of a change's element (`ssd/entities/x/fields/y`) where `links` gives it one.
fn element_href(path: &str, links: &Links, catalog: &Catalog) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let standard = catalog.standards.get(*parts.first()?)?;
    let folder = links.folders.get(standard.id())?;
    let id = standard.id();
    match parts.get(1..)? {
        ["entities", e, rest @ ..] => {
            standard.entity(e)?;
            let anchor = match rest {
                ["fields", f, ..]
                    if standard
                        .entity(e)?
                        .value
                        .fields
                        .iter()
                        .any(|x| x.name == *f) =>
                {
                    format!("#{f}")
                }
                _ => String::new(),
            };
            Some(format!("{id}/{folder}/entities/{e}.html{anchor}"))
        }
        ["codelists", c, rest @ ..] => {
            let list = standard.codelist(c)?;
            let anchor = match rest {
                ["codes", code, ..] if list.value.codes.iter().any(|x| x.code == *code) => {
                    format!("#{}", context::code_anchor(code))
                }
                _ => String::new(),
            };
            Some(format!("{id}/{folder}/codelists/{c}.html{anchor}"))
        }
        _ => Some(format!("{id}/{folder}/index.html")),
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
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = write_site(&build, &theme, &staging, progress);
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // Swap the finished site into place: the old one survives until the new one is complete.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        std::fs::rename(out, &old).map_err(io(out))?;
    }
    std::fs::rename(&staging, out).map_err(io(out))?;
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

/// Cache entries are folders named by key, holding `summary.json` and `files/`.
fn read_cached(dir: &Path) -> Option<(Vec<File>, Summary)> {
    let summary: Summary =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).ok()?).ok()?;
    let root = dir.join("files");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).ok()? {
            let path = entry.ok()?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(&root)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, std::fs::read(&path).ok()?));
            }
        }
    }
    Some((files, summary))
}

fn store_cached(dir: &Path, files: &[File], summary: &Summary) -> Result<(), SiteError> {
    let tmp = dir.with_extension(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    for (path, content) in files {
        write_file(&tmp.join("files"), path, content)?;
    }
    let json = serde_json::to_vec(summary).unwrap_or_default();
    write_file(&tmp, "summary.json", &json)?;
    if std::fs::rename(&tmp, dir).is_err() {
        // Another build stored the same entry first: theirs is as good as ours.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
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
            let hit = entry.as_deref().and_then(read_cached);
            let (files, summary) = match hit {
                Some(hit) => {
                    cached.fetch_add(1, Ordering::Relaxed);
                    hit
                }
                None => {
                    let (files, summary, _) = build.version_pages(job, None)?;
                    if let Some(entry) = &entry {
                        store_cached(entry, &files, &summary)?;
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
        prune_cache(root, &keys);
    }
    let mut report = BuildReport {
        rendered: total - cached.load(Ordering::Relaxed),
        cached: cached.load(Ordering::Relaxed),
        overridden: theme.overridden.clone(),
        ..BuildReport::default()
    };
    let files = global_pages(build, theme, &summaries, staging, &mut report)?;
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

/// Removes cache entries this build did not use, so the cache does not grow without bound.
fn prune_cache(root: &Path, keep: &BTreeSet<String>) {
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !keep.contains(&name) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
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

/// A standard on the home page.
#[derive(Debug, Clone, Serialize)]
struct CatalogueRow {
    id: String,
    title: String,
    summary: String,
    status: context::Tag,
    version: Option<String>,
    unreleased: Option<String>,
    owner: Option<String>,
    href: String,
}

/// An element in consultation.
#[derive(Debug, Clone, Serialize)]
struct Proposal {
    standard: String,
    kind: &'static str,
    name: String,
    href: Option<String>,
}

impl Build<'_> {
    fn catalogue(&self) -> Vec<CatalogueRow> {
        let wt = &self.input.worktree;
        self.input
            .standards
            .iter()
            .map(|s| {
                let meta = wt
                    .standards
                    .get(&s.id)
                    .and_then(|st| st.meta.as_ref())
                    .map(|m| &m.value);
                let status = meta
                    .and_then(|m| m.status)
                    .and_then(|st| serde_json::to_value(st).ok())
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_else(|| "active".into());
                CatalogueRow {
                    id: s.id.clone(),
                    title: meta
                        .and_then(|m| m.title.clone())
                        .unwrap_or_else(|| s.id.clone()),
                    summary: meta
                        .and_then(|m| m.summary.as_deref())
                        .map(markdown::to_plain)
                        .unwrap_or_default(),
                    status: context::Tag::new(&status),
                    version: s.releases.last().map(|r| r.version.clone()),
                    unreleased: s
                        .unreleased
                        .then(|| meta.and_then(|m| m.version.clone()).unwrap_or_default()),
                    owner: meta.and_then(|m| m.owner.as_ref()).map(|o| o.name.clone()),
                    href: format!("{}/index.html", s.id),
                }
            })
            .collect()
    }

    /// Standards in consultation and proposed elements of the working tree.
    fn proposals(&self) -> (Vec<CatalogueRow>, Vec<Proposal>) {
        let wt = &self.input.worktree;
        let links = self.links(wt, true);
        let consulting = self
            .catalogue()
            .into_iter()
            .filter(|r| r.status.text == "consultation")
            .collect();
        let mut proposed = Vec::new();
        let is_proposed =
            |s: Option<norm_model::model::Status>| s == Some(norm_model::model::Status::Proposed);
        for (id, standard) in &wt.standards {
            let folder = links.folders.get(id);
            let href = |rel: String| folder.map(|f| format!("{id}/{f}/{rel}"));
            for e in &standard.entities {
                let e = &e.value;
                if is_proposed(e.status) {
                    proposed.push(Proposal {
                        standard: id.clone(),
                        kind: "entity",
                        name: e.name.clone(),
                        href: href(format!("entities/{}.html", e.name)),
                    });
                }
                for f in e.fields.iter().filter(|f| is_proposed(f.status)) {
                    proposed.push(Proposal {
                        standard: id.clone(),
                        kind: "field",
                        name: format!("{}.{}", e.name, f.name),
                        href: href(format!("entities/{}.html#{}", e.name, f.name)),
                    });
                }
            }
            for c in &standard.codelists {
                let c = &c.value;
                if is_proposed(c.status) {
                    proposed.push(Proposal {
                        standard: id.clone(),
                        kind: "code list",
                        name: c.name.clone(),
                        href: href(format!("codelists/{}.html", c.name)),
                    });
                }
                for code in c.codes.iter().filter(|x| is_proposed(x.status)) {
                    proposed.push(Proposal {
                        standard: id.clone(),
                        kind: "code",
                        name: format!("{}: {}", c.name, code.code),
                        href: href(format!(
                            "codelists/{}.html#{}",
                            c.name,
                            context::code_anchor(&code.code)
                        )),
                    });
                }
            }
        }
        (consulting, proposed)
    }

    /// Every page outside a version folder: `(path, template, context)`.
    fn global_contexts(
        &self,
        summaries: &BTreeMap<String, Vec<Summary>>,
    ) -> Vec<(String, &'static str, Value)> {
        let home = Link {
            label: "Standards".into(),
            href: Some("index.html".into()),
        };
        let mut out = Vec::new();
        let catalogue = self.catalogue();
        let simple = |path: &str, title: &str, description: &str| {
            self.page(
                path,
                title.to_owned(),
                description.to_owned(),
                vec![home.clone()],
            )
        };
        out.push((
            "index.html".to_owned(),
            "index.html",
            context! { site => &self.site, page => self.page("index.html", self.site.title.clone(), "The data standards of this repository, their versions and changes.".into(), vec![]), standards => &catalogue },
        ));
        out.push((
            "search.html".to_owned(),
            "search.html",
            context! { site => &self.site, page => simple("search.html", "Search", "Search every entity, field, code list and code."), standards => &catalogue },
        ));
        out.push((
            "accessibility.html".to_owned(),
            "accessibility.html",
            context! { site => &self.site, page => simple("accessibility.html", "Accessibility statement", "How accessible this site is and how to report a problem.") },
        ));
        let (consulting, proposed) = self.proposals();
        out.push((
            "consultation.html".to_owned(),
            "consultation.html",
            context! { site => &self.site, page => simple("consultation.html", "In consultation", "Standards and elements proposed for comment."), standards => consulting, proposed => proposed },
        ));
        // 404 is served at any depth, so its links are rooted at the site's own path.
        let mut not_found = simple("404.html", "Page not found", "");
        not_found.root = self
            .site
            .base_url
            .as_deref()
            .and_then(|u| u.split_once("://").map(|(_, rest)| rest))
            .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
            .unwrap_or_else(|| "/".to_owned());
        out.push((
            "404.html".to_owned(),
            "404.html",
            context! { site => &self.site, page => not_found },
        ));
        for row in &catalogue {
            let mut releases: Vec<&Summary> = summaries
                .get(&row.id)
                .map(|v| v.iter().collect())
                .unwrap_or_default();
            releases.sort_by_key(|s| {
                (
                    s.folder != UNRELEASED,
                    std::cmp::Reverse(semver::Version::parse(&s.folder).ok()),
                    std::cmp::Reverse(s.time),
                )
            });
            let path = format!("{}/changelog.html", row.id);
            let crumbs = vec![
                home.clone(),
                Link {
                    label: row.title.clone(),
                    href: Some(row.href.clone()),
                },
            ];
            out.push((
                path.clone(),
                "changelog.html",
                context! { site => &self.site, page => self.page(&path, format!("Changelog of {}", row.title), format!("Every release of {}, newest first.", row.title), crumbs), standard => row, releases => releases },
            ));
        }
        out
    }

    fn feed(&self, summaries: &BTreeMap<String, Vec<Summary>>) -> Value {
        let catalogue = self.catalogue();
        let mut entries: Vec<Value> = Vec::new();
        let mut updated = i64::MIN;
        for row in &catalogue {
            for s in summaries.get(&row.id).into_iter().flatten() {
                if s.folder == UNRELEASED {
                    continue;
                }
                updated = updated.max(s.time);
                let counts: Vec<String> = s
                    .sections
                    .iter()
                    .map(|(name, items)| format!("{name}: {}", items.len()))
                    .collect();
                entries.push(context! {
                    id => format!("{}/{}", row.id, s.folder),
                    title => format!("{} {} released", row.title, s.version),
                    href => format!("{}/{}/changes.html", row.id, s.folder),
                    updated => norm_model::dates::format_timestamp(s.time),
                    time => s.time,
                    summary => if counts.is_empty() { "First release.".to_owned() } else { counts.join("; ") },
                });
            }
        }
        let (consulting, proposed) = self.proposals();
        if !consulting.is_empty() || !proposed.is_empty() {
            updated = updated.max(self.input.updated);
            let names: BTreeSet<&str> = consulting
                .iter()
                .map(|c| c.id.as_str())
                .chain(proposed.iter().map(|p| p.standard.as_str()))
                .collect();
            for id in names {
                let n = proposed.iter().filter(|p| p.standard == id).count();
                entries.push(context! {
                    id => format!("consultation/{id}/{}", self.input.updated),
                    title => format!("In consultation: {id}"),
                    href => "consultation.html",
                    updated => norm_model::dates::format_timestamp(self.input.updated),
                    time => self.input.updated,
                    summary => format!("{n} proposed elements open for comment."),
                });
            }
        }
        entries.sort_by_key(|e| {
            std::cmp::Reverse(
                e.get_attr("time")
                    .ok()
                    .and_then(|t| i64::try_from(t).ok())
                    .unwrap_or(0),
            )
        });
        context! {
            site => &self.site,
            updated => norm_model::dates::format_timestamp(if updated == i64::MIN { self.input.updated } else { updated }),
            entries => entries,
        }
    }
}

fn global_pages(
    build: &Build<'_>,
    theme: &templates::Theme,
    summaries: &BTreeMap<String, Vec<Summary>>,
    staging: &Path,
    report: &mut BuildReport,
) -> Result<Vec<File>, SiteError> {
    let mut files: Vec<File> = Vec::new();
    for (path, template, ctx) in build.global_contexts(summaries) {
        files.push((path, build.render(template, &ctx)?));
    }
    files.push((
        "feed.xml".into(),
        build.render("feed.xml", &build.feed(summaries))?,
    ));
    for name in templates::ASSETS {
        files.push(((*name).to_owned(), theme.files[*name].clone().into_bytes()));
    }
    let manifest: Vec<search::ManifestEntry> = build
        .catalogue()
        .into_iter()
        .filter_map(|row| {
            let s = build.standard_input(&row.id)?;
            let mut versions: Vec<String> =
                s.releases.iter().rev().map(|r| r.version.clone()).collect();
            if s.unreleased {
                versions.insert(0, UNRELEASED.to_owned());
            }
            Some(search::ManifestEntry {
                latest: build.latest_folder(&row.id)?,
                id: row.id,
                title: row.title,
                versions,
            })
        })
        .collect();
    let manifest_json =
        serde_json::to_vec(&serde_json::json!({ "chunk": search::CHUNK, "standards": &manifest }))
            .unwrap_or_default();
    let latest: Vec<String> = manifest
        .iter()
        .filter_map(|m| {
            std::fs::read_to_string(staging.join(format!("{}/{}/search.json", m.id, m.latest))).ok()
        })
        .collect();
    let index = search::global_index(&latest);
    // What one search for a word downloads: the manifest, the largest term file and a
    // result page's worth of entry chunks (at most five for the first twenty results).
    let largest = |dir: &str| {
        index
            .iter()
            .filter(|(p, _)| p.starts_with(dir))
            .map(|(_, b)| b.len())
            .max()
            .unwrap_or(0)
    };
    report.search_bytes =
        manifest_json.len() + largest("search/terms/") + 5 * largest("search/entries/");
    files.extend(index);
    files.push(("assets/search-index.json".into(), manifest_json));
    match &build.site.base_url {
        Some(base) => {
            let mut pages: Vec<String> = walk(staging)
                .into_iter()
                .chain(files.iter().map(|(p, _)| p.clone()))
                .filter(|p| p.ends_with(".html") && p != "404.html")
                .collect();
            pages.sort();
            pages.dedup();
            let urls: Vec<String> = pages.iter().map(|p| format!("{base}{p}")).collect();
            files.push((
                "sitemap.xml".into(),
                build.render("sitemap.xml", &context! { urls => urls })?,
            ));
        }
        None => report.warnings.push(
            "no base URL (`site.base_url` in norm.yaml or `--base-url`): sitemap.xml needs absolute URLs and was not written".into(),
        ),
    }
    Ok(files)
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
    if let Some((_, _, ctx)) = build
        .global_contexts(&summaries)
        .into_iter()
        .find(|(p, _, _)| p == page)
    {
        return Ok(to_json(&ctx));
    }
    if page == "feed.xml" {
        return Ok(to_json(&build.feed(&summaries)));
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
