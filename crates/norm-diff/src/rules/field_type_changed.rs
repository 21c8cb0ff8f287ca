//! The `field-type-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::FieldType;

crate::declare_change! {
    /// ## What it does
    /// Reports an incompatible change of a field's type (for example `string` to `date`). Changes
    /// between `code` and `string` are classified by `codelist-dropped` and `codelist-imposed`, and
    /// widenings by `field-type-widened`.
    ///
    /// ## Why this bump
    /// Old values may not parse as the new type, and consumers parse them differently: major.
    pub struct FieldTypeChanged { id: "field-type-changed", full: Major, backward: Major, kind: Field, keys: ["field.type"] }
}

impl ChangeRule for FieldTypeChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        let (Some(a), Some(b)) = (o.field_type, n.field_type) else {
            return;
        };
        let code_string = matches!(
            (a, b),
            (FieldType::Code, FieldType::String) | (FieldType::String, FieldType::Code)
        );
        if a != b && !code_string && !super::field_type_widened::widens(a, b) {
            out.push(
                &Self::META,
                format!(
                    "type of `{}` changed from {} to {}",
                    n.name,
                    a.as_str(),
                    b.as_str()
                ),
            );
        }
    }
}
