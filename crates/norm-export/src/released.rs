//! The part of a standard that exports carry: everything but `proposed` elements, which are in
//! consultation and excluded from exports (format.md, "Status"), walked once with the
//! model's element walk. Also the one way formats say which keys they cannot carry, so that
//! no key is dropped in silence and no format keeps its own list of the model's keys.

use norm_model::catalog::{Catalog, Standard};
use norm_model::element::Element;
use norm_model::model::{Code, CodeList, Entity, Field, StandardMeta, Status};
use norm_model::{Doc, ElementPath};

use crate::Loss;

mod keys;

use keys::set_keys;

/// A standard as exports see it: its released entities, fields, code lists and codes, in
/// document order, and the losses met so far.
#[derive(Debug)]
pub struct Released<'a> {
    /// The whole catalog, for code lists and references into other standards.
    pub catalog: &'a Catalog,
    /// The standard.
    pub standard: &'a Standard,
    /// Its `standard.yaml`.
    pub meta: &'a StandardMeta,
    /// Its entities that are not proposed, each with its fields that are not proposed.
    pub entities: Vec<(&'a Doc<Entity>, Vec<&'a Field>)>,
    /// Its own code lists that are not proposed, each with its codes that are not proposed.
    pub codelists: Vec<ReleasedList<'a>>,
    /// What the export leaves out; formats add their own.
    pub losses: Vec<Loss>,
}

/// A code list with its released codes.
#[derive(Debug, Clone)]
pub struct ReleasedList<'a> {
    /// The standard the list belongs to (a field may use another standard's list).
    pub standard: &'a Standard,
    /// The list.
    pub list: &'a CodeList,
    /// Its codes that are not proposed.
    pub codes: Vec<&'a Code>,
}

impl ReleasedList<'_> {
    /// Whether the list is closed: a value outside it is an error, so formats constrain to it.
    pub fn closed(&self) -> bool {
        self.list.extensible != Some(true)
    }
}

/// The field a `references` names, when it is released.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The standard of the target.
    pub standard: &'a Standard,
    /// The target entity.
    pub entity: &'a Entity,
    /// The target field.
    pub field: &'a Field,
}

fn proposed(status: Option<Status>) -> bool {
    status == Some(Status::Proposed)
}

const PROPOSED: &str = "proposed: in consultation, so left out of exports";

/// Why a validation rule is in no export: the formats describe data, not checks over it.
const RULE: &str = "validation rules are not exported: no export format carries SQL checks";

