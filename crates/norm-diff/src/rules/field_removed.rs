//! The `field-removed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a field that no longer exists (and was not renamed: see `field-renamed`).
    ///
    /// ## Why this bump
    /// Consumers that read it break: major. Deprecate it in a minor release first; removing a field
    /// that was never deprecated is a policy error.
    pub struct FieldRemoved { id: "field-removed", full: Major, backward: Major, kind: Field, keys: [] }
}

impl ChangeRule for FieldRemoved {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Field {
            old: Some(o),
            new: None,
            ..
        } = pair
        {
            out.push(&Self::META, format!("field `{}` removed", o.name));
        }
    }
}
