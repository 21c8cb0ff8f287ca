//! The `code-renamed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a code respelt through `renamed_from` (for example `1` to `M`).
    ///
    /// ## Why this bump
    /// Records holding the old spelling no longer conform: major. Reported once, as a rename.
    pub struct CodeRenamed { id: "code-renamed", full: Major, backward: Major, kind: Code, keys: ["code.code", "code.renamed_from"] }
}

impl ChangeRule for CodeRenamed {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Code {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if o.code != n.code {
            out.rename(
                &Self::META,
                format!("code `{}` → `{}`", o.code, n.code),
                &o.code,
                &n.code,
            );
        }
    }
}