impl<'a> Released<'a> {
    /// The released part of `standard`; `None` when its `standard.yaml` did not load.
    pub fn new(catalog: &'a Catalog, standard: &'a Standard) -> Option<Released<'a>> {
        let meta = &*standard.meta.as_ref()?.value;
        let mut released = Released {
            catalog,
            standard,
            meta,
            entities: Vec::new(),
            codelists: Vec::new(),
            losses: Vec::new(),
        };
        for element in standard.elements() {
            if proposed(element.status()) {
                // A proposed entity's fields (a list's codes) go with it: one loss says so.
                let parent_gone = element
                    .path()
                    .parent()
                    .is_some_and(|p| released.losses.iter().any(|l| l.path == p));
                if !parent_gone {
                    released.lose(element.path(), PROPOSED);
                }
                continue;
            }
            match element {
                Element::Entity(_, e) => released.entities.push((e, Vec::new())),
                Element::Field(_, e, f) => {
                    if let Some((_, fields)) = released
                        .entities
                        .last_mut()
                        .filter(|(x, _)| std::ptr::eq(*x, e))
                    {
                        fields.push(f);
                    }
                }
                Element::CodeList(_, l) => released.codelists.push(ReleasedList {
                    standard,
                    list: &l.value,
                    codes: Vec::new(),
                }),
                Element::Code(_, l, c) => {
                    if let Some(r) = released
                        .codelists
                        .last_mut()
                        .filter(|r| std::ptr::eq(r.list, &*l.value))
                    {
                        r.codes.push(c);
                    }
                }
                Element::Rule(..) => released.lose(element.path(), RULE),
                Element::Standard(..) => {}
            }
        }
        released.lose_dangling();
        Some(released)
    }

    /// A loss for each code list or reference that no export can follow: it does not resolve
    /// (lint says why) or names a proposed element.
    fn lose_dangling(&mut self) {
        let mut lost = Vec::new();
        for (e, fields) in &self.entities {
            for f in fields {
                let path = ElementPath::field(self.id(), &e.value.name, &f.name);
                if let Some(list) = &f.codelist
                    && self.codelist(f).is_none()
                {
                    lost.push((path.clone(), format!("code list `{list}` is not released here, so the values are not constrained")));
                }
                if let Some(target) = &f.references
                    && self.reference(f).is_none()
                {
                    lost.push((
                        path,
                        format!(
                            "`references: {target}` names no released field, so it is not exported"
                        ),
                    ));
                }
            }
        }
        for (path, message) in lost {
            self.lose(path, message);
        }
    }

    /// The standard's id.
    pub fn id(&self) -> &'a str {
        self.standard.id()
    }

    /// How dates are written in the standard's data files, when not ISO 8601.
    pub fn date_format(&self) -> Option<&'a str> {
        self.meta.data.as_ref()?.date_format.as_deref()
    }

    /// Records that the export leaves out something of the element at `path`.
    pub fn lose(&mut self, path: ElementPath, message: impl Into<String>) {
        self.losses.push(Loss {
            path,
            message: message.into(),
        });
    }

    /// The released code list `field` uses, with its released codes; `None` (and a loss) when
    /// it names none that resolves or the list is proposed.
    pub fn codelist(&self, field: &Field) -> Option<ReleasedList<'a>> {
        let reference = field.codelist.as_deref()?;
        let (standard, doc) = self.catalog.find_codelist(self.id(), reference)?;
        if proposed(doc.value.status) {
            return None;
        }
        Some(ReleasedList {
            standard,
            list: &doc.value,
            codes: doc
                .value
                .codes
                .iter()
                .filter(|c| !proposed(c.status))
                .collect(),
        })
    }

    /// The released field `field.references` names, if any.
    pub fn reference(&self, field: &Field) -> Option<Target<'a>> {
        let reference = field.references.as_deref()?;
        let (standard, entity, index) = self.catalog.find_field(self.id(), reference).ok()?;
        let target = entity.value.fields.get(index)?;
        (!proposed(entity.value.status) && !proposed(target.status)).then_some(Target {
            standard,
            entity: &entity.value,
            field: target,
        })
    }

    /// Records a loss naming every key the element has that `format` cannot carry: the keys
    /// its source sets (as the model writes them back) minus `carried`. A `status: active`
    /// is never a loss: it is the default every format assumes. Nested elements (an entity's
    /// `fields`, a list's `codes`) are reported on their own.
    pub fn lose_keys(&mut self, element: Element<'_>, format: &str, carried: &[&str]) {
        let keys = match element {
            Element::Standard(_, d) => set_keys(&*d.value),
            Element::Entity(_, d) => set_keys(&*d.value),
            Element::Field(_, _, f) => set_keys(f),
            Element::CodeList(_, d) => set_keys(&*d.value),
            Element::Code(_, _, c) => set_keys(c),
            Element::Rule(_, d) => set_keys(&*d.value),
        };
        let lost: Vec<String> = keys
            .into_iter()
            .filter(|k| !(carried.contains(k) || matches!(*k, "fields" | "codes")))
            .map(|k| format!("`{k}`"))
            .collect();
        if !lost.is_empty() {
            self.lose(
                element.path(),
                format!("{format} has no place for {}", lost.join(", ")),
            );
        }
    }
}

impl Released<'_> {
    /// Records the keys of the standard's own released code lists that `format` cannot
    /// carry, for formats that write each list as a table of code, label and description.
    pub fn lose_codelist_keys(&mut self, format: &str, list_keys: &[&str]) {
        let standard = self.standard;
        for list in &standard.codelists {
            let Some(codes) = self
                .codelists
                .iter()
                .find(|r| std::ptr::eq(r.list, &*list.value))
                .map(|r| r.codes.clone())
            else {
                continue;
            };
            self.lose_keys(Element::CodeList(standard, list), format, list_keys);
            for code in codes {
                self.lose_keys(
                    Element::Code(standard, list, code),
                    format,
                    &["code", "label", "description"],
                );
            }
        }
    }
}

/// A format's constraint keys being written, remembering which of the model's constraints
/// they say, so that [`Released::lose_constraints`] can name the rest.
#[derive(Debug)]
pub struct Said<'m> {
    map: &'m mut serde_json::Map<String, serde_json::Value>,
    said: Vec<&'static str>,
}

