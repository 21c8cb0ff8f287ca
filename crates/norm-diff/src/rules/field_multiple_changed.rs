//! The `field-multiple-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a field that changed between a single value and a list of values (`multiple`).
    ///
    /// ## Why this bump
    /// The shape of the data changes either way: major.
    pub struct FieldMultipleChanged { id: "field-multiple-changed", full: Major, backward: Major, kind: Field, keys: ["field.multiple"] }
}

impl ChangeRule for FieldMultipleChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if o.multiple != n.multiple {
            let shape = |m: bool| {
                if m {
                    "a list of values"
                } else {
                    "a single value"
                }
            };
            out.push(
                &Self::META,
                format!(
                    "field `{}` now holds {} instead of {}",
                    n.name,
                    shape(n.multiple),
                    shape(o.multiple)
                ),
            );
        }
    }
}
