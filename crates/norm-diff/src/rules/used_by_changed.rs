//! The `used-by-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a consumer added to or removed from a field's `used_by`.
    ///
    /// ## Why this bump
    /// It changes who is told about future changes, not the data: minor.
    pub struct UsedByChanged { id: "used-by-changed", full: Minor, backward: Minor, kind: Field, keys: ["field.used_by"] }
}

impl ChangeRule for UsedByChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        for c in n.used_by.iter().filter(|c| !o.used_by.contains(c)) {
            out.push(
                &Self::META,
                format!("field `{}` is now used by `{c}`", n.name),
            );
        }
        for c in o.used_by.iter().filter(|c| !n.used_by.contains(c)) {
            out.push(
                &Self::META,
                format!("field `{}` is no longer used by `{c}`", n.name),
            );
        }
    }
}
