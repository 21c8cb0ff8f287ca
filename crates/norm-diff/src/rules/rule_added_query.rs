//! The `rule-added-query` change rule.

use norm_model::RuleSeverity;

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a new validation rule of severity `query`.
    ///
    /// ## Why this bump
    /// A query asks for an explanation but rejects nothing: new surface that breaks nobody, minor.
    pub struct RuleAddedQuery { id: "rule-added-query", full: Minor, backward: Minor, kind: Rule, keys: [] }
}

impl ChangeRule for RuleAddedQuery {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Rule {
            old: None,
            new: Some(n),
        } = pair
            && n.severity == Some(RuleSeverity::Query)
        {
            out.push(&Self::META, format!("query rule `{}` added", n.code));
        }
    }
}
