//! The pages of one version of one standard: overview, entities, code lists, changes,
//! downloads and search shard.

use std::collections::BTreeSet;

use minijinja::{Value, context};
use norm_model::catalog::Catalog;
use norm_model::{Element, ElementPath};

use crate::context::{self, Link, Links, UNRELEASED, VersionBuilder};
use crate::{Banner, Build, File, Job, SiteError, Summary, date, depth_root};
use crate::{downloads, markdown, search};

impl Build<'_> {
    /// The pages and files of one version, with its changelog summary. With `dump`, renders
    /// nothing and returns the context of that one page instead (`--dump-context`).
    pub(crate) fn version_pages(
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
}

/// `message` as HTML, with its backticked names as `<code>`.
fn code_spans(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        let text = context::escape(part);
        if i % 2 == 1 {
            out.push_str(&format!("<code>{text}</code>"));
        } else {
            out.push_str(&text);
        }
    }
    out
}

/// The page of a change's element where `links` gives it one: the element's own page, with
/// the anchor of a field or code that still exists in `catalog`.
fn element_href(path: &ElementPath, links: &Links, catalog: &Catalog) -> Option<String> {
    let standard = catalog.standards.get(path.standard_id())?;
    let folder = links.folders.get(standard.id())?;
    let id = standard.id();
    if let Some((_, e)) = path.entity_name() {
        standard.entity(e)?;
        let anchor = match catalog.element(path) {
            Some(Element::Field(.., f)) => format!("#{}", f.name),
            _ => String::new(),
        };
        return Some(format!("{id}/{folder}/entities/{e}.html{anchor}"));
    }
    if let Some((_, c)) = path.codelist_name() {
        standard.codelist(c)?;
        let anchor = match catalog.element(path) {
            Some(Element::Code(.., code)) => format!("#{}", context::code_anchor(&code.code)),
            _ => String::new(),
        };
        return Some(format!("{id}/{folder}/codelists/{c}.html{anchor}"));
    }
    Some(format!("{id}/{folder}/index.html"))
}
