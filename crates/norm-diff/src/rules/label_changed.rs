//! The `label-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a changed code label, with a word-level diff. When the old and new labels share no
    /// word, the code probably changed meaning: that is also a policy error (`code-meaning-changed`),
    /// because data recorded under the old meaning now reads differently.
    ///
    /// ## Why this bump
    /// A relabel that keeps the meaning ("Abuse or neglect" → "Abuse, neglect and exploitation") is
    /// documentation: patch.
    pub struct LabelChanged { id: "label-changed", full: Patch, backward: Patch, kind: Code, keys: ["code.label"] }
}

impl ChangeRule for LabelChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Code {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if o.label != n.label {
            let (a, b) = (
                o.label.as_deref().unwrap_or(""),
                n.label.as_deref().unwrap_or(""),
            );
            out.text(
                &Self::META,
                format!("label of code `{}` changed", n.code),
                a,
                b,
            );
            if !a.is_empty() && !b.is_empty() && crate::text::diff(a, b).disjoint() {
                out.policy(
                    "code-meaning-changed",
                    format!("code `{}` changed label from \"{a}\" to \"{b}\", which share no word: a code must keep its meaning; add a new code instead", n.code),
                );
            }
        }
    }
}
