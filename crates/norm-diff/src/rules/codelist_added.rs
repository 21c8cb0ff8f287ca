//! The `codelist-added` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a new code list.
    ///
    /// ## Why this bump
    /// New surface that breaks nobody: minor.
    pub struct CodelistAdded { id: "codelist-added", full: Minor, backward: Minor, kind: Codelist, keys: [] }
}

impl ChangeRule for CodelistAdded {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Codelist {
            old: None,
            new: Some(n),
        } = pair
        {
            out.push(&Self::META, format!("code list `{}` added", n.name));
        }
    }
}
