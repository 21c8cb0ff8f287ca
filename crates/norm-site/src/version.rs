//! The pages of one version of one standard: overview, entities, code lists, validation rules,
//! changes, downloads and search shard.

use minijinja::{Value, context};

use crate::context::{Link, UNRELEASED, VersionBuilder};
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
        // Each export is made once: its files are written and its descriptor is linked.
        let exports = downloads::exports(
            catalog,
            standard,
            &job.folder,
            self.canonical_base.as_deref(),
        );
        let mut extra = downloads::export_links(&base, &exports);
        if let (Some(previous), Some(_)) = (&job.previous, &data.changes) {
            extra.push(downloads::changes_link(&base, &previous.version));
        }
        // The catalogue entry and DCAT record list every other download the page shows.
        let mut listed = downloads::links(&base, id, &job.folder, standard);
        listed.extend(extra.iter().cloned());
        let record = self.record(job, standard, &base, &listed);
        extra.extend(record.iter().flat_map(|r| r.links.iter().cloned()));
        // The overview's HTML links are rooted at the page that shows it: the version folder's
        // pages, or the landing page one folder up.
        let view = |root: &str| {
            let mut version = builder.version(&job.folder, date.clone(), root);
            version.downloads.extend(extra.iter().cloned());
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
        let (release, notes) = match record {
            Some(r) => {
                for (name, content) in r.files {
                    files.push((format!("{base}/downloads/{name}"), content));
                }
                // What the records lack is said of the latest release only: an older
                // release's record stays as published, and only a new release can add to it.
                let notes = if job.landing { r.notes } else { Vec::new() };
                (Some(r.release), notes)
            }
            None => (None, Vec::new()),
        };
        files.push((
            format!("{base}/search.json"),
            search::shard(standard, &job.folder).into_bytes(),
        ));
        let summary = Summary {
            date,
            time: job.time,
            release,
            ..summary
        };
        Ok(VersionOutput {
            pages,
            files,
            summary,
            warning: None,
            notes,
        })
    }
}
