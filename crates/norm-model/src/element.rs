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
//! followed by their codes).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalog::{Catalog, Doc, Location, SourceFile, Standard};
use crate::model::{Code, CodeList, Deprecation, Entity, Field, StandardMeta, Status};

/// The kind of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementKind {
    /// A standard (`standard.yaml`).
    Standard,
    /// An entity.
    Entity,
    /// A field of an entity.
    Field,
    /// A code list.
    CodeList,
    /// A code of a code list.
    Code,
    /// A validation rule.
    Rule,
}

impl ElementKind {
    /// The kind in words, as messages name it: `standard`, `entity`, `field`, `code list`,
    /// `code`, `rule`.
    pub fn noun(self) -> &'static str {
        match self {
            ElementKind::Standard => "standard",
            ElementKind::Entity => "entity",
            ElementKind::Field => "field",
            ElementKind::CodeList => "code list",
            ElementKind::Code => "code",
            ElementKind::Rule => "rule",
        }
    }
}

/// The stable name of an element. Ordered by its text's components, so sorted paths list a
/// standard before its entities and an entity before its fields.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementPath {
    /// `ssd`.
    Standard {
        /// The standard's id.
        standard: String,
    },
    /// `ssd/entities/ssd_person`.
    Entity {
        /// The standard's id.
        standard: String,
        /// The entity's name.
        entity: String,
    },
    /// `ssd/entities/ssd_person/fields/pers_sex`.
    Field {
        /// The standard's id.
        standard: String,
        /// The entity's name.
        entity: String,
        /// The field's name.
        field: String,
    },
    /// `csc-codes/codelists/sex`.
    CodeList {
        /// The standard's id.
        standard: String,
        /// The code list's name.
        codelist: String,
    },
    /// `csc-codes/codelists/sex/codes/M`.
    Code {
        /// The standard's id.
        standard: String,
        /// The code list's name.
        codelist: String,
        /// The code.
        code: String,
    },
    /// `ssda903/rules/213`.
    Rule {
        /// The standard's id.
        standard: String,
        /// The rule's code.
        rule: String,
    },
}

impl ElementPath {
    /// The path of a standard.
    pub fn standard(standard: &str) -> Self {
        ElementPath::Standard {
            standard: standard.to_owned(),
        }
    }

    /// The path of an entity.
    pub fn entity(standard: &str, entity: &str) -> Self {
        ElementPath::Entity {
            standard: standard.to_owned(),
            entity: entity.to_owned(),
        }
    }

    /// The path of a field.
    pub fn field(standard: &str, entity: &str, field: &str) -> Self {
        ElementPath::Field {
            standard: standard.to_owned(),
            entity: entity.to_owned(),
            field: field.to_owned(),
        }
    }

    /// The path of a code list.
    pub fn codelist(standard: &str, codelist: &str) -> Self {
        ElementPath::CodeList {
            standard: standard.to_owned(),
            codelist: codelist.to_owned(),
        }
    }

    /// The path of a code.
    pub fn code(standard: &str, codelist: &str, code: &str) -> Self {
        ElementPath::Code {
            standard: standard.to_owned(),
            codelist: codelist.to_owned(),
            code: code.to_owned(),
        }
    }

    /// The path of a validation rule.
    pub fn rule(standard: &str, rule: &str) -> Self {
        ElementPath::Rule {
            standard: standard.to_owned(),
            rule: rule.to_owned(),
        }
    }

    /// The kind of element it names.
    pub fn kind(&self) -> ElementKind {
        match self {
            ElementPath::Standard { .. } => ElementKind::Standard,
            ElementPath::Entity { .. } => ElementKind::Entity,
            ElementPath::Field { .. } => ElementKind::Field,
            ElementPath::CodeList { .. } => ElementKind::CodeList,
            ElementPath::Code { .. } => ElementKind::Code,
            ElementPath::Rule { .. } => ElementKind::Rule,
        }
    }

    /// The id of the standard the element belongs to.
    pub fn standard_id(&self) -> &str {
        match self {
            ElementPath::Standard { standard }
            | ElementPath::Entity { standard, .. }
            | ElementPath::Field { standard, .. }
            | ElementPath::CodeList { standard, .. }
            | ElementPath::Code { standard, .. }
            | ElementPath::Rule { standard, .. } => standard,
        }
    }

    /// The element's own name: a standard's id, an entity's, field's or list's name, a code,
    /// a rule's code.
    pub fn name(&self) -> &str {
        match self {
            ElementPath::Standard { standard } => standard,
            ElementPath::Entity { entity, .. } => entity,
            ElementPath::Field { field, .. } => field,
            ElementPath::CodeList { codelist, .. } => codelist,
            ElementPath::Code { code, .. } => code,
            ElementPath::Rule { rule, .. } => rule,
        }
    }

