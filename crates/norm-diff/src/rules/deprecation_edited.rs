//! The `deprecation-edited` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::Status;

crate::declare_change! {
    /// ## What it does
    /// Reports an edit of a deprecation (its reason, replacement, `since` or planned removal) on an
    /// element that stays deprecated.
    ///
    /// ## Why this bump
    /// Documentation of an existing deprecation: patch. A planned removal moved earlier is still
    /// checked by the removal policy when the element goes.
    pub struct DeprecationEdited { id: "deprecation-edited", full: Patch, backward: Patch, kind: Any, keys: ["entity.deprecation", "field.deprecation", "codelist.deprecation", "code.deprecation", "rule.deprecation"] }
}

impl ChangeRule for DeprecationEdited {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let (Some(o), Some(n)) = pair.views() else {
            return;
        };
        if o.status == Some(Status::Deprecated)
            && n.status == Some(Status::Deprecated)
            && o.deprecation != n.deprecation
        {
            out.push(
                &Self::META,
                format!("deprecation of {} `{}` edited", n.kind, n.name),
            );
        }
    }
}
