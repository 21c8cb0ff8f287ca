//! The rule registry. Add a rule: write `rules/<id with underscores>.rs` with
//! [`crate::declare_rule!`] and an `impl Rule`, then list it in [`REGISTRY`].

use norm_model::catalog::{Doc, FileId};
use norm_model::model::Deprecation;
use norm_model::{Catalog, CodeList, Entity, Field, Location, Status, paths};

use crate::{Rule, RuleMeta};

pub mod builtin;
pub mod code_format;
pub mod code_without_codelist;
pub mod codes_in_description;
pub mod constraint_type_mismatch;
pub mod dangling_reference;
pub mod deprecation_incomplete;
pub mod deprecation_version;
pub mod duplicate_item;
pub mod duplicate_label;
pub mod duplicate_name;
pub mod file_name_mismatch;
pub mod invalid_example;
pub mod invalid_pattern;
pub mod invalid_version;
pub mod mapping_target_unknown;
pub mod min_greater_than_max;
pub mod missing_description;
pub mod missing_extensible;
pub mod missing_primary_key;
pub mod missing_provenance;
pub mod missing_title;
pub mod naming_convention;
pub mod primary_key_not_required;
pub mod primary_key_unknown_field;
pub mod proposed_in_retired;
pub mod reference_to_deprecated;
pub mod reference_type_mismatch;
pub mod replaced_by_unknown;
pub mod requires_unsatisfied;
pub mod unknown_consumer;
pub mod unused_codelist;

/// Every rule that inspects the loaded catalog, in id order.
pub static REGISTRY: &[&dyn Rule] = &[
    &code_format::CodeFormat,
    &code_without_codelist::CodeWithoutCodelist,
    &codes_in_description::CodesInDescription,
    &constraint_type_mismatch::ConstraintTypeMismatch,
    &dangling_reference::DanglingReference,
    &deprecation_incomplete::DeprecationIncomplete,
    &deprecation_version::DeprecationVersion,
    &duplicate_item::DuplicateItem,
    &duplicate_label::DuplicateLabel,
    &duplicate_name::DuplicateName,
    &file_name_mismatch::FileNameMismatch,
    &invalid_example::InvalidExample,
    &invalid_pattern::InvalidPattern,
    &invalid_version::InvalidVersion,
    &mapping_target_unknown::MappingTargetUnknown,
    &min_greater_than_max::MinGreaterThanMax,
    &missing_description::MissingDescription,
    &missing_extensible::MissingExtensible,
    &missing_primary_key::MissingPrimaryKey,
    &missing_provenance::MissingProvenance,
    &missing_title::MissingTitle,
    &naming_convention::NamingConvention,
    &primary_key_not_required::PrimaryKeyNotRequired,
    &primary_key_unknown_field::PrimaryKeyUnknownField,
    &proposed_in_retired::ProposedInRetired,
    &reference_to_deprecated::ReferenceToDeprecated,
    &reference_type_mismatch::ReferenceTypeMismatch,
    &replaced_by_unknown::ReplacedByUnknown,
    &requires_unsatisfied::RequiresUnsatisfied,
    &unknown_consumer::UnknownConsumer,
    &unused_codelist::UnusedCodelist,
];

/// The ids of every rule, the loader's built-in ones included.
pub fn all_ids() -> impl Iterator<Item = &'static str> {
    all().map(|m| m.id)
}

/// The declarations of every rule, the loader's built-in ones included.
pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    builtin::BUILTIN
        .iter()
        .copied()
        .chain(REGISTRY.iter().map(|r| r.meta()))
}

/// Every entity of the catalog with the id of its standard.
pub(crate) fn entities(catalog: &Catalog) -> impl Iterator<Item = (&str, &Doc<Entity>)> {
    catalog
        .standards
        .values()
        .flat_map(|s| s.entities.iter().map(move |e| (s.id(), e)))
}

/// Every field of the catalog with its entity and the id of its standard.
pub(crate) fn fields(catalog: &Catalog) -> impl Iterator<Item = (&str, &Doc<Entity>, &Field)> {
    entities(catalog).flat_map(|(id, e)| e.value.fields.iter().map(move |f| (id, e, f)))
}

/// Every code list of the catalog with the id of its standard.
pub(crate) fn codelists(catalog: &Catalog) -> impl Iterator<Item = (&str, &Doc<CodeList>)> {
    catalog
        .standards
        .values()
        .flat_map(|s| s.codelists.iter().map(move |c| (s.id(), c)))
}

/// An element of any kind, with what the documentation rules look at.
pub struct Element<'a> {
    /// `standard`, `entity`, `field`, `code list` or `code`.
    pub kind: &'static str,
    /// The id of the standard it belongs to.
    pub standard: &'a str,
    /// Its name (a standard's id, a code's code).
    pub name: &'a str,
    /// Its element path.
    pub path: String,
    /// Its mapping in the source.
    pub at: Location,
    /// Its title (a code's label).
    pub title: Option<&'a str>,
    /// Its description (a standard's summary counts).
    pub description: Option<&'a str>,
    /// Its status, for elements that have one.
    pub status: Option<Status>,
    /// Its deprecation block.
    pub deprecation: Option<&'a Deprecation>,
}

/// Every standard, entity, field, code list and code of the catalog.
pub(crate) fn all_elements(catalog: &Catalog) -> Vec<Element<'_>> {
    let mut out = Vec::new();
    for standard in catalog.standards.values() {
        let id = standard.id();
        if let Some(meta) = &standard.meta {
            let m = &meta.value;
            out.push(Element {
                kind: "standard",
                standard: id,
                name: id,
                path: paths::standard(id),
                at: Location::file(meta.file),
                title: m.title.as_deref(),
                description: m.description.as_deref().or(m.summary.as_deref()),
                status: None,
                deprecation: None,
            });
        }
        for e in &standard.entities {
            let v = &e.value;
            out.push(Element {
                kind: "entity",
                standard: id,
                name: &v.name,
                path: paths::entity(id, &v.name),
                at: Location::file(e.file),
                title: v.title.as_deref(),
                description: v.description.as_deref(),
                status: v.status,
                deprecation: v.deprecation.as_ref(),
            });
            for f in &v.fields {
                out.push(Element {
                    kind: "field",
                    standard: id,
                    name: &f.name,
                    path: paths::field(id, &v.name, &f.name),
                    at: field_at(e.file, f.position),
                    title: f.title.as_deref(),
                    description: f.description.as_deref(),
                    status: f.status,
                    deprecation: f.deprecation.as_ref(),
                });
            }
        }
        for c in &standard.codelists {
            let v = &c.value;
            out.push(Element {
                kind: "code list",
                standard: id,
                name: &v.name,
                path: paths::codelist(id, &v.name),
                at: Location::file(c.file),
                title: v.title.as_deref(),
                description: v.description.as_deref(),
                status: v.status,
                deprecation: v.deprecation.as_ref(),
            });
            for code in &v.codes {
                out.push(Element {
                    kind: "code",
                    standard: id,
                    name: &code.code,
                    path: paths::code(id, &v.name, &code.code),
                    at: Location::file(c.file).key("codes").index(code.position),
                    title: code.label.as_deref(),
                    description: code.description.as_deref(),
                    status: code.status,
                    deprecation: code.deprecation.as_ref(),
                });
            }
        }
    }
    out
}

/// The location of field `position` of the entity in `file`.
pub(crate) fn field_at(file: FileId, position: usize) -> Location {
    Location::file(file).key("fields").index(position)
}

#[cfg(test)]
pub(crate) mod test_support;
