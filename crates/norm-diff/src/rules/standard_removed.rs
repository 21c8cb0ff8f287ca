//! The `standard-removed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a standard that no longer exists.
    ///
    /// ## Why this bump
    /// Everyone who uses it loses it: major. Deprecate and retire a standard before removing it.
    pub struct StandardRemoved { id: "standard-removed", full: Major, backward: Major, kind: Standard, keys: [] }
}

impl ChangeRule for StandardRemoved {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Standard {
            old: Some(o),
            new: None,
        } = pair
        {
            out.push(&Self::META, format!("standard `{}` removed", o.id));
        }
    }
}
