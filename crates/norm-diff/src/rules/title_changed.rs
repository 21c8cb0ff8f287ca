//! The `title-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a changed title, with a word-level diff.
    ///
    /// ## Why this bump
    /// Titles are documentation: patch.
    pub struct TitleChanged { id: "title-changed", full: Patch, backward: Patch, kind: Any, keys: ["standard.title", "entity.title", "field.title", "codelist.title", "rule.title"] }
}

impl ChangeRule for TitleChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let (Some(o), Some(n)) = pair.views() else {
            return;
        };
        if o.kind != "code" && o.title != n.title {
            out.text(
                &Self::META,
                format!("title of {} `{}` changed", n.kind, n.name),
                o.title.unwrap_or(""),
                n.title.unwrap_or(""),
            );
        }
    }
}
