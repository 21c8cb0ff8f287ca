//! The rule registry. Add a rule: write `rules/<id with underscores>.rs` with
//! [`crate::declare_rule!`] and an `impl Rule`, then list it in [`REGISTRY`].

use norm_model::catalog::{Doc, FileId};
use norm_model::{Catalog, CodeList, Entity, Location};

use crate::{Rule, RuleMeta};

pub mod builtin;
pub mod dangling_reference;
pub mod duplicate_name;
pub mod file_name_mismatch;
pub mod invalid_version;
pub mod missing_primary_key;
pub mod primary_key_unknown_field;

/// Every rule that inspects the loaded catalog, in id order.
pub static REGISTRY: &[&dyn Rule] = &[
    &dangling_reference::DanglingReference,
    &duplicate_name::DuplicateName,
    &file_name_mismatch::FileNameMismatch,
    &invalid_version::InvalidVersion,
    &missing_primary_key::MissingPrimaryKey,
    &primary_key_unknown_field::PrimaryKeyUnknownField,
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

/// Every code list of the catalog with the id of its standard.
pub(crate) fn codelists(catalog: &Catalog) -> impl Iterator<Item = (&str, &Doc<CodeList>)> {
    catalog
        .standards
        .values()
        .flat_map(|s| s.codelists.iter().map(move |c| (s.id(), c)))
}

/// The location of field `position` of the entity in `file`.
pub(crate) fn field_at(file: FileId, position: usize) -> Location {
    Location::file(file).key("fields").index(position)
}

#[cfg(test)]
pub(crate) mod test_support;
