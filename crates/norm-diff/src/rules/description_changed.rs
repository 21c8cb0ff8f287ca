//! The `description-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a changed description, with a word-level diff.
    ///
    /// ## Why this bump
    /// Descriptions are documentation: patch. If an edit changes what a value means, say so in the
    /// change notes: norm cannot tell.
    pub struct DescriptionChanged { id: "description-changed", full: Patch, backward: Patch, kind: Any, keys: ["standard.description", "entity.description", "field.description", "codelist.description", "code.description", "rule.description"] }
}

impl ChangeRule for DescriptionChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let (Some(o), Some(n)) = pair.views() else {
            return;
        };
        if o.description != n.description {
            out.text(
                &Self::META,
                format!("description of {} `{}` changed", n.kind, n.name),
                o.description.unwrap_or(""),
                n.description.unwrap_or(""),
            );
        }
    }
}
