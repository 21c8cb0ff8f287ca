//! The `entity-added` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a new entity.
    ///
    /// ## Why this bump
    /// New surface that breaks nobody: minor.
    pub struct EntityAdded { id: "entity-added", full: Minor, backward: Minor, kind: Entity, keys: [] }
}

impl ChangeRule for EntityAdded {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        if let Pair::Entity {
            old: None,
            new: Some(n),
        } = pair
        {
            out.push(&Self::META, format!("entity `{}` added", n.name));
        }
    }
}
