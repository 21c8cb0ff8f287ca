//! The `status-proposed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::Status;

crate::declare_change! {
    /// ## What it does
    /// Reports an active element put back to `proposed`.
    ///
    /// ## Why this bump
    /// Proposed elements are excluded from exports and guarantees, so for consumers the element is
    /// gone: major.
    pub struct StatusProposed { id: "status-proposed", full: Major, backward: Major, kind: Any, keys: ["entity.status", "field.status", "codelist.status", "code.status", "rule.status"] }
}

impl ChangeRule for StatusProposed {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let (Some(o), Some(n)) = pair.views() else {
            return;
        };
        if o.status != Some(Status::Proposed) && n.status == Some(Status::Proposed) {
            out.push(
                &Self::META,
                format!("{} `{}` returned to proposed", n.kind, n.name),
            );
        }
    }
}
