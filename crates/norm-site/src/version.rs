//! The pages of one version of one standard: overview, entities, code lists, validation rules,
//! changes, downloads and search shard.

use minijinja::{Value, context};

use norm_export::catalogue;
use norm_model::model::StandardStatus;

use crate::context::{Download, Link, UNRELEASED, VersionBuilder};
use crate::site::{Banner, date, depth_root, version_pages_of};
use crate::{Page, SiteError, Summary};
use crate::{Site, Version, VersionData, VersionOutput};
use crate::{downloads, markdown, search};

impl Site<'_> {
    /// The pages and files of one version, with its changelog summary. Nothing is rendered:
    /// the caller renders the pages (or, for `--dump-context`, shows one page's context).
    pub fn version(
        &self,
        job: &Version,
        data: &VersionData<'_>,
    ) -> Result<VersionOutput, SiteError> {
        let catalog = data.catalog;
        let Some(standard) = catalog.standards.get(&job.standard) else {
            return Ok(VersionOutput {
                warning: Some(format!(
                    "release {} of `{}` (commit {}) has no such standard; skipped",
                    job.folder,
                    job.standard,
                    job.commit.as_deref().unwrap_or("working tree")
                )),
                ..VersionOutput::default()
            });
        };
        let links = self.links(catalog, job.commit.is_none());
        let latest_pages = data
            .latest
            .map(|c| version_pages_of(c, &job.standard))
            .unwrap_or_default();
        let builder = VersionBuilder::new(catalog, standard, &links);
        let id = &job.standard;
        let base = format!("{id}/{}", job.folder);
        let date = job.commit.as_ref().map(|_| date(job.time));
        let root = depth_root(&format!("{base}/index.html"));
        // The overview's HTML links are rooted at the page that shows it: the version folder's
        // pages, or the landing page one folder up.
        // Each export is made once: its files are written and its descriptor is linked.
        let exports = downloads::exports(
            catalog,
            standard,
            &job.folder,
            self.canonical_base.as_deref(),
        );
        let export_links = downloads::export_links(&base, &exports);
        let view = |root: &str| {
            let mut version = builder.version(&job.folder, date.clone(), root);
            version.downloads.extend(export_links.iter().cloned());
            version.downloads.extend(extra_downloads(job, data, &base));
            for (name, label, _) in data.record.iter().flat_map(|r| &r.files) {
                version.downloads.push(Download {
                    label: label.clone(),
                    format: if name.ends_with(".ttl") {
                        "Turtle"
                    } else {
                        "JSON-LD"
                    },
                    href: format!("{base}/downloads/{name}"),
                });
            }
            version
        };
        let version = view(&root);
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
        let mut pages: Vec<Page> = Vec::new();
        let mut emit = |relative: &str,
                        template: &'static str,
                        title: String,
                        description: String,
                        extra: Value,
                        crumbs: Vec<Link>| {
            let path = format!("{base}/{relative}");
            let mut page = self.page(&path, title, description, crumbs);
            page.banner = self.banner(job, &latest_pages, &version_label, relative);
            let context =
                context! { site => &self.site, page => page, version => &version, ..extra };
            pages.push(Page {
                path,
                template,
                context,
            });
        };
        let title = format!("{} {version_label}", version.title);
        emit(
            "index.html",
            "version.html",
            title.clone(),
            version.summary.clone(),
            Value::UNDEFINED,
            crumbs[..2].to_vec(),
        );
        for e in &standard.entities {
            let view = builder.entity(&e.value);
            let description = markdown::summary(e.value.description.as_deref().unwrap_or(""), 160);
            emit(
                &format!("entities/{}.html", e.value.name),
                "entity.html",
                format!("{}: {title}", view.title),
                description,
                context! { entity => view },
                crumbs.clone(),
            );
        }
        for c in &standard.codelists {
            let mut view = builder.codelist(&c.value);
            if !downloads::proposed(c.value.status) {
                view.download = Some(format!(
                    "{base}/downloads/{}",
                    downloads::codelist_file(&c.value.name)
                ));
            }
            let description = markdown::summary(c.value.description.as_deref().unwrap_or(""), 160);
            emit(
                &format!("codelists/{}.html", c.value.name),
                "codelist.html",
                format!("{}: {title}", view.title),
                description,
                context! { codelist => view },
                crumbs.clone(),
            );
        }
        if !standard.rules.is_empty() {
            emit(
                "rules.html",
                "rules.html",
                format!("Validation rules: {title}"),
                format!(
                    "The {} validation rules of {title}, grouped by the entity they check.",
                    standard.rules.len()
                ),
                context! { groups => builder.rules() },
                crumbs.clone(),
            );
        }
        let (changes, summary) = self.changes(job, data, &version, &builder);
        emit(
            "changes.html",
            "changes.html",
            format!("Changes in {title}"),
            format!("What changed in {title}, classified by semantic versioning."),
            context! { changes => changes },
            crumbs.clone(),
        );
        if job.landing {
            let path = format!("{id}/index.html");
            let mut page = self.page(
                &path,
                version.title.clone(),
                version.summary.clone(),
                crumbs[..1].to_vec(),
            );
            page.canonical = self
                .canonical_base
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
            let landing = view(&page.root);
            let context = context! { site => &self.site, page => page, version => landing };
            pages.push(Page {
                path,
                template: "version.html",
                context,
            });
        }
        let mut files = Vec::new();
        for (name, content) in downloads::files(
            catalog,
            standard,
            &job.folder,
            self.canonical_base.as_deref(),
            exports,
        ) {
            files.push((format!("{base}/downloads/{name}"), content));
        }
        if let Some(changes) = &data.changes {
            files.push((
                format!("{base}/{}", downloads::CHANGES),
                changes.json.as_bytes().to_vec(),
            ));
        }
        for (name, _, content) in data.record.iter().flat_map(|r| &r.files) {
            files.push((format!("{base}/downloads/{name}"), content.clone()));
        }
        files.push((
            format!("{base}/search.json"),
            search::shard(standard, &job.folder).into_bytes(),
        ));
        let summary = Summary {
            date,
            time: job.time,
            release: data.record.map(|r| r.release.clone()),
            ..summary
        };
        Ok(VersionOutput {
            pages,
            files,
            summary,
            warning: None,
        })
    }
}

