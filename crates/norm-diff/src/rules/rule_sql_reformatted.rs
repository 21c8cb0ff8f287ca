//! The `rule-sql-reformatted` change rule.

use norm_model::sql::analyse;

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a validation rule whose `check` or `select` was only reformatted: the text differs
    /// but the normalised SQL is the same (line breaks, indentation, the case of keywords).
    ///
    /// ## Why this bump
    /// The rule rejects the same rows: patch.
    pub struct RuleSqlReformatted { id: "rule-sql-reformatted", full: Patch, backward: Patch, kind: Rule, keys: ["rule.check", "rule.select"] }
}

impl ChangeRule for RuleSqlReformatted {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Rule {
            old: Some(o),
            new: Some(n),
        } = pair
        else {
            return;
        };
        let (Some(os), Some(ns)) = (o.sql(), n.sql()) else {
            return;
        };
        if os != ns && os.key() == ns.key() && analyse(os).normal == analyse(ns).normal {
            out.text(
                &Self::META,
                format!("SQL of rule `{}` reformatted", n.code),
                os.text(),
                ns.text(),
            );
        }
    }
}
