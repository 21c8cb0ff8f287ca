//! The `reference-added` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a foreign key (`references`) added to a field.
    ///
    /// ## Why this bump
    /// Values that matched no record were valid and now are not: major.
    pub struct ReferenceAdded { id: "reference-added", full: Major, backward: Major, kind: Field, keys: ["field.references"] }
}

impl ChangeRule for ReferenceAdded {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if let (None, Some(r)) = (&o.references, &n.references) {
            out.push(
                &Self::META,
                format!("field `{}` now references `{r}`", n.name),
            );
        }
    }
}