impl<'m> Said<'m> {
    /// Writes into `map`.
    pub fn new(map: &'m mut serde_json::Map<String, serde_json::Value>) -> Said<'m> {
        Said {
            map,
            said: Vec::new(),
        }
    }

    /// Writes the model's constraint `model` as the format's `key`, when it is set and
    /// `applies` (the format can say it of this field).
    pub fn put(
        &mut self,
        model: &'static str,
        key: &str,
        value: Option<impl Into<serde_json::Value>>,
        applies: bool,
    ) {
        if let Some(v) = value.filter(|_| applies) {
            self.map.insert(key.into(), v.into());
            self.said.push(model);
        }
    }

    /// The model's constraints written so far.
    pub fn said(&self) -> &[&'static str] {
        &self.said
    }
}

impl<'a> Released<'a> {
    /// The entity's primary key and unique keys that hold only released `fields`; a key
    /// with a proposed field is left out, with a loss.
    pub fn keys(
        &mut self,
        entity: &'a Doc<Entity>,
        fields: &[&Field],
        format: &str,
    ) -> (Option<&'a [String]>, Vec<&'a [String]>) {
        let entity: &'a Entity = &entity.value;
        let whole = |key: &[String]| key.iter().all(|k| fields.iter().any(|f| &f.name == k));
        let path = ElementPath::entity(self.id(), &entity.name);
        let primary = (!entity.primary_key.is_empty()).then_some(entity.primary_key.as_slice());
        let mut kept = Vec::new();
        for (key, primary) in primary
            .into_iter()
            .map(|k| (k, true))
            .chain(entity.unique_keys.iter().map(|k| (k.as_slice(), false)))
        {
            if whole(key) {
                kept.push((key, primary));
            } else {
                self.lose(
                    path.clone(),
                    format!(
                        "{format} leaves out the key [{}]: it has a proposed field",
                        key.join(", ")
                    ),
                );
            }
        }
        let primary = kept.iter().find(|(_, p)| *p).map(|(k, _)| *k);
        let unique = kept
            .into_iter()
            .filter(|(_, p)| !*p)
            .map(|(k, _)| k)
            .collect();
        (primary, unique)
    }

    /// For formats that write a code list as its codes in each field that uses it: a loss
    /// for each such field, since which list the codes come from (and that fields share it)
    /// is not said.
    pub fn lose_codelist_references(&mut self, format: &str) {
        let mut lost = Vec::new();
        for (e, fields) in &self.entities {
            for f in fields {
                if let (Some(reference), Some(_)) = (&f.codelist, self.codelist(f)) {
                    lost.push((
                        ElementPath::field(self.id(), &e.value.name, &f.name),
                        format!(
                            "{format} holds the codes, not the reference `codelist: {reference}`"
                        ),
                    ));
                }
            }
        }
        for (path, message) in lost {
            self.lose(path, message);
        }
    }

    /// Records the keys of `standard.yaml` that `format` cannot carry.
    pub fn lose_standard_keys(&mut self, format: &str, carried: &[&str]) {
        if let Some(meta) = &self.standard.meta {
            self.lose_keys(Element::Standard(self.standard, meta), format, carried);
        }
    }

    /// For formats that carry `data.date_format` (so list `data` as carried): a loss for the
    /// rest of `data`, the subject field, which no data-file format names.
    pub fn lose_data_subject(&mut self, format: &str) {
        if let Some(subject) = self.meta.data.as_ref().and_then(|d| d.subject.as_ref()) {
            let message = format!("{format} has no place for `data.subject` (`{subject}`)");
            self.lose(ElementPath::standard(self.id()), message);
        }
    }

    /// Records a loss naming the constraints `field` sets that `said` leaves out.
    pub fn lose_constraints(
        &mut self,
        path: &ElementPath,
        field: &Field,
        said: &[&str],
        format: &str,
    ) {
        let Some(constraints) = &field.constraints else {
            return;
        };
        let lost: Vec<String> = set_keys(constraints)
            .into_iter()
            .filter(|k| !said.contains(k))
            .map(|k| format!("`{k}`"))
            .collect();
        if !lost.is_empty() {
            let ty = field.field_type.map_or("string", |t| t.as_str());
            self.lose(
                path.clone(),
                format!("{format} cannot say {} of this {ty} field", lost.join(", ")),
            );
        }
    }
}
