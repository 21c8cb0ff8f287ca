//! The `rule-stage-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a validation rule moved to another `stage`.
    ///
    /// ## Why this bump
    /// The stage orders the work (stage-2 rules wait until stage 1 found no error); the rows a
    /// rule rejects once it runs are the same: patch.
    pub struct RuleStageChanged { id: "rule-stage-changed", full: Patch, backward: Patch, kind: Rule, keys: ["rule.stage"] }
}

impl ChangeRule for RuleStageChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Rule {
            old: Some(o),
            new: Some(n),
        } = pair
            && o.stage != n.stage
        {
            // No stage is stage 1: writing the default out changes nothing but the text.
            let (from, to) = (o.stage.unwrap_or(1), n.stage.unwrap_or(1));
            let message = if from == to {
                format!(
                    "stage of rule `{}` unchanged ({to}), only written differently",
                    n.code
                )
            } else {
                format!("rule `{}` moved from stage {from} to stage {to}", n.code)
            };
            out.push(&Self::META, message);
        }
    }
}
