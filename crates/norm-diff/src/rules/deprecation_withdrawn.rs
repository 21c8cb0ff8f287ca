//! The `deprecation-withdrawn` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::Status;

crate::declare_change! {
    /// ## What it does
    /// Reports a deprecation that was withdrawn: the element is active again.
    ///
    /// ## Why this bump
    /// Nothing that worked stops working: patch.
    pub struct DeprecationWithdrawn { id: "deprecation-withdrawn", full: Patch, backward: Patch, kind: Any, keys: ["entity.status", "field.status", "codelist.status", "code.status", "entity.deprecation", "field.deprecation", "codelist.deprecation", "code.deprecation", "rule.status", "rule.deprecation"] }
}

impl ChangeRule for DeprecationWithdrawn {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let (Some(o), Some(n)) = pair.views() else {
            return;
        };
        if o.status == Some(Status::Deprecated)
            && n.status != Some(Status::Deprecated)
            && n.status != Some(Status::Proposed)
        {
            out.push(
                &Self::META,
                format!("deprecation of {} `{}` withdrawn", n.kind, n.name),
            );
        }
    }
}
