//! The pages outside version folders: home, search, consultation, accessibility, 404, the
//! changelog of each standard, the feed, the sitemap and the search index.

use std::collections::{BTreeMap, BTreeSet};

use minijinja::{Value, context};
use norm_model::Element;
use norm_model::model::StandardStatus;
use serde::Serialize;

use crate::context::{self, Link, UNRELEASED};
use crate::{File, GlobalOutput, Page, Site, Summary, markdown, search, templates};

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

/// The standards and consultations the home, consultation and feed pages show.
pub(crate) struct Overview {
    catalogue: Vec<CatalogueRow>,
    consulting: Vec<CatalogueRow>,
    proposed: Vec<Proposal>,
}

/// An element in consultation.
#[derive(Debug, Clone, Serialize)]
struct Proposal {
    standard: String,
    kind: &'static str,
    name: String,
    href: Option<String>,
}

impl Site<'_> {
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
                    .map_or("active", StandardStatus::as_str);
                CatalogueRow {
                    id: s.id.clone(),
                    title: meta
                        .and_then(|m| m.title.clone())
                        .unwrap_or_else(|| s.id.clone()),
                    summary: meta
                        .and_then(|m| m.summary.as_deref())
                        .map(markdown::to_plain)
                        .unwrap_or_default(),
                    status: context::Tag::new(status),
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

    /// What the pages outside version folders show, gathered once per build.
    pub(crate) fn overview(&self) -> Overview {
        let catalogue = self.catalogue();
        let (consulting, proposed) = self.proposals(&catalogue);
        Overview {
            catalogue,
            consulting,
            proposed,
        }
    }

    /// Standards in consultation and proposed elements of the working tree.
    fn proposals(&self, catalogue: &[CatalogueRow]) -> (Vec<CatalogueRow>, Vec<Proposal>) {
        let wt = &self.input.worktree;
        let links = self.links(wt, true);
        let consulting = catalogue
            .iter()
            .filter(|r| r.status.text == "consultation")
            .cloned()
            .collect();
        let mut proposed = Vec::new();
        let is_proposed =
            |s: Option<norm_model::model::Status>| s == Some(norm_model::model::Status::Proposed);
        for (id, standard) in &wt.standards {
            let folder = links.folders.get(id);
            let mut push = |kind: &'static str, name: String, page: String| {
                proposed.push(Proposal {
                    standard: id.clone(),
                    kind,
                    name,
                    href: folder.map(|f| format!("{id}/{f}/{page}")),
                });
            };
            for element in standard.elements().filter(|e| is_proposed(e.status())) {
                let (name, page) = match element {
                    Element::Standard(..) => continue,
                    Element::Entity(_, e) => (
                        e.value.name.clone(),
                        format!("entities/{}.html", e.value.name),
                    ),
                    Element::Field(_, e, f) => (
                        format!("{}.{}", e.value.name, f.name),
                        format!("entities/{}.html#{}", e.value.name, f.name),
                    ),
                    Element::CodeList(_, c) => (
                        c.value.name.clone(),
                        format!("codelists/{}.html", c.value.name),
                    ),
                    Element::Code(_, c, code) => (
                        format!("{}: {}", c.value.name, code.code),
                        format!(
                            "codelists/{}.html#{}",
                            c.value.name,
                            context::code_anchor(&code.code)
                        ),
                    ),
                    Element::Rule(_, r) => (
                        r.value.code.clone(),
                        format!("rules.html#{}", context::rule_anchor(&r.value.code)),
                    ),
                };
                push(element.kind().noun(), name, page);
            }
        }
        (consulting, proposed)
    }

    /// Every page outside a version folder except the feed and sitemap.
    fn global_contexts(
        &self,
        overview: &Overview,
        summaries: &BTreeMap<String, Vec<Summary>>,
    ) -> Vec<Page> {
        let home = Link {
            label: "Standards".into(),
            href: Some("index.html".into()),
        };
        let mut out = Vec::new();
        let catalogue = &overview.catalogue;
        let simple = |path: &str, title: &str, description: &str| {
            self.page(
                path,
                title.to_owned(),
                description.to_owned(),
                vec![home.clone()],
            )
        };
        out.push(Page {
            path: "index.html".to_owned(),
            template: "index.html",
            context: context! { site => &self.site, page => self.page("index.html", self.site.title.clone(), "The data standards of this repository, their versions and changes.".into(), vec![]), standards => &catalogue },
        });
        out.push(Page {
            path: "search.html".to_owned(),
            template: "search.html",
            context: context! { site => &self.site, page => simple("search.html", "Search", "Search every entity, field, code list and code."), standards => &catalogue },
        });
        out.push(Page {
            path: "accessibility.html".to_owned(),
            template: "accessibility.html",
            context: context! { site => &self.site, page => simple("accessibility.html", "Accessibility statement", "How accessible this site is and how to report a problem.") },
        });
        let (consulting, proposed) = (&overview.consulting, &overview.proposed);
        out.push(Page {
            path: "consultation.html".to_owned(),
            template: "consultation.html",
            context: context! { site => &self.site, page => simple("consultation.html", "In consultation", "Standards and elements proposed for comment."), standards => consulting, proposed => proposed },
        });
        // 404 is served at any depth, so its links are rooted at the site's own path.
        let mut not_found = simple("404.html", "Page not found", "");
        not_found.root = self
            .site
            .base_url
            .as_deref()
            .and_then(|u| u.split_once("://").map(|(_, rest)| rest))
            .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
            .unwrap_or_else(|| "/".to_owned());
        out.push(Page {
            path: "404.html".to_owned(),
            template: "404.html",
            context: context! { site => &self.site, page => not_found },
        });
        for row in catalogue {
            let mut releases: Vec<ChangelogEntry<'_>> = summaries
                .get(&row.id)
                .map(|v| v.iter().map(ChangelogEntry::from).collect())
                .unwrap_or_default();
            releases.sort_by_key(|s| {
                (
                    s.folder != UNRELEASED,
                    std::cmp::Reverse(semver::Version::parse(s.folder).ok()),
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
            out.push(Page {
                path: path.clone(),
                template: "changelog.html",
                context: context! { site => &self.site, page => self.page(&path, format!("Changelog of {}", row.title), format!("Every release of {}, newest first.", row.title), crumbs), standard => row, releases => releases },
            });
        }
        out
    }

    fn feed(&self, overview: &Overview, summaries: &BTreeMap<String, Vec<Summary>>) -> Value {
        let catalogue = &overview.catalogue;
        // (time, version, entry): newest first, and by version among releases of one moment.
        let mut entries: Vec<(i64, Option<semver::Version>, Value)> = Vec::new();
        for row in catalogue {
            for s in summaries.get(&row.id).into_iter().flatten() {
                if s.folder == UNRELEASED {
                    continue;
                }
                let counts: Vec<String> = s
                    .sections
                    .iter()
                    .map(|(name, items)| format!("{name}: {}", items.len()))
                    .collect();
                let summary = if counts.is_empty() {
                    "First release.".to_owned()
                } else {
                    counts.join("; ")
                };
                entries.push((
                    s.time,
                    semver::Version::parse(&s.version).ok(),
                    context! {
                        id => format!("{}/{}", row.id, s.folder),
                        title => format!("{} {} released", row.title, s.version),
                        href => format!("{}/{}/changes.html", row.id, s.folder),
                        updated => norm_model::dates::format_timestamp(s.time),
                        summary => summary,
                    },
                ));
            }
        }
        let (consulting, proposed) = (&overview.consulting, &overview.proposed);
        let names: BTreeSet<&str> = consulting
            .iter()
            .map(|c| c.id.as_str())
            .chain(proposed.iter().map(|p| p.standard.as_str()))
            .collect();
        for id in names {
            let n = proposed.iter().filter(|p| p.standard == id).count();
            // One entry per consultation: the standard and the version it prepares, so that
            // a feed reader sees it once, not again with every commit.
            let version = catalogue
                .iter()
                .find(|r| r.id == id)
                .and_then(|r| r.unreleased.clone().or(r.version.clone()))
                .unwrap_or_default();
            entries.push((
                self.input.updated,
                None,
                context! {
                    id => format!("consultation/{id}/{version}"),
                    title => format!("In consultation: {id} {version}"),
                    href => "consultation.html",
                    updated => norm_model::dates::format_timestamp(self.input.updated),
                    summary => format!("{n} proposed elements open for comment."),
                },
            ));
        }
        entries.sort_by(|a, b| (b.0, &b.1).cmp(&(a.0, &a.1)));
        let updated = entries.first().map_or(self.input.updated, |e| e.0);
        context! {
            site => &self.site,
            updated => norm_model::dates::format_timestamp(updated),
            entries => entries.into_iter().map(|e| e.2).collect::<Vec<_>>(),
        }
    }
}

impl Site<'_> {
    /// `catalogue.json`: every standard as the working tree says, with the catalogue entries
    /// of its releases (oldest first) that the caller made, DCAT records included.
    fn catalogue_json(
        &self,
        overview: &Overview,
        summaries: &BTreeMap<String, Vec<Summary>>,
    ) -> Vec<u8> {
        use norm_export::catalogue;
        let standards = overview
            .catalogue
            .iter()
            .map(|row| {
                let mut releases: Vec<catalogue::Release> = summaries
                    .get(&row.id)
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.release.clone())
                    .collect();
                releases.sort_by_key(|r| semver::Version::parse(&r.version).ok());
                catalogue::Standard {
                    id: row.id.clone(),
                    title: row.title.clone(),
                    summary: Some(row.summary.clone()).filter(|s| !s.is_empty()),
                    owner: row.owner.clone(),
                    status: row.status.text.to_owned(),
                    latest: row.version.clone(),
                    href: row.href.clone(),
                    draft: row.unreleased.as_ref().map(|v| catalogue::Draft {
                        version: v.clone(),
                        href: format!("{}/{UNRELEASED}/index.html", row.id),
                    }),
                    releases,
                }
            })
            .collect();
        let doc = catalogue::Catalogue {
            format: catalogue::FORMAT,
            title: self.site.title.clone(),
            base_url: self.site.base_url.clone(),
            generator: self.site.generator.clone(),
            standards,
        };
        let mut text = serde_json::to_vec_pretty(&doc).unwrap_or_default();
        text.push(b'\n');
        text
    }

    /// The pages and files outside version folders. `summaries` are the changelog summaries
    /// of every version by standard, `version_files` the paths of every version's files (for
    /// the sitemap), and `read` reads one of them back (the latest search shards, which the
    /// global search index is built from).
    ///
    /// The files (assets, `catalogue.json`, the search index) go to `emit` one at a time, as
    /// they are made, so that the largest of them is never held together with the rest; the
    /// pages are returned, to be rendered by the caller. An error from `emit` (the only
    /// thing that can fail) stops the work and is returned.
    pub fn global<E>(
        &self,
        summaries: &BTreeMap<String, Vec<Summary>>,
        version_files: &[String],
        read: &dyn Fn(&str) -> Option<String>,
        emit: &mut dyn FnMut(File) -> Result<(), E>,
    ) -> Result<GlobalOutput, E> {
        let overview = self.overview();
        let mut out = GlobalOutput {
            pages: self.global_contexts(&overview, summaries),
            ..GlobalOutput::default()
        };
        out.pages.push(Page {
            path: "feed.xml".into(),
            template: "feed.xml",
            context: self.feed(&overview, summaries),
        });
        for name in templates::ASSETS {
            emit((
                (*name).to_owned(),
                self.theme.files[*name].clone().into_bytes(),
            ))?;
        }
        emit((
            norm_export::catalogue::FILE.into(),
            self.catalogue_json(&overview, summaries),
        ))?;
        let manifest: Vec<search::ManifestEntry> = overview
            .catalogue
            .into_iter()
            .filter_map(|row| {
                let s = self.standard_input(&row.id)?;
                let mut versions: Vec<String> =
                    s.releases.iter().rev().map(|r| r.version.clone()).collect();
                if s.unreleased {
                    versions.insert(0, UNRELEASED.to_owned());
                }
                Some(search::ManifestEntry {
                    latest: self.latest_folder(&row.id)?,
                    id: row.id,
                    title: row.title,
                    versions,
                    href: None,
                })
            })
            .collect();
        let manifest_json = search::manifest(&manifest);
        let latest = manifest
            .iter()
            .filter_map(|m| read(&format!("{}/{}/search.json", m.id, m.latest)));
        // What one search for a word downloads: the manifest, the largest term file and a
        // result page's worth of entry chunks (at most five for the first twenty results).
        let (mut largest_terms, mut largest_entries) = (0, 0);
        search::global_index(latest, &mut |file: File| {
            let largest = if file.0.starts_with("search/terms/") {
                &mut largest_terms
            } else {
                &mut largest_entries
            };
            *largest = (*largest).max(file.1.len());
            emit(file)
        })?;
        out.search_bytes = manifest_json.len() + largest_terms + 5 * largest_entries;
        emit(("assets/search-index.json".into(), manifest_json))?;
        match &self.site.base_url {
            Some(base) => {
                let mut pages: Vec<&str> = version_files
                    .iter()
                    .map(String::as_str)
                    .chain(out.pages.iter().map(|p| p.path.as_str()))
                    .filter(|p| p.ends_with(".html") && *p != "404.html")
                    .collect();
                pages.sort_unstable();
                pages.dedup();
                let urls: Vec<String> = pages.iter().map(|p| format!("{base}{p}")).collect();
                out.pages.push(Page {
                    path: "sitemap.xml".into(),
                    template: "sitemap.xml",
                    context: context! { urls => urls },
                });
            }
            None => out.warnings.push(
                "no base URL (`site.base_url` in norm.yaml or `--base-url`): sitemap.xml needs absolute URLs and was not written".into(),
            ),
        }
        Ok(out)
    }
}

/// What the changelog shows of a version: its summary without its catalogue record, which
/// only `catalogue.json` needs (the DCAT records of every release would otherwise be copied
/// into each changelog's context).
#[derive(Debug, serde::Serialize)]
struct ChangelogEntry<'a> {
    folder: &'a str,
    version: &'a str,
    date: Option<&'a str>,
    time: i64,
    previous: Option<&'a str>,
    required_bump: &'a str,
    sections: &'a [(String, Vec<String>)],
}

impl<'a> From<&'a Summary> for ChangelogEntry<'a> {
    fn from(s: &'a Summary) -> Self {
        ChangelogEntry {
            folder: &s.folder,
            version: &s.version,
            date: s.date.as_deref(),
            time: s.time,
            previous: s.previous.as_deref(),
            required_bump: &s.required_bump,
            sections: &s.sections,
        }
    }
}
