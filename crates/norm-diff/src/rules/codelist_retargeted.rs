//! The `codelist-retargeted` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a coded field moved to another code list.
    ///
    /// ## Why this bump
    /// Codes valid in the old list may be invalid, or mean something else, in the new one: major.
    pub struct CodelistRetargeted { id: "codelist-retargeted", full: Major, backward: Major, kind: Field, keys: ["field.codelist"] }
}

impl ChangeRule for CodelistRetargeted {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if let (Some(a), Some(b)) = (&o.codelist, &n.codelist)
            && a != b
        {
            out.push(
                &Self::META,
                format!("field `{}` uses code list `{b}` instead of `{a}`", n.name),
            );
        }
    }
}
