//! Page contexts: the plain, serialisable data each template renders.
//!
//! Everything a page shows is decided here, in Rust, so templates only lay it out and
//! `norm build --dump-context PAGE` can show a template author exactly what they get. Links
//! are site-relative paths (`ssd/1.2.0/entities/ssd_person.html`); templates prefix them with
//! the page's `root`, so the site works from any folder and any host path.

use std::collections::{BTreeMap, BTreeSet};

use norm_model::catalog::{Catalog, Standard};
use norm_model::model::{CodeList, Deprecation, Entity, Field, StandardStatus};
use norm_model::reference::{CodeListRef, FieldRef};

pub use crate::view::*;
pub(crate) use crate::words::relation_words;
pub use crate::words::{code_anchor, constraint_words, escape, rule_anchor};
use crate::{hrefs, markdown};

/// The folder name of the working tree's version.
pub const UNRELEASED: &str = "unreleased";

pub(crate) fn html(text: Option<&str>) -> String {
    text.map(markdown::to_html).unwrap_or_default()
}

pub(crate) fn deprecation(
    d: Option<&Deprecation>,
    resolve: impl Fn(&str) -> Option<Link>,
) -> Option<DeprecationView> {
    d.map(|d| DeprecationView {
        since: d.since.clone(),
        reason_html: html(d.reason.as_deref()),
        replaced_by: d.replaced_by.as_deref().map(|r| {
            resolve(r).unwrap_or(Link {
                label: r.to_owned(),
                href: None,
            })
        }),
        removal: d.removal.clone(),
    })
}

fn anchor_html(href: &str, label: &str, root: &str) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        escape(&hrefs::internal(href, root)),
        escape(label)
    )
}

/// Builds the contexts of one version of one standard from the catalog it was released in.
pub struct VersionBuilder<'a> {
    /// The catalog of the revision.
    pub catalog: &'a Catalog,
    /// The standard.
    pub standard: &'a Standard,
    /// Where elements of other standards (and this one) have pages.
    pub links: &'a Links,
    /// Consumer titles by id.
    consumers: BTreeMap<String, String>,
    /// Fields anywhere in the catalog that reference each entity of this standard.
    inbound: BTreeMap<String, Vec<Inbound>>,
    /// Fields anywhere in the catalog that use each code list of this standard.
    users: BTreeMap<String, Vec<Link>>,
    /// The validation rules about each field, by (entity, field).
    rules: BTreeMap<(String, String), Vec<Link>>,
}

