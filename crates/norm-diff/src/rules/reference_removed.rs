//! The `reference-removed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a foreign key (`references`) removed from a field.
    ///
    /// ## Why this bump
    /// Old data still conforms (minor under `backward`), but consumers that joined on it lose the
    /// guarantee (major under `full`).
    pub struct ReferenceRemoved { id: "reference-removed", full: Major, backward: Minor, kind: Field, keys: ["field.references"] }
}

impl ChangeRule for ReferenceRemoved {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if let (Some(r), None) = (&o.references, &n.references) {
            out.push(
                &Self::META,
                format!("field `{}` no longer references `{r}`", n.name),
            );
        }
    }
}
