//! The `codelist-imposed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::FieldType;

crate::declare_change! {
    /// ## What it does
    /// Reports a free-text field given a code list (`string` to `code`).
    ///
    /// ## Why this bump
    /// Old free-text values are no longer valid: major.
    pub struct CodelistImposed { id: "codelist-imposed", full: Major, backward: Major, kind: Field, keys: ["field.codelist", "field.type"] }
}

impl ChangeRule for CodelistImposed {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if o.field_type == Some(FieldType::String) && n.field_type == Some(FieldType::Code) {
            out.push(
                &Self::META,
                format!(
                    "field `{}` is coded by `{}` now, no longer free text",
                    n.name,
                    n.codelist.as_deref().unwrap_or("?")
                ),
            );
        }
    }
}
