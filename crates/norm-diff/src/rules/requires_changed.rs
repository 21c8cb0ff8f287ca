//! The `requires-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use std::collections::BTreeSet;

crate::declare_change! {
    /// ## What it does
    /// Reports a `requires` entry added, removed or given another range.
    ///
    /// ## Why this bump
    /// `requires` is the contract with the standards this one builds on; consumers who install a set of
    /// standards together need to know when it moves. It changes no data of this standard: minor.
    pub struct RequiresChanged { id: "requires-changed", full: Minor, backward: Minor, kind: Standard, keys: ["standard.requires"] }
}

impl ChangeRule for RequiresChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Standard {
            old: Some(o),
            new: Some(n),
        } = pair
        else {
            return;
        };
        let ids: BTreeSet<&String> = o.requires.keys().chain(n.requires.keys()).collect();
        for id in ids {
            match (o.requires.get(id), n.requires.get(id)) {
                (None, Some(r)) => out.push(&Self::META, format!("now requires `{id}` {r}")),
                (Some(r), None) => {
                    out.push(&Self::META, format!("no longer requires `{id}` (was {r})"))
                }
                (Some(a), Some(b)) if a != b => {
                    out.push(&Self::META, format!("requires `{id}` {b} instead of {a}"))
                }
                _ => {}
            }
        }
    }
}
