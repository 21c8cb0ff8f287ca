//! The `rule-sql-changed` change rule.

use norm_model::sql::analyse;

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a validation rule whose `check` or `select` means something else: the SQL differs
    /// after normalising (parsed and printed back, so that line breaks, indentation and the case
    /// of keywords do not count). SQL written for a rule that was `unexpressed`, or taken away
    /// from one that now is, is such a change too.
    ///
    /// ## Why this bump
    /// Which rows the rule rejects changes, in either direction: major.
    pub struct RuleSqlChanged { id: "rule-sql-changed", full: Major, backward: Major, kind: Rule, keys: ["rule.check", "rule.select", "rule.unexpressed"] }
}

impl ChangeRule for RuleSqlChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Rule {
            old: Some(o),
            new: Some(n),
        } = pair
        else {
            return;
        };
        let (os, ns) = (o.sql(), n.sql());
        // Equal texts are the same SQL without a look at either.
        let changed = os != ns
            && match (os, ns) {
                (Some(o), Some(n)) => o.key() != n.key() || analyse(o).normal != analyse(n).normal,
                _ => true,
            };
        if changed {
            out.text(
                &Self::META,
                format!("SQL of rule `{}` changed", n.code),
                os.map(|s| s.text()).unwrap_or(""),
                ns.map(|s| s.text()).unwrap_or(""),
            );
        }
    }
}
