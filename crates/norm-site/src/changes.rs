//! The context of a version's changes page: the change set its caller compared, exactly as
//! `norm diff` reports it, laid out for readers.

use minijinja::{Value, context};
use norm_diff::{Change, Impact};
use norm_model::catalog::{Catalog, natural_order};
use norm_model::config::Bump;
use norm_model::{Element, ElementKind, ElementPath};
use serde::Serialize;

use crate::context::{self, Link, Links, VersionBuilder, VersionView};
use crate::{Site, Summary, Version, VersionData, textdiff};

/// What a change means for the people who use the standard, by its section, instead of the
/// rule's id and its developer's summary (which `changes.json` keeps).
fn plain_words(change: &Change) -> &'static str {
    match (change.section(), change.bump) {
        ("Breaking", _) => {
            "Existing data or systems may no longer fit: check them before you adopt this version."
        }
        ("Added", _) => "An addition: existing data stays valid, and systems can ignore it.",
        ("Deprecated", _) => {
            "Still valid in this version, but planned for removal: stop using it in new work."
        }
        ("Editorial", _) => "Wording or documentation only: no data or system has to change.",
        (_, Bump::None) => "No effect on data or systems.",
        _ => "A compatible change: existing data stays valid.",
    }
}

/// A standard's title, or its id when it has none or is not in `catalog`.
fn standard_title(catalog: &Catalog, id: &str) -> String {
    catalog
        .standards
        .get(id)
        .and_then(|s| s.meta.as_ref())
        .and_then(|m| m.value.title.clone())
        .unwrap_or_else(|| id.to_owned())
}

/// Who a change affects, in words: consumers and standards by title, fields as links.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct ImpactView {
    consumers: Vec<String>,
    dependents: Vec<Link>,
    rules: Vec<Link>,
    standards: Vec<DependentView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct DependentView {
    title: String,
    href: String,
    range: Option<String>,
    admits_new_version: bool,
}

/// Consecutive changes to codes of one list with the same impact, shown with one "who is
/// affected" block.
#[derive(Debug, Clone, Serialize)]
struct Group {
    /// The list's title and page, when the group holds more than one code.
    list: Option<Link>,
    changes: Vec<Value>,
    impact: Option<ImpactView>,
}

/// Who `impact` names, in words; `href` gives an element's page.
fn impact_view(
    impact: &Impact,
    builder: &VersionBuilder<'_>,
    href: &dyn Fn(&ElementPath) -> Option<String>,
) -> Option<ImpactView> {
    if impact.is_empty() {
        return None;
    }
    let catalog = builder.catalog;
    let (rules, fields): (Vec<&ElementPath>, Vec<&ElementPath>) = impact
        .dependents
        .iter()
        .partition(|d| d.kind() == ElementKind::Rule);
    Some(ImpactView {
        consumers: impact
            .consumers
            .iter()
            .map(|c| builder.consumer_title(c))
            .collect(),
        rules: rules
            .into_iter()
            .map(|r| Link {
                label: format!(
                    "rule {} ({})",
                    r.name(),
                    standard_title(catalog, r.standard_id())
                ),
                href: href(r),
            })
            .collect(),
        dependents: fields
            .into_iter()
            .map(|d| {
                let name = d
                    .entity_name()
                    .map(|(_, e)| format!("{e}.{}", d.name()))
                    .unwrap_or_else(|| d.name().to_owned());
                Link {
                    label: format!("{name} ({})", standard_title(catalog, d.standard_id())),
                    href: href(d),
                }
            })
            .collect(),
        standards: impact
            .standards
            .iter()
            .map(|s| DependentView {
                title: standard_title(catalog, &s.id),
                href: format!("{}/index.html", s.id),
                range: s.range.clone(),
                admits_new_version: s.admits_new_version,
            })
            .collect(),
    })
}

