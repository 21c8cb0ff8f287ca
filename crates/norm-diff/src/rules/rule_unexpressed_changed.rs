//! The `rule-unexpressed-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a changed `unexpressed` reason: why a validation rule has no SQL.
    ///
    /// ## Why this bump
    /// The reason is documentation: no row is checked differently. SQL written for a rule that
    /// had none is `rule-sql-changed`: major.
    pub struct RuleUnexpressedChanged { id: "rule-unexpressed-changed", full: Patch, backward: Patch, kind: Rule, keys: ["rule.unexpressed"] }
}

impl ChangeRule for RuleUnexpressedChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Rule {
            old: Some(o),
            new: Some(n),
        } = pair
            && o.unexpressed != n.unexpressed
            // SQL written or taken away is `rule-sql-changed`; the reason goes with it.
            && o.sql().is_none()
            && n.sql().is_none()
        {
            out.text(
                &Self::META,
                format!("why rule `{}` has no SQL changed", n.code),
                o.unexpressed.as_deref().unwrap_or(""),
                n.unexpressed.as_deref().unwrap_or(""),
            );
        }
    }
}
