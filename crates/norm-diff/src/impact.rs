//! Who is affected by each change: dependent fields, dependent standards, consumers.

use std::collections::{BTreeMap, BTreeSet};

use norm_model::config::{Config, ConsumerKind};
use norm_model::{Catalog, Element, ElementKind, ElementPath};

use crate::{DependentStandard, StandardDiff};

/// What points at what in one catalog.
#[derive(Default)]
pub(crate) struct Index {
    /// Field → fields that reference or map to it, with their standard.
    field_users: BTreeMap<ElementPath, Vec<(String, ElementPath)>>,
    /// Code list → fields that use it, with their standard.
    list_users: BTreeMap<ElementPath, Vec<(String, ElementPath)>>,
    /// Field → its `used_by`.
    used_by: BTreeMap<ElementPath, Vec<String>>,
    /// Entity → its fields.
    entity_fields: BTreeMap<ElementPath, Vec<ElementPath>>,
}

impl Index {
    pub(crate) fn build(catalog: &Catalog) -> Index {
        let mut index = Index::default();
        for (standard, entity, f) in catalog.fields() {
            let id = standard.id();
            let path = Element::Field(standard, entity, f).path();
            index
                .entity_fields
                .entry(Element::Entity(standard, entity).path())
                .or_default()
                .push(path.clone());
            index.used_by.insert(path.clone(), f.used_by.clone());
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
                let target = Element::Field(s, te, &te.value.fields[i]).path();
                index
                    .field_users
                    .entry(target)
                    .or_default()
                    .push((id.to_owned(), path.clone()));
            }
            if let Some((s, list)) = f
                .codelist
                .as_deref()
                .and_then(|r| catalog.resolve_codelist(id, r).ok())
            {
                index
                    .list_users
                    .entry(Element::CodeList(s, list).path())
                    .or_default()
                    .push((id.to_owned(), path.clone()));
            }
        }
        index
    }

    /// The fields affected by a change at `path`: the element's own fields and their users.
    fn affected(&self, path: &ElementPath) -> (Vec<ElementPath>, Vec<(String, ElementPath)>) {
        let list = path
            .codelist_name()
            .map(|(standard, list)| ElementPath::codelist(standard, list));
        if let Some(users) = list.as_ref().and_then(|l| self.list_users.get(l)) {
            return (Vec::new(), users.clone());
        }
        let own: Vec<ElementPath> = match (self.entity_fields.get(path), path.kind()) {
            (Some(fields), _) => fields.clone(),
            (None, ElementKind::Field) => vec![path.clone()],
            (None, _) => Vec::new(),
        };
        let users = own
            .iter()
            .flat_map(|f| self.field_users.get(f).cloned().unwrap_or_default())
            .collect();
        (own, users)
    }
}

/// The indexes of both sides, each built once per diff and only when a change needs it.
pub(crate) struct Indexes<'a> {
    old: &'a Catalog,
    new: &'a Catalog,
    old_index: std::sync::OnceLock<Index>,
    new_index: std::sync::OnceLock<Index>,
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
    fn side(&self, new: bool) -> &Index {
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
        for field in own.iter().chain(users.iter().map(|(_, f)| f)) {
            for c in index.used_by.get(field).into_iter().flatten() {
                consumers.insert(kind_of(c));
            }
        }
        let mut standards: BTreeSet<DependentStandard> = BTreeSet::new();
        for (standard, _) in users.iter().filter(|(s, _)| *s != sd.id) {
            let range = new
                .standards
                .get(standard)
                .and_then(|s| s.meta.as_ref())
                .and_then(|m| m.value.requires.get(&sd.id).cloned());
            let admits = match (&range, &new_version) {
                (Some(r), Some(v)) => semver::VersionReq::parse(r).is_ok_and(|req| req.matches(v)),
                _ => false,
            };
            standards.insert(DependentStandard {
                id: standard.clone(),
                range,
                admits_new_version: admits,
            });
        }
        // Listed in the order of their text, as the reports always have.
        let mut dependents: Vec<(String, ElementPath)> = users
            .into_iter()
            .map(|(_, f)| f)
            .filter(|f| *f != change.path)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|f| (f.to_string(), f))
            .collect();
        dependents.sort();
        change.impact.dependents = dependents.into_iter().map(|(_, f)| f).collect();
        change.impact.standards = standards.into_iter().collect();
        change.impact.consumers = consumers.into_iter().map(|(_, id)| id).collect();
    }
}
