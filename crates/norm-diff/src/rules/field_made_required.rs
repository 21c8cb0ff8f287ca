//! The `field-made-required` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports an optional field made required.
    ///
    /// ## Why this bump
    /// Records without a value no longer conform: major under both profiles.
    pub struct FieldMadeRequired { id: "field-made-required", full: Major, backward: Major, kind: Field, keys: ["field.required"] }
}

impl ChangeRule for FieldMadeRequired {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if !o.required && n.required {
            out.push(&Self::META, format!("field `{}` made required", n.name));
        }
    }
}
