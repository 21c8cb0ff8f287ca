//! The rule registry. Add a rule: write `rules/<id with underscores>.rs` with
//! [`crate::declare_rule!`] and an `impl Rule`, then list it in [`REGISTRY`].

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
pub mod invalid_rename;
pub mod invalid_sql;
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
pub mod rule_sql_count;
pub mod rule_target_unknown;
pub mod sql_unknown_name;
pub mod unknown_consumer;
pub mod unsafe_url;
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
    &invalid_rename::InvalidRename,
    &invalid_sql::InvalidSql,
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
    &rule_sql_count::RuleSqlCount,
    &rule_target_unknown::RuleTargetUnknown,
    &sql_unknown_name::SqlUnknownName,
    &unknown_consumer::UnknownConsumer,
    &unsafe_url::UnsafeUrl,
    &unused_codelist::UnusedCodelist,
];

/// The ids of every rule, the loader's built-in ones included.
pub fn all_ids() -> impl Iterator<Item = &'static str> {
    all().map(|m| m.id)
}

/// The declarations of every rule, the loader's built-in ones included.
pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    builtin::all().chain(REGISTRY.iter().map(|r| r.meta()))
}

#[cfg(test)]
pub(crate) mod test_support;
