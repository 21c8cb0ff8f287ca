//! The `rule-fields-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a change to the `fields` of a validation rule: the fields a failing row is said
    /// to be about.
    ///
    /// ## Why this bump
    /// Which rows fail is up to the SQL; `fields` only says what reports show and the site
    /// links: patch.
    pub struct RuleFieldsChanged { id: "rule-fields-changed", full: Patch, backward: Patch, kind: Rule, keys: ["rule.fields"] }
}

impl ChangeRule for RuleFieldsChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Rule {
            old: Some(o),
            new: Some(n),
        } = pair
            && o.fields != n.fields
        {
            out.push(
                &Self::META,
                format!(
                    "fields of rule `{}` changed from [{}] to [{}]",
                    n.code,
                    o.fields.join(", "),
                    n.fields.join(", ")
                ),
            );
        }
    }
}
