//! The `standard-added` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a standard that is new in this revision.
    ///
    /// ## Why this bump
    /// A new standard adds surface and breaks nobody.
    pub struct StandardAdded { id: "standard-added", full: Minor, backward: Minor, kind: Standard, keys: [] }
}

impl ChangeRule for StandardAdded {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Standard {
            old: None,
            new: Some(n),
        } = pair
        {
            out.push(&Self::META, format!("standard `{}` added", n.id));
        }
    }
}
