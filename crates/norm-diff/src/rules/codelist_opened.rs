//! The `codelist-opened` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a closed code list made open (`extensible: false` to `true`).
    ///
    /// ## Why this bump
    /// Old data conforms (minor under `backward`), but consumers that switch on the codes must now
    /// handle codes they do not know (major under `full`).
    pub struct CodelistOpened { id: "codelist-opened", full: Major, backward: Minor, kind: Codelist, keys: ["codelist.extensible"] }
}

impl ChangeRule for CodelistOpened {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Codelist {
            old: Some(o),
            new: Some(n),
        } = pair
        else {
            return;
        };
        if !o.extensible.unwrap_or(false) && n.extensible.unwrap_or(false) {
            out.push(
                &Self::META,
                format!("code list `{}` opened (extensible)", n.name),
            );
        }
    }
}