impl<'a> VersionBuilder<'a> {
    /// Indexes the catalog once for the pages of `standard`: who references its entities and
    /// uses its code lists, and what consumers are called.
    pub fn new(catalog: &'a Catalog, standard: &'a Standard, links: &'a Links) -> Self {
        let id = standard.id();
        let mut inbound: BTreeMap<String, Vec<Inbound>> = BTreeMap::new();
        let mut users: BTreeMap<String, Vec<Link>> = BTreeMap::new();
        for (other, e, f) in catalog.fields() {
            let sid = other.id();
            let label = || {
                if sid == id {
                    format!("{}.{}", e.value.name, f.name)
                } else {
                    format!("{sid}/{}.{}", e.value.name, f.name)
                }
            };
            let from = || Link {
                label: label(),
                href: Some(links.field(sid, &e.value.name, Some(&f.name))),
            };
            // Only references to a field this version has: a release may hold a dangling one
            // (lint reports it), and its target page has no anchor to link to.
            if let Some(r) = f
                .references
                .as_deref()
                .and_then(|r| FieldRef::parse(r).ok())
                && r.standard.unwrap_or(sid) == id
                && standard
                    .entity(r.entity)
                    .is_some_and(|e| e.value.fields.iter().any(|t| t.name == r.field))
            {
                inbound
                    .entry(r.entity.to_owned())
                    .or_default()
                    .push(Inbound {
                        from: from(),
                        to: r.field.to_owned(),
                    });
            }
            if let Some(r) = f
                .codelist
                .as_deref()
                .and_then(|r| CodeListRef::parse(r).ok())
                && r.standard.unwrap_or(sid) == id
            {
                users.entry(r.name.to_owned()).or_default().push(from());
            }
        }
        inbound.values_mut().for_each(|v| v.sort());
        users.values_mut().for_each(|v| v.sort());
        let consumers = catalog
            .config
            .as_ref()
            .map(|c| {
                c.value
                    .consumers
                    .iter()
                    .map(|c| {
                        (
                            c.id.clone(),
                            c.title.clone().unwrap_or_else(|| c.id.clone()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        VersionBuilder {
            catalog,
            standard,
            links,
            consumers,
            inbound,
            users,
            rules: crate::rules::by_field(standard, links),
        }
    }

    fn id(&self) -> &str {
        self.standard.id()
    }

    pub(crate) fn consumer_title(&self, id: &str) -> String {
        self.consumers
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_owned())
    }

    fn codelist_link(&self, reference: &str) -> Link {
        let href = CodeListRef::parse(reference).ok().and_then(|r| {
            let standard = r.standard.unwrap_or(self.id());
            self.catalog
                .find_codelist(self.id(), reference)
                .map(|_| self.links.codelist(standard, r.name))
        });
        Link {
            label: reference.to_owned(),
            href,
        }
    }

    fn field_link(&self, reference: &str) -> Link {
        let href = FieldRef::parse(reference).ok().and_then(|r| {
            let standard = r.standard.unwrap_or(self.id());
            self.catalog
                .find_field(self.id(), reference)
                .ok()
                .map(|_| self.links.field(standard, r.entity, Some(r.field)))
        });
        Link {
            label: reference.to_owned(),
            href,
        }
    }

    /// Resolves a `replaced_by` (a field, entity, code list, or code of a list) to a link.
    fn replacement(&self, reference: &str) -> Option<Link> {
        if reference.contains('.') {
            return Some(self.field_link(reference)).filter(|l| l.href.is_some());
        }
        if self.standard.entity(reference).is_some() {
            return Some(Link {
                label: reference.to_owned(),
                href: Some(self.links.field(self.id(), reference, None)),
            });
        }
        Some(self.codelist_link(reference)).filter(|l| l.href.is_some())
    }

    fn field_view(&self, entity: &Entity, f: &Field) -> FieldView {
        FieldView {
            name: f.name.clone(),
            item: f.item.clone(),
            title: f.title.clone(),
            column: f.column.clone(),
            description_html: html(f.description.as_deref()),
            type_name: f
                .field_type
                .map_or("unknown", |t| t.as_str())
                .replace('_', " "),
            required: f.required,
            multiple: f.multiple,
            key: entity.primary_key.contains(&f.name),
            codelist: f.codelist.as_deref().map(|c| self.codelist_link(c)),
            references: f.references.as_deref().map(|r| self.field_link(r)),
            constraints: f
                .constraints
                .as_ref()
                .map(constraint_words)
                .unwrap_or_default(),
            examples: f.examples.clone(),
            status: Tag::status(f.status),
            deprecation: deprecation(f.deprecation.as_ref(), |r| self.replacement(r)),
            mappings: f
                .mappings
                .iter()
                .map(|m| MappingView {
                    relation: relation_words(m.relation),
                    target: match (&m.to, &m.external) {
                        (Some(to), _) => self.field_link(to),
                        (None, Some(ext)) => Link {
                            label: ext.clone(),
                            href: None,
                        },
                        (None, None) => Link {
                            label: String::new(),
                            href: None,
                        },
                    },
                })
                .collect(),
            consumers: f.used_by.iter().map(|c| self.consumer_title(c)).collect(),
            since: f.since.clone(),
            renamed_from: f.renamed_from.clone(),
            rules: self
                .rules
                .get(&(entity.name.clone(), f.name.clone()))
                .cloned()
                .unwrap_or_default(),
        }
    }

    /// The context of an entity page.
    pub fn entity(&self, entity: &Entity) -> EntityView {
        let fields: Vec<FieldView> = entity
            .fields
            .iter()
            .map(|f| self.field_view(entity, f))
            .collect();
        let references_out = fields
            .iter()
            .filter_map(|f| {
                f.references.as_ref().map(|r| Inbound {
                    from: r.clone(),
                    to: f.name.clone(),
                })
            })
            .collect();
        let consumers: BTreeSet<&String> = fields.iter().flat_map(|f| &f.consumers).collect();
        EntityView {
            name: entity.name.clone(),
            title: entity.title.clone().unwrap_or_else(|| entity.name.clone()),
            description_html: html(entity.description.as_deref()),
            status: Tag::status(entity.status),
            deprecation: deprecation(entity.deprecation.as_ref(), |r| self.replacement(r)),
            primary_key: entity.primary_key.clone(),
            unique_keys: entity.unique_keys.clone(),
            renamed_from: entity.renamed_from.clone(),
            data_names: entity
                .data
                .as_ref()
                .map(|d| d.names.clone())
                .unwrap_or_default(),
            referenced_by: self.inbound.get(&entity.name).cloned().unwrap_or_default(),
            consumers: consumers.into_iter().cloned().collect(),
            references_out,
            fields,
        }
    }

    /// The context of a code list page.
    pub fn codelist(&self, list: &CodeList) -> CodeListView {
        let used_by = self.users.get(&list.name).cloned().unwrap_or_default();
        CodeListView {
            name: list.name.clone(),
            title: list.title.clone().unwrap_or_else(|| list.name.clone()),
            description_html: html(list.description.as_deref()),
            item: list.item.clone(),
            extensible: list.extensible,
            source: list.source.as_ref().map(|s| Link {
                label: s.title.clone(),
                href: s.url.clone(),
            }),
            status: Tag::status(list.status),
            deprecation: deprecation(list.deprecation.as_ref(), |r| {
                Some(self.codelist_link(r)).filter(|l| l.href.is_some())
            }),
            codes: list
                .codes
                .iter()
                .map(|c| CodeView {
                    anchor: code_anchor(&c.code),
                    code: c.code.clone(),
                    label: c.label.clone().unwrap_or_default(),
                    description_html: html(c.description.as_deref()),
                    status: Tag::status(c.status),
                    deprecation: deprecation(c.deprecation.as_ref(), |r| {
                        list.codes.iter().any(|x| x.code == r).then(|| Link {
                            label: r.to_owned(),
                            href: Some(format!(
                                "{}#{}",
                                self.links.codelist(self.id(), &list.name),
                                code_anchor(r)
                            )),
                        })
                    }),
                    since: c.since.clone(),
                })
                .collect(),
            used_by,
            download: None,
        }
    }

    /// The context every page of the version shares: metadata, contents, downloads.
    pub fn version(&self, folder: &str, date: Option<String>, root: &str) -> VersionView {
        let meta = self.standard.meta.as_ref().map(|m| &m.value);
        let id = self.id().to_owned();
        let version = meta
            .and_then(|m| m.version.clone())
            .unwrap_or_else(|| "0.0.0".to_owned());
        let status = meta
            .and_then(|m| m.status)
            .map_or("active", StandardStatus::as_str);
        let mut metadata = vec![Row {
            key: "Version".into(),
            value_html: escape(&version),
        }];
        if let Some(date) = &date {
            metadata.push(Row {
                key: "Released".into(),
                value_html: escape(date),
            });
        }
        if let Some(m) = meta {
            if let Some(owner) = &m.owner {
                metadata.push(Row {
                    key: "Owner".into(),
                    value_html: hrefs::owner_html(owner),
                });
            }
            if let Some(l) = &m.licence {
                metadata.push(Row {
                    key: "Licence".into(),
                    value_html: escape(l),
                });
            }
            if let Some(c) = m.compatibility {
                metadata.push(Row {
                    key: "Compatibility".into(),
                    value_html: escape(&format!("{c:?}").to_lowercase()),
                });
            }
            if !m.requires.is_empty() {
                metadata.push(Row {
                    key: "Requires".into(),
                    value_html: m
                        .requires
                        .iter()
                        .map(|(s, range)| {
                            format!(
                                "{} {}",
                                anchor_html(&format!("{s}/index.html"), s, root),
                                escape(range)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            if !m.sources.is_empty() {
                metadata.push(Row {
                    key: "Sources".into(),
                    value_html: m
                        .sources
                        .iter()
                        .map(|s| {
                            let title = escape(&s.title);
                            let link = match s.url.as_deref().and_then(hrefs::external) {
                                Some(u) => format!("<a href=\"{}\">{title}</a>", escape(&u)),
                                None => title,
                            };
                            let who = [s.publisher.as_deref(), s.licence.as_deref()]
                                .into_iter()
                                .flatten()
                                .map(escape)
                                .collect::<Vec<_>>()
                                .join(", ");
                            if who.is_empty() {
                                link
                            } else {
                                format!("{link} ({who})")
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("<br>"),
                });
            }
        }
        let base = format!("{id}/{folder}");
        VersionView {
            title: meta
                .and_then(|m| m.title.clone())
                .unwrap_or_else(|| id.clone()),
            summary: meta
                .and_then(|m| m.summary.as_deref())
                .map(markdown::to_plain)
                .unwrap_or_default(),
            description_html: html(meta.and_then(|m| m.description.as_deref())),
            status: Tag::new(status),
            entities: self
                .standard
                .entities
                .iter()
                .map(|e| ElementRow {
                    name: e.value.name.clone(),
                    title: e
                        .value
                        .title
                        .clone()
                        .unwrap_or_else(|| e.value.name.clone()),
                    href: format!("{base}/entities/{}.html", e.value.name),
                    summary: e
                        .value
                        .description
                        .as_deref()
                        .map(|d| markdown::summary(d, 160))
                        .unwrap_or_default(),
                    status: Tag::status(e.value.status),
                    count: e.value.fields.len(),
                })
                .collect(),
            codelists: self
                .standard
                .codelists
                .iter()
                .map(|c| ElementRow {
                    name: c.value.name.clone(),
                    title: c
                        .value
                        .title
                        .clone()
                        .unwrap_or_else(|| c.value.name.clone()),
                    href: format!("{base}/codelists/{}.html", c.value.name),
                    summary: c
                        .value
                        .description
                        .as_deref()
                        .map(|d| markdown::summary(d, 160))
                        .unwrap_or_default(),
                    status: Tag::status(c.value.status),
                    count: c.value.codes.len(),
                })
                .collect(),
            rules: self.standard.rules.len(),
            downloads: crate::downloads::links(&base, &id, folder, self.standard),
            metadata,
            id,
            folder: folder.to_owned(),
            version,
            released: folder != UNRELEASED,
            date,
        }
    }
}
