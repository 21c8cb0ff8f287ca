//! The `code-removed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a code that no longer exists (and was not renamed).
    ///
    /// ## Why this bump
    /// Records holding it no longer conform: major. Deprecate it in a minor release first.
    pub struct CodeRemoved { id: "code-removed", full: Major, backward: Major, kind: Code, keys: [] }
}

impl ChangeRule for CodeRemoved {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Code {
            old: Some(o),
            new: None,
            old_list,
            ..
        } = pair
        {
            out.push(
                &Self::META,
                format!("code `{}` removed from `{}`", o.code, old_list.name),
            );
        }
    }
}
