//! The `compatibility-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a change of the standard's diff profile (`compatibility: full | backward`).
    ///
    /// ## Why this bump
    /// The profile decides which future changes count as breaking. Weakening it withdraws a promise
    /// made to consumers, so any change of profile is major.
    pub struct CompatibilityChanged { id: "compatibility-changed", full: Major, backward: Major, kind: Standard, keys: ["standard.compatibility"] }
}

impl ChangeRule for CompatibilityChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Standard {
            old: Some(o),
            new: Some(n),
        } = pair
        else {
            return;
        };
        let (a, b) = (
            o.compatibility.unwrap_or_default(),
            n.compatibility.unwrap_or_default(),
        );
        if a != b {
            out.push(
                &Self::META,
                format!("compatibility profile changed from {a:?} to {b:?}").to_lowercase(),
            );
        }
    }
}
