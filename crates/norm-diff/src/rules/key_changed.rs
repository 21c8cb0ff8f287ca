//! The `key-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a changed primary key or set of unique keys.
    ///
    /// ## Why this bump
    /// Keys decide which records are the same record and which joins hold; changing them changes
    /// both what data is valid and how consumers match it: major.
    pub struct KeyChanged { id: "key-changed", full: Major, backward: Major, kind: Entity, keys: ["entity.primary_key", "entity.unique_keys"] }
}

impl ChangeRule for KeyChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Entity {
            old: Some(o),
            new: Some(n),
        } = pair
        else {
            return;
        };
        if o.primary_key != n.primary_key {
            out.push(
                &Self::META,
                format!(
                    "primary key of `{}` changed from [{}] to [{}]",
                    n.name,
                    o.primary_key.join(", "),
                    n.primary_key.join(", ")
                ),
            );
        }
        if o.unique_keys != n.unique_keys {
            out.push(&Self::META, format!("unique keys of `{}` changed", n.name));
        }
    }
}
