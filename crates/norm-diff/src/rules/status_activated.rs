//! The `status-activated` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::Status;

crate::declare_change! {
    /// ## What it does
    /// Reports an element whose status went from `proposed` to `active`: the consultation ended and
    /// the element joined the standard.
    ///
    /// ## Why this bump
    /// From now on it is covered by compatibility guarantees and exports: minor, like an addition.
    pub struct StatusActivated { id: "status-activated", full: Minor, backward: Minor, kind: Any, keys: ["entity.status", "field.status", "codelist.status", "code.status", "rule.status"] }
}

impl ChangeRule for StatusActivated {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let (Some(o), Some(n)) = pair.views() else {
            return;
        };
        if o.status == Some(Status::Proposed) && matches!(n.status, None | Some(Status::Active)) {
            out.push(
                &Self::META,
                format!("{} `{}` adopted (proposed → active)", n.kind, n.name),
            );
        }
    }
}
