//! The `reference-retargeted` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a foreign key pointed at another field.
    ///
    /// ## Why this bump
    /// The same values now mean other records: major.
    pub struct ReferenceRetargeted { id: "reference-retargeted", full: Major, backward: Major, kind: Field, keys: ["field.references"] }
}

impl ChangeRule for ReferenceRetargeted {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if let (Some(a), Some(b)) = (&o.references, &n.references)
            && a != b
        {
            out.push(
                &Self::META,
                format!("field `{}` references `{b}` instead of `{a}`", n.name),
            );
        }
    }
}