/// The downloads of a version besides those of its catalog: its comparison with the previous
/// release.
fn extra_downloads(job: &Version, data: &VersionData<'_>, base: &str) -> Vec<Download> {
    match (&job.previous, &data.changes) {
        (Some(previous), Some(_)) => vec![downloads::changes_link(base, &previous.version)],
        _ => Vec::new(),
    }
}

impl Site<'_> {
    /// The catalogue entry of a release: what its overview says and every download its
    /// pages list, before its DCAT record (which the caller makes from this and adds, with
    /// the record's own files, as [`VersionData::record`]). `None` for the working tree and
    /// for a release whose commit lacks the standard.
    pub fn release(&self, job: &Version, data: &VersionData<'_>) -> Option<catalogue::Release> {
        job.commit.as_ref()?;
        let standard = data.catalog.standards.get(&job.standard)?;
        let meta = standard.meta.as_ref().map(|m| &m.value);
        let base = format!("{}/{}", job.standard, job.folder);
        let mut links = downloads::links(&base, &job.standard, &job.folder, standard);
        links.extend(extra_downloads(job, data, &base));
        Some(catalogue::Release {
            version: job.folder.clone(),
            title: meta
                .and_then(|m| m.title.clone())
                .unwrap_or_else(|| job.standard.clone()),
            status: meta
                .and_then(|m| m.status)
                .map_or("active", StandardStatus::as_str)
                .to_owned(),
            owner: meta.and_then(|m| m.owner.as_ref()).map(|o| o.name.clone()),
            date: Some(date(job.time)),
            previous: job.previous.as_ref().map(|p| p.version.clone()),
            href: format!("{base}/index.html"),
            search: format!("{base}/search.json"),
            downloads: links
                .into_iter()
                .map(|d| catalogue::Download {
                    media_type: catalogue::media_type(&d.href).to_owned(),
                    title: d.label,
                    href: d.href,
                })
                .collect(),
            dcat: serde_json::Value::Null,
        })
    }
}
