//! The `standard-status-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::model::StandardStatus;

crate::declare_change! {
    /// ## What it does
    /// Reports a change of a standard's lifecycle status (draft, consultation, active, deprecated,
    /// retired).
    ///
    /// ## Why this bump
    /// The status tells adopters whether to build on the standard; a change is news for every consumer
    /// but changes no data: minor, like deprecating an element.
    pub struct StandardStatusChanged { id: "standard-status-changed", full: Minor, backward: Minor, kind: Standard, keys: ["standard.status"] }
}

impl ChangeRule for StandardStatusChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Standard {
            old: Some(o),
            new: Some(n),
        } = pair
        else {
            return;
        };
        if o.status != n.status {
            let word = |s: Option<StandardStatus>| {
                s.map_or("unset".to_owned(), |s| format!("{s:?}").to_lowercase())
            };
            out.push(
                &Self::META,
                format!(
                    "status changed from {} to {}",
                    word(o.status),
                    word(n.status)
                ),
            );
        }
    }
}
