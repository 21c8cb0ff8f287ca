//! The `constraint-tightened` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a constraint tightened or added: `max_length` down, `min_length` or `minimum` up,
    /// `maximum` down, a `pattern` added or changed, `unique` added.
    ///
    /// ## Why this bump
    /// Some old values no longer conform: major under both profiles.
    pub struct ConstraintTightened { id: "constraint-tightened", full: Major, backward: Major, kind: Field, keys: ["field.constraints"] }
}

impl ChangeRule for ConstraintTightened {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        let (a, b) = (
            o.constraints.clone().unwrap_or_default(),
            n.constraints.clone().unwrap_or_default(),
        );
        for change in super::constraint_loosened::compare(&a, &b)
            .into_iter()
            .filter(|c| c.tighter)
        {
            out.push(
                &Self::META,
                format!(
                    "`{}` of `{}` tightened: {}",
                    change.key, n.name, change.words
                ),
            );
        }
    }
}
