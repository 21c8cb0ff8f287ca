//! The `rule-removed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a validation rule that is gone (and not renamed through `renamed_from`).
    ///
    /// ## Why this bump
    /// Data that was rejected is now accepted, and consumers relying on the check lose it: major.
    /// Under `compatibility: backward` it only loosens what data is valid: minor. Rules hold no
    /// data, so removing one needs no deprecation first (the DfE deletes rules between
    /// collection years).
    pub struct RuleRemoved { id: "rule-removed", full: Major, backward: Minor, kind: Rule, keys: [] }
}

impl ChangeRule for RuleRemoved {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Rule {
            old: Some(o),
            new: None,
        } = pair
        {
            out.push(&Self::META, format!("rule `{}` removed", o.code));
        }
    }
}
