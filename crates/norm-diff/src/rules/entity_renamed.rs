//! The `entity-renamed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports an entity renamed, detected through `renamed_from` (never guessed).
    ///
    /// ## Why this bump
    /// Every reference, query and file name using the old name breaks: major. It is reported once, as
    /// a rename, not as a removal and an addition.
    pub struct EntityRenamed { id: "entity-renamed", full: Major, backward: Major, kind: Entity, keys: ["entity.name", "entity.renamed_from"] }
}

impl ChangeRule for EntityRenamed {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Entity {
            old: Some(o),
            new: Some(n),
        } = pair
        else {
            return;
        };
        if o.name != n.name {
            out.rename(
                &Self::META,
                format!("entity renamed `{}` → `{}`", o.name, n.name),
                &o.name,
                &n.name,
            );
        }
    }
}
