//! The change rules, one file each (change-rules.md). Add one: write `rules/<id>.rs` with
//! [`crate::declare_change!`] and an `impl ChangeRule`, then list it in [`REGISTRY`].

use crate::{ChangeMeta, ChangeRule};

pub mod code_added_closed;
pub mod code_added_open;
pub mod code_removed;
pub mod code_renamed;
pub mod codelist_added;
pub mod codelist_closed;
pub mod codelist_dropped;
pub mod codelist_imposed;
pub mod codelist_opened;
pub mod codelist_removed;
pub mod codelist_renamed;
pub mod codelist_retargeted;
pub mod compatibility_changed;
pub mod constraint_loosened;
pub mod constraint_tightened;
pub mod data_layout_changed;
pub mod deprecation_edited;
pub mod deprecation_withdrawn;
pub mod description_changed;
pub mod element_deprecated;
pub mod entity_added;
pub mod entity_removed;
pub mod entity_renamed;
pub mod examples_changed;
pub mod field_added_optional;
pub mod field_added_required;
pub mod field_made_optional;
pub mod field_made_required;
pub mod field_multiple_changed;
pub mod field_removed;
pub mod field_renamed;
pub mod field_type_changed;
pub mod field_type_widened;
pub mod key_changed;
pub mod label_changed;
pub mod mapping_changed;
pub mod metadata_changed;
pub mod reference_added;
pub mod reference_removed;
pub mod reference_retargeted;
pub mod requires_changed;
pub mod rule_added_error;
pub mod rule_added_query;
pub mod rule_entity_changed;
pub mod rule_fields_changed;
pub mod rule_removed;
pub mod rule_renamed;
pub mod rule_severity_lowered;
pub mod rule_severity_raised;
pub mod rule_sql_changed;
pub mod rule_sql_reformatted;
pub mod rule_stage_changed;
pub mod rule_unexpressed_changed;
pub mod standard_added;
pub mod standard_id_changed;
pub mod standard_removed;
pub mod standard_status_changed;
pub mod status_activated;
pub mod status_proposed;
pub mod title_changed;
pub mod used_by_changed;

/// Every change rule, in id order.
pub static REGISTRY: &[&dyn ChangeRule] = &[
    &code_added_closed::CodeAddedClosed,
    &code_added_open::CodeAddedOpen,
    &code_removed::CodeRemoved,
    &code_renamed::CodeRenamed,
    &codelist_added::CodelistAdded,
    &codelist_closed::CodelistClosed,
    &codelist_dropped::CodelistDropped,
    &codelist_imposed::CodelistImposed,
    &codelist_opened::CodelistOpened,
    &codelist_removed::CodelistRemoved,
    &codelist_renamed::CodelistRenamed,
    &codelist_retargeted::CodelistRetargeted,
    &compatibility_changed::CompatibilityChanged,
    &constraint_loosened::ConstraintLoosened,
    &data_layout_changed::DataLayoutChanged,
    &constraint_tightened::ConstraintTightened,
    &deprecation_edited::DeprecationEdited,
    &deprecation_withdrawn::DeprecationWithdrawn,
    &description_changed::DescriptionChanged,
    &element_deprecated::ElementDeprecated,
    &entity_added::EntityAdded,
    &entity_removed::EntityRemoved,
    &entity_renamed::EntityRenamed,
    &examples_changed::ExamplesChanged,
    &field_added_optional::FieldAddedOptional,
    &field_added_required::FieldAddedRequired,
    &field_made_optional::FieldMadeOptional,
    &field_made_required::FieldMadeRequired,
    &field_multiple_changed::FieldMultipleChanged,
    &field_removed::FieldRemoved,
    &field_renamed::FieldRenamed,
    &field_type_changed::FieldTypeChanged,
    &field_type_widened::FieldTypeWidened,
    &key_changed::KeyChanged,
    &label_changed::LabelChanged,
    &mapping_changed::MappingChanged,
    &metadata_changed::MetadataChanged,
    &reference_added::ReferenceAdded,
    &reference_removed::ReferenceRemoved,
    &reference_retargeted::ReferenceRetargeted,
    &requires_changed::RequiresChanged,
    &rule_added_error::RuleAddedError,
    &rule_added_query::RuleAddedQuery,
    &rule_entity_changed::RuleEntityChanged,
    &rule_fields_changed::RuleFieldsChanged,
    &rule_removed::RuleRemoved,
    &rule_renamed::RuleRenamed,
    &rule_severity_lowered::RuleSeverityLowered,
    &rule_severity_raised::RuleSeverityRaised,
    &rule_sql_changed::RuleSqlChanged,
    &rule_sql_reformatted::RuleSqlReformatted,
    &rule_stage_changed::RuleStageChanged,
    &rule_unexpressed_changed::RuleUnexpressedChanged,
    &standard_added::StandardAdded,
    &standard_id_changed::StandardIdChanged,
    &standard_removed::StandardRemoved,
    &standard_status_changed::StandardStatusChanged,
    &status_activated::StatusActivated,
    &status_proposed::StatusProposed,
    &title_changed::TitleChanged,
    &used_by_changed::UsedByChanged,
];

/// The declarations of every change rule, `unclassified` included.
pub fn all() -> impl Iterator<Item = &'static ChangeMeta> {
    REGISTRY
        .iter()
        .map(|r| r.meta())
        .chain(std::iter::once(&crate::engine::UNCLASSIFIED))
}
