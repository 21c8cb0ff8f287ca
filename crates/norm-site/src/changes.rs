//! The context of a version's changes page: the change set its caller compared, exactly as
//! `norm diff` reports it, laid out for readers.

use minijinja::{Value, context};
use norm_model::catalog::Catalog;
use norm_model::{Element, ElementPath};

use crate::context::{self, Links, VersionView};
use crate::{Site, Summary, Version, VersionData};

impl Site<'_> {
    /// The context of a version's changes page, and its changelog summary.
    pub(crate) fn changes(
        &self,
        job: &Version,
        data: &VersionData<'_>,
        version: &VersionView,
        links: &Links,
    ) -> (Value, Summary) {
        let mut summary = Summary {
            folder: job.folder.clone(),
            version: version.version.clone(),
            required_bump: "none".into(),
            ..Summary::default()
        };
        let (Some(previous), Some(changes)) = (&job.previous, &data.changes) else {
            return (
                context! { previous => Value::from(()), sections => Vec::<Value>::new(), required_bump => "none", policy_errors => Vec::<Value>::new() },
                summary,
            );
        };
        let prev_version = &previous.version;
        summary.previous = Some(prev_version.clone());
        let Some(sd) = changes.set.standards.iter().find(|s| s.id == job.standard) else {
            return (
                context! { previous => prev_version, sections => Vec::<Value>::new(), required_bump => "none", policy_errors => Vec::<Value>::new() },
                summary,
            );
        };
        let catalog = data.catalog;
        let old = data.previous;
        let prev_links = old.map(|o| self.links(o, false));
        let mut sections = Vec::new();
        for name in norm_diff::SECTIONS {
            let changes: Vec<Value> = sd
                .changes
                .iter()
                .filter(|c| c.section() == name)
                .map(|c| {
                    let href = element_href(&c.path, links, catalog).or_else(|| {
                        old.zip(prev_links.as_ref())
                            .and_then(|(o, l)| element_href(&c.path, l, o))
                    });
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
        (
            context! {
                previous => prev_version,
                sections => sections,
                required_bump => &summary.required_bump,
                declared_bump => format!("{:?}", sd.declared_bump).to_lowercase(),
                verdict => format!("{:?}", sd.verdict).to_lowercase(),
                policy_errors => &sd.policy_errors,
            },
            summary,
        )
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
