//! The `data-layout-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports a change in how the standard's data files are written: the date format or subject
    /// field of `data:` in `standard.yaml`, the file or sheet names of an entity (`data.names`),
    /// or the column header of a field (`column`).
    ///
    /// ## Why this bump
    /// A file that matched the old layout no longer matches the new one: a column is looked for
    /// under another header, a date is read with another pattern. Data that conformed stops
    /// conforming, so the change is major under both profiles.
    pub struct DataLayoutChanged { id: "data-layout-changed", full: Major, backward: Major, kind: Any, keys: ["standard.data", "entity.data", "field.column"] }
}

impl ChangeRule for DataLayoutChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let meta = &Self::META;
        let shown = |value: Option<&str>| value.map_or("none".to_owned(), |v| format!("`{v}`"));
        match *pair {
            Pair::Standard {
                old: Some(o),
                new: Some(n),
            } => {
                let (od, nd) = (
                    o.data.clone().unwrap_or_default(),
                    n.data.clone().unwrap_or_default(),
                );
                if od.date_format != nd.date_format {
                    out.push(
                        meta,
                        format!(
                            "date format of data files changed from {} to {}",
                            shown(od.date_format.as_deref()),
                            shown(nd.date_format.as_deref())
                        ),
                    );
                }
                if od.subject != nd.subject {
                    out.push(
                        meta,
                        format!(
                            "subject field of data files changed from {} to {}",
                            shown(od.subject.as_deref()),
                            shown(nd.subject.as_deref())
                        ),
                    );
                }
            }
            Pair::Entity {
                old: Some(o),
                new: Some(n),
            } => {
                let names = |e: &norm_model::Entity| {
                    e.data.as_ref().map(|d| d.names.clone()).unwrap_or_default()
                };
                if names(o) != names(n) {
                    out.push(
                        meta,
                        format!(
                            "file and sheet names of entity `{}` changed from [{}] to [{}]",
                            n.name,
                            names(o).join(", "),
                            names(n).join(", ")
                        ),
                    );
                }
            }
            Pair::Field {
                old: Some(o),
                new: Some(n),
                ..
            } if o.column != n.column => {
                out.push(
                    meta,
                    format!(
                        "column header of field `{}` changed from {} to {}",
                        n.name,
                        shown(o.column.as_deref()),
                        shown(n.column.as_deref())
                    ),
                );
            }
            _ => {}
        }
    }
}
