//! The `code-added-open` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a code added to an open list (`extensible: true`).
    ///
    /// ## Why this bump
    /// Consumers of an open list already expect new codes: minor.
    pub struct CodeAddedOpen { id: "code-added-open", full: Minor, backward: Minor, kind: Code, keys: [] }
}

impl ChangeRule for CodeAddedOpen {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Code {
            old: None,
            new: Some(n),
            new_list,
            ..
        } = pair
            && new_list.extensible.unwrap_or(false)
        {
            out.push(
                &Self::META,
                format!("code `{}` added to open list `{}`", n.code, new_list.name),
            );
        }
    }
}
