//! The `rule-added-error` change rule.

use norm_model::RuleSeverity;

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a new validation rule of severity `error` (or without a severity, which is read as
    /// the stricter `error`).
    ///
    /// ## Why this bump
    /// Data that passed before is now rejected: major.
    pub struct RuleAddedError { id: "rule-added-error", full: Major, backward: Major, kind: Rule, keys: [] }
}

impl ChangeRule for RuleAddedError {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Rule {
            old: None,
            new: Some(n),
        } = pair
            && n.severity.unwrap_or(RuleSeverity::Error) == RuleSeverity::Error
        {
            out.push(&Self::META, format!("error rule `{}` added", n.code));
        }
    }
}
