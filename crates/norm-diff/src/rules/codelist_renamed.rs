//! The `codelist-renamed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a code list renamed through `renamed_from`.
    ///
    /// ## Why this bump
    /// Every reference to the old name breaks: major.
    pub struct CodelistRenamed { id: "codelist-renamed", full: Major, backward: Major, kind: Codelist, keys: ["codelist.name", "codelist.renamed_from"] }
}

impl ChangeRule for CodelistRenamed {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Codelist {
            old: Some(o),
            new: Some(n),
        } = pair
        else {
            return;
        };
        if o.name != n.name {
            out.rename(
                &Self::META,
                format!("code list renamed `{}` → `{}`", o.name, n.name),
                &o.name,
                &n.name,
            );
        }
    }
}
