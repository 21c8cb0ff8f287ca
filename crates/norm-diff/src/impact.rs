//! Who is affected by each change: dependent fields and validation rules, dependent standards,
//! consumers.

use std::collections::{BTreeSet, HashMap};

use norm_model::config::{Config, ConsumerKind};
use norm_model::{Catalog, Element, ElementPath};

use crate::{DependentStandard, StandardDiff};

/// A field, by its standard's id, its entity's name and its own, borrowed from a catalog: the
/// index makes no path and copies no name, however many fields the catalog has.
type FieldKey<'a> = (&'a str, &'a str, &'a str);

fn field_path((standard, entity, field): FieldKey<'_>) -> ElementPath {
    ElementPath::field(standard, entity, field)
}

/// What points at what in one catalog.
pub(crate) struct Index<'a> {
    catalog: &'a Catalog,
    /// Field → the fields that reference or map to it.
    field_users: HashMap<FieldKey<'a>, Vec<FieldKey<'a>>>,
    /// Code list, as (standard, list) → the fields that use it.
    list_users: HashMap<(&'a str, &'a str), Vec<FieldKey<'a>>>,
    /// Field → the validation rules about it (its `fields`), as (standard, code).
    rule_users: HashMap<FieldKey<'a>, Vec<(&'a str, &'a str)>>,
}

