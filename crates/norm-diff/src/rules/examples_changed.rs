//! The `examples-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports changed examples of a field.
    ///
    /// ## Why this bump
    /// Examples are documentation: patch.
    pub struct ExamplesChanged { id: "examples-changed", full: Patch, backward: Patch, kind: Field, keys: ["field.examples"] }
}

impl ChangeRule for ExamplesChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if o.examples != n.examples {
            out.push(
                &Self::META,
                format!("examples of field `{}` changed", n.name),
            );
        }
    }
}
