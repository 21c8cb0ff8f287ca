//! [`Site`]: the theme, the shared page metadata and the version plan of one build, and the
//! seam between rendering (here) and loading, comparing, caching and writing (the caller).

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use minijinja::Environment;
use norm_diff::ChangeSet;
use norm_model::catalog::Catalog;
use serde::Serialize;

use crate::context::{Link, Links, UNRELEASED};
use crate::templates;
use crate::{File, Page, ReleaseInput, SiteError, SiteInput, SiteOptions, StandardInput, Summary};

/// One version of one standard that has pages: a release, or the working tree as
/// `unreleased`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    /// The standard's id.
    pub standard: String,
    /// The version folder: the version, or `unreleased`.
    pub folder: String,
    /// The release commit; `None` for the working tree.
    pub commit: Option<String>,
    /// Commit time, seconds since the epoch.
    pub time: i64,
    /// The release this version's changes page compares with.
    pub previous: Option<ReleaseInput>,
    /// Whether this version is the standard's landing page (`<std>/index.html`).
    pub landing: bool,
}

/// The change set of a version against its previous release, exactly as `norm diff
/// S@previous S@this --standard S` reports it, and that report as JSON.
#[derive(Debug, Clone, Copy)]
pub struct Comparison<'a> {
    /// The changes (at most the one standard).
    pub set: &'a ChangeSet,
    /// `norm diff --format json` of the same pair, written as the version's `changes.json`.
    pub json: &'a str,
}

/// What the caller hands over to render one version.
#[derive(Debug, Clone, Copy)]
pub struct VersionData<'a> {
    /// The catalog the version was released in (the working tree's for `unreleased`).
    pub catalog: &'a Catalog,
    /// The previous release's catalog, for links to elements a change removed.
    pub previous: Option<&'a Catalog>,
    /// The comparison with the previous release; `None` for a first release.
    pub changes: Option<Comparison<'a>>,
    /// The catalog of the standard's latest release, so that the banner of an older version
    /// links to the same page there when it still exists.
    pub latest: Option<&'a Catalog>,
}

/// The pages and files of one version.
#[derive(Debug, Clone, Default)]
pub struct VersionOutput {
    /// The pages to render.
    pub pages: Vec<Page>,
    /// Files written as they are (downloads, search shard).
    pub files: Vec<File>,
    /// The version's changelog summary, for the changelog and the feed.
    pub summary: Summary,
    /// Something the reader of the build log should know (a release whose commit lacks the
    /// standard).
    pub warning: Option<String>,
    /// What the standard lacks for the version's DCAT record, for the build log: said of the
    /// standard's latest release (its landing page) only, the one a new release would mend.
    pub notes: Vec<String>,
}

/// The pages and files outside version folders.
#[derive(Debug, Clone, Default)]
pub struct GlobalOutput {
    /// The pages to render.
    pub pages: Vec<Page>,
    /// Bytes of the default search download (manifest plus the latest shards).
    pub search_bytes: usize,
    /// Things the reader of the build log should know.
    pub warnings: Vec<String>,
}

/// What every page shares.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteMeta {
    pub(crate) title: String,
    pub(crate) repository: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) generator: String,
    /// Whether this is the catalogue of other sites (`norm catalogue`), which has no
    /// consultation page and no feed.
    pub(crate) federation: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Banner {
    pub(crate) kind: &'static str,
    pub(crate) version: String,
    pub(crate) latest: Option<String>,
    pub(crate) href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageMeta {
    pub(crate) root: String,
    pub(crate) path: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) breadcrumbs: Vec<Link>,
    pub(crate) banner: Option<Banner>,
    pub(crate) canonical: Option<String>,
}

/// The site of one build: its inputs, theme and template environment.
pub struct Site<'a> {
    pub(crate) input: &'a SiteInput,
    pub(crate) theme: templates::Theme,
    env: Environment<'static>,
    pub(crate) site: SiteMeta,
    /// `--base-url` as given: canonical links name it, not `site.base_url` of norm.yaml.
    pub(crate) canonical_base: Option<String>,
}

pub(crate) fn date(time: i64) -> String {
    norm_model::dates::format_date(time.div_euclid(86_400))
}