impl<'a> Index<'a> {
    pub(crate) fn build(catalog: &'a Catalog) -> Index<'a> {
        let mut index = Index {
            catalog,
            field_users: HashMap::new(),
            list_users: HashMap::new(),
            rule_users: HashMap::new(),
        };
        for (standard, rule) in catalog.rules() {
            let rule = &rule.value;
            let Some(entity) = rule.entity.as_deref() else {
                continue;
            };
            for field in &rule.fields {
                let key = (standard.id(), entity, field.as_str());
                let user = (standard.id(), rule.code.as_str());
                index.rule_users.entry(key).or_default().push(user);
            }
        }
        for (standard, entity, f) in catalog.fields() {
            let id = standard.id();
            let user = (id, entity.value.name.as_str(), f.name.as_str());
            let targets = f
                .references
                .iter()
                .filter_map(|r| catalog.resolve_field(id, r).ok())
                .chain(
                    f.mappings
                        .iter()
                        .filter_map(|m| catalog.find_field(id, m.to.as_deref()?).ok()),
                );
            for (s, te, i) in targets {
                let target = (
                    s.id(),
                    te.value.name.as_str(),
                    te.value.fields[i].name.as_str(),
                );
                index.field_users.entry(target).or_default().push(user);
            }
            if let Some((s, list)) = f
                .codelist
                .as_deref()
                .and_then(|r| catalog.resolve_codelist(id, r).ok())
            {
                index
                    .list_users
                    .entry((s.id(), list.value.name.as_str()))
                    .or_default()
                    .push(user);
            }
        }
        index
    }

    /// The fields affected by a change at `path`: the element's own fields and their users.
    fn affected(&self, path: &ElementPath) -> (Vec<FieldKey<'a>>, Vec<FieldKey<'a>>) {
        if let Some(users) = path.codelist_name().and_then(|l| self.list_users.get(&l)) {
            return (Vec::new(), users.clone());
        }
        let own: Vec<FieldKey<'a>> = match (self.catalog.element(path), path.kind()) {
            (Some(Element::Entity(s, e)), _) => e
                .value
                .fields
                .iter()
                .map(|f| (s.id(), e.value.name.as_str(), f.name.as_str()))
                .collect(),
            (Some(Element::Field(s, e, f)), _) => {
                vec![(s.id(), e.value.name.as_str(), f.name.as_str())]
            }
            // A rule reaches whoever uses the fields it is about.
            (Some(Element::Rule(s, r)), _) => match r.value.entity.as_deref() {
                Some(entity) => r
                    .value
                    .fields
                    .iter()
                    .map(|f| (s.id(), entity, f.as_str()))
                    .collect(),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        let users = own
            .iter()
            .flat_map(|f| self.field_users.get(f).cloned().unwrap_or_default())
            .collect();
        (own, users)
    }

    /// The validation rules about the fields `own`.
    fn rules_about(&self, own: &[FieldKey<'a>]) -> Vec<ElementPath> {
        own.iter()
            .flat_map(|f| self.rule_users.get(f).into_iter().flatten())
            .map(|(standard, code)| ElementPath::rule(standard, code))
            .collect()
    }

    /// The `used_by` of a field of the catalog.
    fn used_by(&self, (standard, entity, field): FieldKey<'_>) -> &'a [String] {
        self.catalog
            .standards
            .get(standard)
            .and_then(|s| s.entity(entity))
            .and_then(|e| e.value.fields.iter().find(|f| f.name == field))
            .map_or(&[], |f| f.used_by.as_slice())
    }
}

/// The indexes of both sides, each built once per diff and only when a change needs it.
pub(crate) struct Indexes<'a> {
    old: &'a Catalog,
    new: &'a Catalog,
    old_index: std::sync::OnceLock<Index<'a>>,
    new_index: std::sync::OnceLock<Index<'a>>,
}

impl<'a> Indexes<'a> {
    pub(crate) fn new(old: &'a Catalog, new: &'a Catalog) -> Self {
        Indexes {
            old,
            new,
            old_index: std::sync::OnceLock::new(),
            new_index: std::sync::OnceLock::new(),
        }
    }

    /// The index of the new side, or of the old side for elements that are gone.
    fn side(&self, new: bool) -> &Index<'a> {
        if new {
            self.new_index.get_or_init(|| Index::build(self.new))
        } else {
            self.old_index.get_or_init(|| Index::build(self.old))
        }
    }
}

/// Fills the impact of every change of `sd`.
pub(crate) fn fill(indexes: &Indexes<'_>, sd: &mut StandardDiff, config: &Config) {
    if sd.changes.is_empty() {
        return;
    }
    let new = indexes.new;
    let new_version = new
        .standards
        .get(&sd.id)
        .and_then(|s| s.version())
        .map(|v| semver::Version::new(v.major, v.minor, v.patch));
    let kind_of = |id: &str| -> (u8, String) {
        let kind = config
            .consumers
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.kind)
            // `ConsumerKind` is declared in report order: statutory returns first.
            .map_or(u8::MAX, |k: ConsumerKind| k as u8);
        (kind, id.to_owned())
    };
    for change in &mut sd.changes {
        // Removed elements are found on the old side; everything else on the new side.
        let index = indexes.side(change.new.is_some());
        let (own, users) = index.affected(&change.path);
        let mut consumers: BTreeSet<(u8, String)> = BTreeSet::new();
        for field in own.iter().chain(&users) {
            for c in index.used_by(*field) {
                consumers.insert(kind_of(c));
            }
        }
        let mut standards: BTreeSet<DependentStandard> = BTreeSet::new();
        for (standard, ..) in users.iter().filter(|(s, ..)| *s != sd.id) {
            let range = new
                .standards
                .get(*standard)
                .and_then(|s| s.meta.as_ref())
                .and_then(|m| m.value.requires.get(&sd.id).cloned());
            let admits = match (&range, &new_version) {
                (Some(r), Some(v)) => semver::VersionReq::parse(r).is_ok_and(|req| req.matches(v)),
                _ => false,
            };
            standards.insert(DependentStandard {
                id: (*standard).to_owned(),
                range,
                admits_new_version: admits,
            });
        }
        // Listed in the order of their text, as the reports always have.
        // Rules about the same fields do not depend on one another.
        let rules = match change.path.kind() {
            norm_model::ElementKind::Rule => Vec::new(),
            _ => index.rules_about(&own),
        };
        let dependents: BTreeSet<(String, ElementPath)> = users
            .into_iter()
            .map(field_path)
            .chain(rules)
            .filter(|f| *f != change.path)
            .map(|f| (f.to_string(), f))
            .collect();
        change.impact.dependents = dependents.into_iter().map(|(_, f)| f).collect();
        change.impact.standards = standards.into_iter().collect();
        change.impact.consumers = consumers.into_iter().map(|(_, id)| id).collect();
    }
}
