//! Elements: the typed path that names an element everywhere (diagnostics, suppressions, change
//! notes, the site), and the one walk over a catalog's elements.
//!
//! An [`ElementPath`] prints as the stable text used in JSON outputs and in `norm.yaml`'s
//! `lint.allow` and `diff.accept`: `ssd`, `ssd/entities/ssd_person`,
//! `ssd/entities/ssd_person/fields/pers_sex`, `csc-codes/codelists/sex`,
//! `csc-codes/codelists/sex/codes/M`, `ssda903/rules/213`. This module is the only place that
//! formats or splits that text. [`Element`] borrows one element of a loaded [`Catalog`]; the
//! iterators of [`Catalog`] and [`Standard`] here are the one walk over them, in document order
//! (each standard's metadata, its entities each followed by their fields, its code lists each
//! followed by their codes, then its rules).

mod path;

pub use path::{ElementKind, ElementPath, ParsePathError};

use crate::catalog::{Catalog, Doc, Location, SourceFile, Standard};
use crate::model::{Code, CodeList, Deprecation, Entity, Field, Rule, StandardMeta, Status};

/// One element of a loaded catalog, borrowed, with the standard it belongs to.
#[derive(Debug, Clone, Copy)]
pub enum Element<'a> {
    /// A standard's `standard.yaml`.
    Standard(&'a Standard, &'a Doc<StandardMeta>),
    /// An entity.
    Entity(&'a Standard, &'a Doc<Entity>),
    /// A field, with its entity.
    Field(&'a Standard, &'a Doc<Entity>, &'a Field),
    /// A code list.
    CodeList(&'a Standard, &'a Doc<CodeList>),
    /// A code, with its list.
    Code(&'a Standard, &'a Doc<CodeList>, &'a Code),
    /// A validation rule.
    Rule(&'a Standard, &'a Doc<Rule>),
}

impl<'a> Element<'a> {
    /// The standard the element belongs to.
    pub fn standard(&self) -> &'a Standard {
        match *self {
            Element::Standard(s, _)
            | Element::Entity(s, _)
            | Element::Field(s, ..)
            | Element::CodeList(s, _)
            | Element::Code(s, ..)
            | Element::Rule(s, _) => s,
        }
    }

    /// Its kind.
    pub fn kind(&self) -> ElementKind {
        match self {
            Element::Standard(..) => ElementKind::Standard,
            Element::Entity(..) => ElementKind::Entity,
            Element::Field(..) => ElementKind::Field,
            Element::CodeList(..) => ElementKind::CodeList,
            Element::Code(..) => ElementKind::Code,
            Element::Rule(..) => ElementKind::Rule,
        }
    }

    /// Its own name (a standard's id, a code's code).
    pub fn name(&self) -> &'a str {
        match *self {
            Element::Standard(s, _) => s.id(),
            Element::Entity(_, e) => &e.value.name,
            Element::Field(_, _, f) => &f.name,
            Element::CodeList(_, l) => &l.value.name,
            Element::Code(_, _, c) => &c.code,
            Element::Rule(_, r) => &r.value.code,
        }
    }

    /// Its path.
    pub fn path(&self) -> ElementPath {
        let id = self.standard().id();
        match *self {
            Element::Standard(..) => ElementPath::standard(id),
            Element::Entity(_, e) => ElementPath::entity(id, &e.value.name),
            Element::Field(_, e, f) => ElementPath::field(id, &e.value.name, &f.name),
            Element::CodeList(_, l) => ElementPath::codelist(id, &l.value.name),
            Element::Code(_, l, c) => ElementPath::code(id, &l.value.name, &c.code),
            Element::Rule(_, r) => ElementPath::rule(id, &r.value.code),
        }
    }

    /// Its mapping in the source: the file's root for documents, the list entry for fields and
    /// codes (by the position each recorded at load time).
    pub fn location(&self) -> Location {
        match *self {
            Element::Standard(_, d) => Location::file(d.file),
            Element::Entity(_, d) => Location::file(d.file),
            Element::CodeList(_, d) => Location::file(d.file),
            Element::Rule(_, d) => Location::file(d.file),
            Element::Field(_, e, f) => field_location(e, f),
            Element::Code(_, l, c) => code_location(l, c),
        }
    }

    /// Its title (a code's label).
    pub fn title(&self) -> Option<&'a str> {
        match *self {
            Element::Standard(_, d) => d.value.title.as_deref(),
            Element::Entity(_, d) => d.value.title.as_deref(),
            Element::Field(_, _, f) => f.title.as_deref(),
            Element::CodeList(_, d) => d.value.title.as_deref(),
            Element::Code(_, _, c) => c.label.as_deref(),
            Element::Rule(_, d) => d.value.title.as_deref(),
        }
    }

    /// Its description (a standard's summary stands in for a missing description).
    pub fn description(&self) -> Option<&'a str> {
        match *self {
            Element::Standard(_, d) => d
                .value
                .description
                .as_deref()
                .or(d.value.summary.as_deref()),
            Element::Entity(_, d) => d.value.description.as_deref(),
            Element::Field(_, _, f) => f.description.as_deref(),
            Element::CodeList(_, d) => d.value.description.as_deref(),
            Element::Code(_, _, c) => c.description.as_deref(),
            Element::Rule(_, d) => d.value.description.as_deref(),
        }
    }

    /// Its status, for the kinds that have one (a standard's lifecycle status is not one).
    pub fn status(&self) -> Option<Status> {
        match *self {
            Element::Standard(..) => None,
            Element::Entity(_, d) => d.value.status,
            Element::Field(_, _, f) => f.status,
            Element::CodeList(_, d) => d.value.status,
            Element::Code(_, _, c) => c.status,
            Element::Rule(_, d) => d.value.status,
        }
    }

    /// Its deprecation block.
    pub fn deprecation(&self) -> Option<&'a Deprecation> {
        match *self {
            Element::Standard(..) => None,
            Element::Entity(_, d) => d.value.deprecation.as_ref(),
            Element::Field(_, _, f) => f.deprecation.as_ref(),
            Element::CodeList(_, d) => d.value.deprecation.as_ref(),
            Element::Code(_, _, c) => c.deprecation.as_ref(),
            Element::Rule(_, d) => d.value.deprecation.as_ref(),
        }
    }

    /// The names it was known by before (`renamed_from`).
    pub fn renamed_from(&self) -> &'a [String] {
        match *self {
            Element::Standard(..) => &[],
            Element::Entity(_, d) => &d.value.renamed_from,
            Element::Field(_, _, f) => &f.renamed_from,
            Element::CodeList(_, d) => &d.value.renamed_from,
            Element::Code(_, _, c) => &c.renamed_from,
            Element::Rule(_, d) => &d.value.renamed_from,
        }
    }
}