impl Site<'_> {
    /// The context of a version's changes page, and its changelog summary.
    pub(crate) fn changes(
        &self,
        job: &Version,
        data: &VersionData<'_>,
        version: &VersionView,
        builder: &VersionBuilder<'_>,
    ) -> (Value, Summary) {
        let mut summary = Summary {
            folder: job.folder.clone(),
            version: version.version.clone(),
            required_bump: "none".into(),
            ..Summary::default()
        };
        let (Some(previous), Some(changes)) = (&job.previous, &data.changes) else {
            return (
                context! { previous => Value::from(()), rules => Value::from(()), sections => Vec::<Value>::new(), required_bump => "none", policy_errors => Vec::<Value>::new() },
                summary,
            );
        };
        let prev_version = &previous.version;
        summary.previous = Some(prev_version.clone());
        let Some(sd) = changes.set.standards.iter().find(|s| s.id == job.standard) else {
            return (
                context! { previous => prev_version, rules => Value::from(()), sections => Vec::<Value>::new(), required_bump => "none", policy_errors => Vec::<Value>::new() },
                summary,
            );
        };
        let catalog = data.catalog;
        let old = data.previous;
        let prev_links = old.map(|o| self.links(o, false));
        let href = |path: &ElementPath| {
            element_href(path, builder.links, catalog).or_else(|| {
                old.zip(prev_links.as_ref())
                    .and_then(|(o, l)| element_href(path, l, o))
            })
        };
        let element_title = |path: &ElementPath| {
            catalog
                .element(path)
                .or_else(|| old.and_then(|o| o.element(path)))
                .and_then(|e| e.title().map(str::to_owned))
        };
        let element_label =
            |path: &ElementPath| element_title(path).unwrap_or_else(|| path.name().to_owned());
        // The entity a rule reports on, in the version that has the rule.
        let rule_entity = |path: &ElementPath| {
            let rule = |c: &Catalog| {
                c.standards
                    .get(path.standard_id())
                    .and_then(|s| s.rule(path.name()))
                    .and_then(|r| r.value.entity.clone())
            };
            rule(catalog)
                .or_else(|| old.and_then(rule))
                .map(|e| ElementPath::entity(path.standard_id(), &e))
        };
        let mut sections = Vec::new();
        for name in norm_diff::SECTIONS {
            let in_section: Vec<&Change> =
                sd.changes.iter().filter(|c| c.section() == name).collect();
            if in_section.is_empty() {
                continue;
            }
            // Said once under the heading when every change of the section means the same.
            let words = plain_words(in_section[0]);
            let shared = in_section.iter().all(|c| plain_words(c) == words);
            let mut owners: Vec<(Owner, Vec<&Change>)> = Vec::new();
            for c in &in_section {
                let owner = Owner::of(&c.path, &rule_entity);
                match owners.iter_mut().find(|(o, _)| *o == owner) {
                    Some((_, changes)) => changes.push(c),
                    None => owners.push((owner, vec![c])),
                }
            }
            // As the version's overview lists them, not in the order the rules' codes give.
            owners.sort_by(|(a, _), (b, _)| a.order(b));
            let owners: Vec<Value> = owners
                .into_iter()
                .map(|(owner, changes)| {
                    let (label, name, page) = match &owner {
                        Owner::Element(path) => {
                            let label = element_label(path);
                            let name = (path.kind() != ElementKind::Standard
                                && label != path.name())
                            .then(|| path.name().to_owned());
                            let page = href(path).map(|h| strip_anchor(&h).to_owned());
                            (label, name, page)
                        }
                        Owner::Rules(entity) => {
                            let page = changes
                                .first()
                                .and_then(|c| href(&c.path))
                                .map(|h| strip_anchor(&h).to_owned());
                            match entity {
                                Some(e) => (
                                    format!("Validation rules on {}", element_label(e)),
                                    None,
                                    page.map(|p| format!("{p}#entity-{}", e.name())),
                                ),
                                None => ("Validation rules".to_owned(), None, page),
                            }
                        }
                    };
                    context! {
                        label => label,
                        name => name,
                        href => page,
                        count => changes.len(),
                        groups => groups(&changes, builder, &href, &element_label, !shared),
                    }
                })
                .collect();
            summary.sections.push((
                name.to_owned(),
                in_section.iter().map(|c| code_spans(&c.message)).collect(),
            ));
            sections.push(context! {
                name => name,
                id => name.to_lowercase(),
                count => in_section.len(),
                words => shared.then_some(words),
                owners => owners,
            });
        }
        summary.required_bump = format!("{:?}", sd.required_bump).to_lowercase();
        (
            context! {
                previous => prev_version,
                rules => rule_list(&sd.changes, &href, &element_title),
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

/// What changes are listed under on the page: the entity or code list they are about, the
/// validation rules on one entity (or on none), or the standard itself.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Owner {
    Element(ElementPath),
    Rules(Option<ElementPath>),
}

impl Owner {
    fn of(path: &ElementPath, rule_entity: &dyn Fn(&ElementPath) -> Option<ElementPath>) -> Owner {
        match path.kind() {
            ElementKind::Rule => Owner::Rules(rule_entity(path)),
            ElementKind::Field | ElementKind::Code => {
                Owner::Element(path.parent().unwrap_or_else(|| path.clone()))
            }
            _ => Owner::Element(path.clone()),
        }
    }

    /// The standard first, then its entities, code lists, and rules by entity, each in the
    /// natural order of names.
    fn order(&self, other: &Owner) -> std::cmp::Ordering {
        self.rank()
            .cmp(&other.rank())
            .then_with(|| natural_order(self.name(), other.name()))
    }

    fn rank(&self) -> u8 {
        match self {
            Owner::Element(p) => match p.kind() {
                ElementKind::Standard => 0,
                ElementKind::Entity => 1,
                _ => 2,
            },
            Owner::Rules(Some(_)) => 3,
            Owner::Rules(None) => 4,
        }
    }

    fn name(&self) -> &str {
        match self {
            Owner::Element(p) | Owner::Rules(Some(p)) => p.name(),
            Owner::Rules(None) => "",
        }
    }
}

/// `href` without its `#fragment`: the page of an element's owner.
fn strip_anchor(href: &str) -> &str {
    href.split_once('#').map_or(href, |(page, _)| page)
}

/// The changes of one owner, consecutive changes to codes of one list with the same impact
/// in one group; each change says what it means when `words` is set (its section's
/// changes do not all mean the same).
fn groups(
    changes: &[&Change],
    builder: &VersionBuilder<'_>,
    href: &dyn Fn(&ElementPath) -> Option<String>,
    label: &dyn Fn(&ElementPath) -> String,
    words: bool,
) -> Vec<Group> {
    let mut groups: Vec<(Option<ElementPath>, Group)> = Vec::new();
    for c in changes {
        let view = context! {
            bump => format!("{:?}", c.bump).to_lowercase(),
            bump_words => words.then(|| plain_words(c)),
            message_html => code_spans(&c.message),
            href => href(&c.path),
            rename => &c.rename,
            text_html => c.text.as_ref().map(|t| textdiff::html(&t.old, &t.new)),
            proposed => c.proposed,
            accepted => &c.accepted,
            fingerprint => &c.fingerprint,
        };
        let impact = impact_view(&c.impact, builder, href);
        let list = (c.path.kind() == ElementKind::Code)
            .then(|| c.path.parent())
            .flatten();
        match groups.last_mut() {
            Some((Some(l), g)) if list.as_ref() == Some(l) && g.impact == impact => {
                g.changes.push(view);
            }
            _ => groups.push((
                list,
                Group {
                    list: None,
                    changes: vec![view],
                    impact,
                },
            )),
        }
    }
    groups
        .into_iter()
        .map(|(list, mut g)| {
            if g.changes.len() > 1 {
                g.list = list.map(|l| Link {
                    label: label(&l),
                    href: href(&l),
                });
            }
            g
        })
        .collect()
}

/// The validation rules that changed, as the DfE lists them each year: new, amended and
/// deleted, each once however many of its keys changed.
#[derive(Debug, Default, Serialize)]
struct RuleList {
    added: Vec<Link>,
    amended: Vec<Link>,
    deleted: Vec<Link>,
}

fn rule_list(
    changes: &[Change],
    href: &dyn Fn(&ElementPath) -> Option<String>,
    title: &dyn Fn(&ElementPath) -> Option<String>,
) -> Option<RuleList> {
    let mut list = RuleList::default();
    let mut seen = std::collections::BTreeSet::new();
    for c in changes
        .iter()
        .filter(|c| c.path.kind() == ElementKind::Rule)
    {
        if !seen.insert(&c.path) {
            continue;
        }
        let code = match &c.rename {
            Some((old, new)) => format!("{new} (was {old})"),
            None => c.path.name().to_owned(),
        };
        let link = Link {
            label: match title(&c.path) {
                Some(t) => format!("{code}: {t}"),
                None => code,
            },
            href: href(&c.path),
        };
        match c.rule {
            "rule-added-error" | "rule-added-query" => list.added.push(link),
            "rule-removed" => list.deleted.push(link),
            _ => list.amended.push(link),
        }
    }
    (!seen.is_empty()).then_some(list)
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
    if let ElementPath::Rule { rule, .. } = path {
        standard.rule(rule)?;
        return Some(format!(
            "{id}/{folder}/rules.html#{}",
            context::rule_anchor(rule)
        ));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_follow_the_overview_not_the_order_of_changes() {
        let entity = |e: &str| ElementPath::entity("a", e);
        let mut owners = vec![
            Owner::Rules(None),
            Owner::Rules(Some(entity("list_10"))),
            Owner::Rules(Some(entity("list_2"))),
            Owner::Element(ElementPath::codelist("a", "sex")),
            Owner::Element(entity("list_10")),
            Owner::Element(entity("list_2")),
            Owner::Element(ElementPath::standard("a")),
        ];
        owners.sort_by(Owner::order);
        assert_eq!(
            owners,
            [
                Owner::Element(ElementPath::standard("a")),
                Owner::Element(entity("list_2")),
                Owner::Element(entity("list_10")),
                Owner::Element(ElementPath::codelist("a", "sex")),
                Owner::Rules(Some(entity("list_2"))),
                Owner::Rules(Some(entity("list_10"))),
                Owner::Rules(None),
            ]
        );
    }
}
