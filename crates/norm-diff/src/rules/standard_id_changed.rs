//! The `standard-id-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a standard whose `id` changed.
    ///
    /// ## Why this bump
    /// The id is in every URL, tag and cross-standard reference (`csc-codes/sex`); changing it breaks
    /// them all, so it is major under both profiles. Create a new standard and retire the old one
    /// instead.
    pub struct StandardIdChanged { id: "standard-id-changed", full: Major, backward: Major, kind: Standard, keys: ["standard.id"] }
}

impl ChangeRule for StandardIdChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Standard {
            old: Some(o),
            new: Some(n),
        } = pair
        else {
            return;
        };
        if o.id != n.id {
            out.rename(
                &Self::META,
                format!("standard id changed from `{}` to `{}`", o.id, n.id),
                &o.id,
                &n.id,
            );
        }
    }
}