/// The location of `field`'s entry in its entity's `fields` list.
pub fn field_location(entity: &Doc<Entity>, field: &Field) -> Location {
    Location::file(entity.file)
        .key("fields")
        .index(field.position)
}

/// The location of `code`'s entry in its list's `codes`.
pub fn code_location(list: &Doc<CodeList>, code: &Code) -> Location {
    Location::file(list.file).key("codes").index(code.position)
}

impl Standard {
    /// Every element of the standard, in document order: its metadata (when it loaded), then
    /// each entity followed by its fields, then each code list followed by its codes, then each
    /// rule.
    pub fn elements(&self) -> impl Iterator<Item = Element<'_>> {
        let meta = self.meta.iter().map(move |m| Element::Standard(self, m));
        let entities = self.entities.iter().flat_map(move |e| {
            std::iter::once(Element::Entity(self, e)).chain(
                e.value
                    .fields
                    .iter()
                    .map(move |f| Element::Field(self, e, f)),
            )
        });
        let lists = self.codelists.iter().flat_map(move |l| {
            std::iter::once(Element::CodeList(self, l))
                .chain(l.value.codes.iter().map(move |c| Element::Code(self, l, c)))
        });
        meta.chain(entities).chain(lists).chain(self.rules())
    }

    /// Every validation rule of the standard, in file order.
    pub fn rules(&self) -> impl Iterator<Item = Element<'_>> {
        self.rules.iter().map(move |r| Element::Rule(self, r))
    }

    /// The element at `path`, when it is in this standard.
    pub fn element(&self, path: &ElementPath) -> Option<Element<'_>> {
        if path.standard_id() != self.id() {
            return None;
        }
        match path {
            ElementPath::Standard { .. } => self.meta.as_ref().map(|m| Element::Standard(self, m)),
            ElementPath::Entity { entity, .. } => {
                self.entity(entity).map(|e| Element::Entity(self, e))
            }
            ElementPath::Field { entity, field, .. } => {
                let e = self.entity(entity)?;
                let f = e.value.fields.iter().find(|f| &f.name == field)?;
                Some(Element::Field(self, e, f))
            }
            ElementPath::CodeList { codelist, .. } => {
                self.codelist(codelist).map(|l| Element::CodeList(self, l))
            }
            ElementPath::Code { codelist, code, .. } => {
                let l = self.codelist(codelist)?;
                let c = l.value.codes.iter().find(|c| &c.code == code)?;
                Some(Element::Code(self, l, c))
            }
            ElementPath::Rule { rule, .. } => self.rule(rule).map(|r| Element::Rule(self, r)),
        }
    }
}