pub(crate) fn depth_root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

impl<'a> Site<'a> {
    /// Loads the theme (the defaults with the repository's overrides) and gathers what every
    /// page shares.
    pub fn new(input: &'a SiteInput, options: &SiteOptions) -> Result<Site<'a>, SiteError> {
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
            federation: false,
        };
        Ok(Site {
            input,
            theme,
            env,
            site,
            canonical_base: options.base_url.clone(),
        })
    }

    /// The templates the repository overrides.
    pub fn overridden(&self) -> &[String] {
        &self.theme.overridden
    }

    /// A digest of everything a released version's pages depend on besides its own
    /// [`Version`] and [`VersionData`]: the theme, the site's title, repository and base URL,
    /// and every standard's release list (a new release changes the "latest" banners and the
    /// cross-standard links of older versions). Whether a standard's working tree is
    /// unreleased is left out: only the working tree's own pages and the site-wide ones show
    /// it, and neither is cached, so editing a released standard keeps every release cached.
    /// A cache keyed by it and the version is never stale.
    pub fn digest(&self) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut h);
        self.theme.digest().hash(&mut h);
        (&self.site.title, &self.site.repository, &self.site.base_url).hash(&mut h);
        for s in &self.input.standards {
            (&s.id, &s.releases).hash(&mut h);
        }
        h.finish()
    }

    /// Every version that has pages, each standard's oldest first.
    pub fn versions(&self) -> Vec<Version> {
        let mut versions = Vec::new();
        for s in &self.input.standards {
            let mut previous: Option<ReleaseInput> = None;
            for (i, r) in s.releases.iter().enumerate() {
                versions.push(Version {
                    standard: s.id.clone(),
                    folder: r.version.clone(),
                    commit: Some(r.commit.clone()),
                    time: r.time,
                    previous: previous.clone(),
                    landing: i + 1 == s.releases.len(),
                });
                previous = Some(r.clone());
            }
            if s.unreleased {
                versions.push(Version {
                    standard: s.id.clone(),
                    folder: UNRELEASED.to_owned(),
                    commit: None,
                    time: self.input.updated,
                    previous,
                    landing: s.releases.is_empty(),
                });
            }
        }
        versions
    }

    /// The latest release of `version`'s standard, whose catalog [`VersionData::latest`]
    /// wants.
    pub fn latest_release(&self, version: &Version) -> Option<&ReleaseInput> {
        self.standard_input(&version.standard)?.releases.last()
    }

    /// Renders one page.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>, SiteError> {
        let template = page.template;
        let error = |e: minijinja::Error| SiteError::Template {
            name: template.to_owned(),
            message: format!("{e:#}"),
        };
        let tmpl = self.env.get_template(template).map_err(error)?;
        tmpl.render(&page.context)
            .map(String::into_bytes)
            .map_err(error)
    }

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

    pub(crate) fn banner(
        &self,
        version: &Version,
        latest_pages: &BTreeSet<String>,
        label: &str,
        relative: &str,
    ) -> Option<Banner> {
        let latest = self.latest_release(version).map(|r| r.version.clone());
        let href = latest.as_ref().map(|l| {
            let same = if latest_pages.contains(relative) {
                relative
            } else {
                "index.html"
            };
            format!("{}/{l}/{same}", version.standard)
        });
        let kind = if version.folder == UNRELEASED {
            "draft"
        } else if latest.as_deref() != Some(version.folder.as_str()) {
            "old"
        } else {
            return None;
        };
        Some(Banner {
            kind,
            version: label.to_owned(),
            latest,
            href,
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
            canonical: self.canonical_base.as_ref().map(|u| format!("{u}{path}")),
        }
    }
}

/// The pages of `standard` in `catalog`, relative to its version folder: what an older
/// version's banner may link to in the latest release.
pub(crate) fn version_pages_of(catalog: &Catalog, standard: &str) -> BTreeSet<String> {
    let Some(standard) = catalog.standards.get(standard) else {
        return BTreeSet::new();
    };
    let mut pages: BTreeSet<String> = ["index.html".to_owned(), "changes.html".to_owned()].into();
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
}
