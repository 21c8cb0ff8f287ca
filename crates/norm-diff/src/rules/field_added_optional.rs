//! The `field-added-optional` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a new optional field.
    ///
    /// ## Why this bump
    /// Old data still conforms (the field may be empty) and consumers can ignore it: minor.
    pub struct FieldAddedOptional { id: "field-added-optional", full: Minor, backward: Minor, kind: Field, keys: [] }
}

impl ChangeRule for FieldAddedOptional {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Field {
            old: None,
            new: Some(n),
            ..
        } = pair
            && !n.required
        {
            out.push(&Self::META, format!("optional field `{}` added", n.name));
        }
    }
}
