//! The `codelist-removed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a code list that no longer exists (and was not renamed).
    ///
    /// ## Why this bump
    /// Fields and consumers that use it break: major.
    pub struct CodelistRemoved { id: "codelist-removed", full: Major, backward: Major, kind: Codelist, keys: [] }
}

impl ChangeRule for CodelistRemoved {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Codelist {
            old: Some(o),
            new: None,
        } = pair
        {
            out.push(&Self::META, format!("code list `{}` removed", o.name));
        }
    }
}