impl Catalog {
    /// Every element of every standard, standards in id order, each in document order
    /// ([`Standard::elements`]).
    pub fn elements(&self) -> impl Iterator<Item = Element<'_>> {
        self.standards.values().flat_map(Standard::elements)
    }

    /// The element at `path`.
    pub fn element(&self, path: &ElementPath) -> Option<Element<'_>> {
        self.standards.get(path.standard_id())?.element(path)
    }

    /// The file that should hold the element at `path` when that file is in the catalog but
    /// did not load (a syntax error, an unreadable file, a missing identity key). References
    /// into it and changes to it cannot be judged until it loads; its own diagnostic says why.
    /// Entities, code lists and rules live in the file named after them (`file-name-mismatch` holds
    /// curators to it), which is the only way to know what an unparsed file held.
    pub fn unloaded_file(&self, path: &ElementPath) -> Option<&SourceFile> {
        let standard = path.standard_id();
        let file = match path {
            ElementPath::Standard { .. } => format!("standards/{standard}/standard.yaml"),
            ElementPath::Entity { entity, .. } | ElementPath::Field { entity, .. } => {
                format!("standards/{standard}/entities/{entity}.yaml")
            }
            ElementPath::CodeList { codelist, .. } | ElementPath::Code { codelist, .. } => {
                format!("standards/{standard}/codelists/{codelist}.yaml")
            }
            ElementPath::Rule { rule, .. } => format!("standards/{standard}/rules/{rule}.yaml"),
        };
        // `files` is in path order.
        let id = self
            .files
            .binary_search_by(|f| f.path.as_str().cmp(&file))
            .ok()?;
        let loaded = self.standards.get(standard).is_some_and(|s| {
            s.meta.as_ref().is_some_and(|m| m.file == id)
                || s.entities.iter().any(|e| e.file == id)
                || s.codelists.iter().any(|l| l.file == id)
                || s.rules.iter().any(|r| r.file == id)
        });
        (!loaded).then(|| &self.files[id])
    }

    /// Whether some entity file of the catalog did not load. Until it does, which fields use
    /// a code list or reference a field is not fully known, so "unused" cannot be said.
    pub fn has_unloaded_entities(&self) -> bool {
        let loaded: std::collections::HashSet<usize> =
            self.entities().map(|(_, e)| e.file).collect();
        self.files.iter().enumerate().any(|(id, f)| {
            let parts: Vec<&str> = f.path.split('/').collect();
            matches!(parts.as_slice(), ["standards", _, "entities", name] if name.ends_with(".yaml"))
                && !loaded.contains(&id)
        })
    }

    /// Every entity, with its standard.
    pub fn entities(&self) -> impl Iterator<Item = (&Standard, &Doc<Entity>)> {
        self.standards
            .values()
            .flat_map(|s| s.entities.iter().map(move |e| (s, e)))
    }

    /// Every field, with its entity and standard.
    pub fn fields(&self) -> impl Iterator<Item = (&Standard, &Doc<Entity>, &Field)> {
        self.entities()
            .flat_map(|(s, e)| e.value.fields.iter().map(move |f| (s, e, f)))
    }

    /// Every code list, with its standard.
    pub fn codelists(&self) -> impl Iterator<Item = (&Standard, &Doc<CodeList>)> {
        self.standards
            .values()
            .flat_map(|s| s.codelists.iter().map(move |l| (s, l)))
    }

    /// Every validation rule, with its standard.
    pub fn rules(&self) -> impl Iterator<Item = (&Standard, &Doc<Rule>)> {
        self.standards
            .values()
            .flat_map(|s| s.rules.iter().map(move |r| (s, r)))
    }

    /// Every code, with its list and standard.
    pub fn codes(&self) -> impl Iterator<Item = (&Standard, &Doc<CodeList>, &Code)> {
        self.codelists()
            .flat_map(|(s, l)| l.value.codes.iter().map(move |c| (s, l, c)))
    }
}

#[cfg(test)]
mod tests;
