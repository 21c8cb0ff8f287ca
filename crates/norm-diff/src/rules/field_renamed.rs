//! The `field-renamed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a field renamed, recognised by its `item` or through `renamed_from`.
    ///
    /// ## Why this bump
    /// Every extract, query and mapping using the old name breaks: major. Reported once, as a rename,
    /// with the consumers of the field.
    pub struct FieldRenamed { id: "field-renamed", full: Major, backward: Major, kind: Field, keys: ["field.name", "field.renamed_from"] }
}

impl ChangeRule for FieldRenamed {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if o.name != n.name {
            out.rename(
                &Self::META,
                format!("field renamed `{}` → `{}`", o.name, n.name),
                &o.name,
                &n.name,
            );
        }
    }
}
