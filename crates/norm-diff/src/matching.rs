//! Matching the elements of two revisions by identity: name, `renamed_from`, and `item` for
//! fields.

use std::collections::BTreeSet;

use norm_model::Status;
use norm_model::model::{Code, CodeList, Entity, Field, Rule};

/// How elements are identified.
pub(crate) trait Identity {
    fn name(&self) -> &str;
    fn renamed_from(&self) -> &[String];
    fn item(&self) -> Option<&str> {
        None
    }
    fn status(&self) -> Option<Status>;
}

/// The identity of an element without an `item`: its name (a code's or rule's code), its
/// earlier names and its status.
macro_rules! identity {
    ($($kind:ty => $name:ident),*) => {$(
        impl Identity for $kind {
            fn name(&self) -> &str {
                &self.$name
            }
            fn renamed_from(&self) -> &[String] {
                &self.renamed_from
            }
            fn status(&self) -> Option<Status> {
                self.status
            }
        }
    )*};
}

identity!(Entity => name, CodeList => name, Code => code, Rule => code);

impl Identity for Field {
    fn name(&self) -> &str {
        &self.name
    }
    fn renamed_from(&self) -> &[String] {
        &self.renamed_from
    }
    fn item(&self) -> Option<&str> {
        self.item.as_deref()
    }
    fn status(&self) -> Option<Status> {
        self.status
    }
}

/// One element on the old and new side.
type Sides<'a, T> = (Option<&'a T>, Option<&'a T>);

/// An item moved to another element: the item, the old owner and the new one.
type Reuse = (String, String, String);

/// Pairs old and new elements: by `item` where the new element has one (unless the old name
/// lives on in another new element: then the item was reused), then by name, then by
/// `renamed_from`. Returns pairs in new order, then removed elements in old order, and the
/// names whose item was reused for another element.
pub(crate) fn match_elements<'a, T: Identity>(
    old: &[&'a T],
    new: &[&'a T],
) -> (Vec<Sides<'a, T>>, Vec<Reuse>) {
    let mut used = vec![false; old.len()];
    let mut pairs = Vec::new();
    let mut reused = Vec::new();
    let new_names: BTreeSet<&str> = new.iter().map(|n| n.name()).collect();
    for &n in new {
        let by_item = n.item().and_then(|item| {
            old.iter()
                .copied()
                .enumerate()
                .find(|(i, o)| !used[*i] && o.item() == Some(item))
        });
        let by_item = match by_item {
            Some((_, o)) if o.name() != n.name() && new_names.contains(o.name()) => {
                reused.push((
                    n.item().unwrap_or_default().to_owned(),
                    o.name().to_owned(),
                    n.name().to_owned(),
                ));
                None
            }
            other => other,
        };
        let found = by_item
            .or_else(|| {
                old.iter()
                    .copied()
                    .enumerate()
                    .find(|(i, o)| !used[*i] && o.name() == n.name())
            })
            .or_else(|| {
                old.iter()
                    .copied()
                    .enumerate()
                    .find(|(i, o)| !used[*i] && n.renamed_from().iter().any(|r| r == o.name()))
            });
        match found {
            Some((i, o)) => {
                used[i] = true;
                pairs.push((Some(o), Some(n)));
            }
            None => pairs.push((None, Some(n))),
        }
    }
    pairs.extend(
        old.iter()
            .copied()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(_, o)| (Some(o), None)),
    );
    (pairs, reused)
}
