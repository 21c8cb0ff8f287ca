//! The `code-added-closed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a code added to a closed list (`extensible: false`).
    ///
    /// ## Why this bump
    /// Old data conforms (minor under `backward`), but consumers that switch on a closed list meet a
    /// code they do not handle (major under `full`).
    pub struct CodeAddedClosed { id: "code-added-closed", full: Major, backward: Minor, kind: Code, keys: [] }
}

impl ChangeRule for CodeAddedClosed {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Code {
            old: None,
            new: Some(n),
            new_list,
            ..
        } = pair
            && !new_list.extensible.unwrap_or(false)
        {
            out.push(
                &Self::META,
                format!("code `{}` added to closed list `{}`", n.code, new_list.name),
            );
        }
    }
}
