//! The `rule-entity-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a validation rule moved to another `entity`: it now reports the rows of another
    /// table.
    ///
    /// ## Why this bump
    /// Different rows are rejected, and reports point at another file: major.
    pub struct RuleEntityChanged { id: "rule-entity-changed", full: Major, backward: Major, kind: Rule, keys: ["rule.entity"] }
}

impl ChangeRule for RuleEntityChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Rule {
            old: Some(o),
            new: Some(n),
        } = pair
            && o.entity != n.entity
        {
            let name = |e: &Option<String>| e.clone().unwrap_or_else(|| "none".into());
            out.push(
                &Self::META,
                format!(
                    "rule `{}` moved from entity `{}` to `{}`",
                    n.code,
                    name(&o.entity),
                    name(&n.entity)
                ),
            );
        }
    }
}
