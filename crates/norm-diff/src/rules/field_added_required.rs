//! The `field-added-required` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a new required field.
    ///
    /// ## Why this bump
    /// Data made under the old version lacks it and no longer conforms: major. Add it as optional
    /// first, then make it required in a major release.
    pub struct FieldAddedRequired { id: "field-added-required", full: Major, backward: Major, kind: Field, keys: [] }
}

impl ChangeRule for FieldAddedRequired {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Field {
            old: None,
            new: Some(n),
            ..
        } = pair
            && n.required
        {
            out.push(&Self::META, format!("required field `{}` added", n.name));
        }
    }
}
