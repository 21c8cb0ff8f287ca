//! The `rule-renamed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a validation rule whose code changed, the old code recorded in `renamed_from`.
    /// Without `renamed_from` a new code is a rule removed and another added.
    ///
    /// ## Why this bump
    /// The data the rule accepts is the same, but reports, explanations of queries and
    /// suppressions are keyed by the code, and they no longer match: major. Under
    /// `compatibility: backward`, which protects data validity only: patch.
    pub struct RuleRenamed { id: "rule-renamed", full: Major, backward: Patch, kind: Rule, keys: ["rule.code", "rule.renamed_from"] }
}

impl ChangeRule for RuleRenamed {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Rule {
            old: Some(o),
            new: Some(n),
        } = pair
            && o.code != n.code
        {
            out.rename(
                &Self::META,
                format!("rule `{}` → `{}`", o.code, n.code),
                &o.code,
                &n.code,
            );
        }
    }
}
