//! The `rule-severity-raised` change rule.

use norm_model::RuleSeverity;

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a validation rule raised from `query` to `error`.
    ///
    /// ## Why this bump
    /// Data that was accepted with an explanation is now rejected: major.
    pub struct RuleSeverityRaised { id: "rule-severity-raised", full: Major, backward: Major, kind: Rule, keys: ["rule.severity"] }
}

impl ChangeRule for RuleSeverityRaised {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Rule {
            old: Some(o),
            new: Some(n),
        } = pair
            && o.severity == Some(RuleSeverity::Query)
            && n.severity.unwrap_or(RuleSeverity::Error) == RuleSeverity::Error
        {
            out.push(
                &Self::META,
                format!("rule `{}` raised from query to error", n.code),
            );
        }
    }
}