    /// The element that contains this one: a field's entity, a code's list, anything else's
    /// standard. `None` for a standard.
    pub fn parent(&self) -> Option<ElementPath> {
        match self {
            ElementPath::Standard { .. } => None,
            ElementPath::Field {
                standard, entity, ..
            } => Some(ElementPath::entity(standard, entity)),
            ElementPath::Code {
                standard, codelist, ..
            } => Some(ElementPath::codelist(standard, codelist)),
            ElementPath::Entity { standard, .. }
            | ElementPath::CodeList { standard, .. }
            | ElementPath::Rule { standard, .. } => Some(ElementPath::standard(standard)),
        }
    }

    /// The entity a path names or lies in (an entity's or a field's), as `(standard, entity)`.
    pub fn entity_name(&self) -> Option<(&str, &str)> {
        match self {
            ElementPath::Entity { standard, entity }
            | ElementPath::Field {
                standard, entity, ..
            } => Some((standard, entity)),
            _ => None,
        }
    }

    /// The code list a path names or lies in (a list's or a code's), as `(standard, list)`.
    pub fn codelist_name(&self) -> Option<(&str, &str)> {
        match self {
            ElementPath::CodeList { standard, codelist }
            | ElementPath::Code {
                standard, codelist, ..
            } => Some((standard, codelist)),
            _ => None,
        }
    }
}

impl fmt::Display for ElementPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ElementPath::Standard { standard } => write!(f, "{standard}"),
            ElementPath::Entity { standard, entity } => write!(f, "{standard}/entities/{entity}"),
            ElementPath::Field {
                standard,
                entity,
                field,
            } => write!(f, "{standard}/entities/{entity}/fields/{field}"),
            ElementPath::CodeList { standard, codelist } => {
                write!(f, "{standard}/codelists/{codelist}")
            }
            ElementPath::Code {
                standard,
                codelist,
                code,
            } => write!(f, "{standard}/codelists/{codelist}/codes/{code}"),
            ElementPath::Rule { standard, rule } => write!(f, "{standard}/rules/{rule}"),
        }
    }
}

/// Why a text is not an element path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not an element path; paths look like `ssd/entities/person`, \
     `ssd/entities/person/fields/pers_sex`, `csc-codes/codelists/sex` or \
     `csc-codes/codelists/sex/codes/M`"
)]
pub struct ParsePathError(pub String);

impl FromStr for ElementPath {
    type Err = ParsePathError;

    /// Parses the text [`Display`](fmt::Display) writes. A code may itself contain `/` (the
    /// last component takes the rest of the text); other names may not be empty.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || ParsePathError(text.to_owned());
        let (standard, rest) = match text.split_once('/') {
            Some((s, rest)) => (s, Some(rest)),
            None => (text, None),
        };
        if standard.is_empty() {
            return Err(bad());
        }
        let Some(rest) = rest else {
            return Ok(ElementPath::standard(standard));
        };
        let (section, rest) = rest.split_once('/').ok_or_else(bad)?;
        let named = |s: &str| (!s.is_empty()).then_some(()).ok_or_else(bad);
        match section {
            "entities" => match rest.split_once('/') {
                None => named(rest).map(|()| ElementPath::entity(standard, rest)),
                Some((entity, rest)) => {
                    let field = rest.strip_prefix("fields/").ok_or_else(bad)?;
                    named(entity)?;
                    named(field)?;
                    if field.contains('/') {
                        return Err(bad());
                    }
                    Ok(ElementPath::field(standard, entity, field))
                }
            },
            "codelists" => match rest.split_once('/') {
                None => named(rest).map(|()| ElementPath::codelist(standard, rest)),
                Some((list, rest)) => {
                    let code = rest.strip_prefix("codes/").ok_or_else(bad)?;
                    named(list)?;
                    named(code)?;
                    Ok(ElementPath::code(standard, list, code))
                }
            },
            "rules" => named(rest).map(|()| ElementPath::rule(standard, rest)),
            _ => Err(bad()),
        }
    }
}

impl Serialize for ElementPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ElementPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

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
}

impl<'a> Element<'a> {
    /// The standard the element belongs to.
    pub fn standard(&self) -> &'a Standard {
        match *self {
            Element::Standard(s, _)
            | Element::Entity(s, _)
            | Element::Field(s, ..)
            | Element::CodeList(s, _)
            | Element::Code(s, ..) => s,
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
        }
    }

    /// Its mapping in the source: the file's root for documents, the list entry for fields and
    /// codes (by the position each recorded at load time).
    pub fn location(&self) -> Location {
        match *self {
            Element::Standard(_, d) => Location::file(d.file),
            Element::Entity(_, d) => Location::file(d.file),
            Element::CodeList(_, d) => Location::file(d.file),
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
    /// each entity followed by its fields, then each code list followed by its codes.
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
        meta.chain(entities).chain(lists)
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
            ElementPath::Rule { .. } => None,
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
    /// Entities and code lists live in the file named after them (`file-name-mismatch` holds
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
            ElementPath::Rule { .. } => return None,
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

    /// Every code, with its list and standard.
    pub fn codes(&self) -> impl Iterator<Item = (&Standard, &Doc<CodeList>, &Code)> {
        self.codelists()
            .flat_map(|(s, l)| l.value.codes.iter().map(move |c| (s, l, c)))
    }
}

#[cfg(test)]
mod tests;
