//! The `entity-removed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports an entity that no longer exists (and was not renamed: see `entity-renamed`).
    ///
    /// ## Why this bump
    /// Data of that entity no longer conforms, and consumers lose it: major.
    pub struct EntityRemoved { id: "entity-removed", full: Major, backward: Major, kind: Entity, keys: [] }
}

impl ChangeRule for EntityRemoved {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Entity {
            old: Some(o),
            new: None,
        } = pair
        {
            out.push(&Self::META, format!("entity `{}` removed", o.name));
        }
    }
}
