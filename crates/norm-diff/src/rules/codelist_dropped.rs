//! The `codelist-dropped` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::FieldType;

crate::declare_change! {
    /// ## What it does
    /// Reports a coded field turned into free text (`code` to `string`, code list removed).
    ///
    /// ## Why this bump
    /// Every old value is still valid (minor under `backward`), but consumers that switch on the codes
    /// meet values outside them (major under `full`).
    pub struct CodelistDropped { id: "codelist-dropped", full: Major, backward: Minor, kind: Field, keys: ["field.codelist", "field.type"] }
}

impl ChangeRule for CodelistDropped {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if o.field_type == Some(FieldType::Code) && n.field_type == Some(FieldType::String) {
            out.push(
                &Self::META,
                format!(
                    "field `{}` is free text now, no longer coded by `{}`",
                    n.name,
                    o.codelist.as_deref().unwrap_or("?")
                ),
            );
        }
    }
}
