//! The `mapping-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::model::Mapping;

crate::declare_change! {
    /// ## What it does
    /// Reports a mapping added to or removed from a field.
    ///
    /// ## Why this bump
    /// Mappings document where a field goes; they change no data but tell consumers something new:
    /// minor.
    pub struct MappingChanged { id: "mapping-changed", full: Minor, backward: Minor, kind: Field, keys: ["field.mappings"] }
}

impl ChangeRule for MappingChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        let key = |m: &Mapping| m.to.clone().or(m.external.clone()).unwrap_or_default();
        for m in n.mappings.iter().filter(|m| !o.mappings.contains(m)) {
            let relation = format!("{:?}", m.relation).to_lowercase();
            out.push(
                &Self::META,
                format!("field `{}` maps to `{}` ({relation})", n.name, key(m)),
            );
        }
        for m in o.mappings.iter().filter(|m| !n.mappings.contains(m)) {
            out.push(
                &Self::META,
                format!("field `{}` no longer maps to `{}`", n.name, key(m)),
            );
        }
    }
}
