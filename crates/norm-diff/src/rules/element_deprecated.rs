//! The `element-deprecated` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::Status;

crate::declare_change! {
    /// ## What it does
    /// Reports an element that became deprecated.
    ///
    /// ## Why this bump
    /// Deprecation announces a removal without making one: consumers keep working and get time to
    /// move. Minor, and the first half of the deprecate-then-remove policy.
    pub struct ElementDeprecated { id: "element-deprecated", full: Minor, backward: Minor, kind: Any, keys: ["entity.status", "field.status", "codelist.status", "code.status", "entity.deprecation", "field.deprecation", "codelist.deprecation", "code.deprecation", "rule.status", "rule.deprecation"] }
}

impl ChangeRule for ElementDeprecated {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let (Some(o), Some(n)) = pair.views() else {
            return;
        };
        if o.status != Some(Status::Deprecated) && n.status == Some(Status::Deprecated) {
            let d = n.deprecation;
            let mut message = format!("{} `{}` deprecated", n.kind, n.name);
            if let Some(r) = d.and_then(|d| d.replaced_by.as_deref()) {
                message.push_str(&format!(", replaced by `{r}`"));
            }
            if let Some(r) = d.and_then(|d| d.removal.as_deref()) {
                message.push_str(&format!(", removal planned in {r}"));
            }
            out.push(&Self::META, message);
        }
    }
}
