//! The `field-made-optional` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a required field made optional.
    ///
    /// ## Why this bump
    /// Old data still conforms (minor under `backward`), but consumers that relied on a value now meet
    /// empty ones (major under `full`).
    pub struct FieldMadeOptional { id: "field-made-optional", full: Major, backward: Minor, kind: Field, keys: ["field.required"] }
}

impl ChangeRule for FieldMadeOptional {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if o.required && !n.required {
            out.push(&Self::META, format!("field `{}` made optional", n.name));
        }
    }
}
