//! The `codelist-closed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports an open code list made closed (`extensible: true` to `false`).
    ///
    /// ## Why this bump
    /// Local codes that were valid no longer are: major.
    pub struct CodelistClosed { id: "codelist-closed", full: Major, backward: Major, kind: Codelist, keys: ["codelist.extensible"] }
}

impl ChangeRule for CodelistClosed {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Codelist {
            old: Some(o),
            new: Some(n),
        } = pair
        else {
            return;
        };
        if o.extensible.unwrap_or(false) && !n.extensible.unwrap_or(false) {
            out.push(
                &Self::META,
                format!("code list `{}` closed (no longer extensible)", n.name),
            );
        }
    }
}
