//! The `rule-severity-lowered` change rule.

use norm_model::RuleSeverity;

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a validation rule lowered from `error` to `query`.
    ///
    /// ## Why this bump
    /// Data that was rejected is now accepted with an explanation, and consumers that relied on
    /// the rule rejecting it lose that guarantee: major. Under `compatibility: backward` it only
    /// loosens what data is valid: minor.
    pub struct RuleSeverityLowered { id: "rule-severity-lowered", full: Major, backward: Minor, kind: Rule, keys: ["rule.severity"] }
}

impl ChangeRule for RuleSeverityLowered {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Rule {
            old: Some(o),
            new: Some(n),
        } = pair
            && o.severity.unwrap_or(RuleSeverity::Error) == RuleSeverity::Error
            && n.severity == Some(RuleSeverity::Query)
        {
            out.push(
                &Self::META,
                format!("rule `{}` lowered from error to query", n.code),
            );
        }
    }
}
