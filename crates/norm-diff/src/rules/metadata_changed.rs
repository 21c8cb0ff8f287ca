//! The `metadata-changed` change rule.

use crate::{ChangeRule, Cx, Out, Pair};

crate::declare_change! {
    /// ## What it does
    /// Reports changes of metadata that leave the value space and structure alone: a standard's
    /// summary, owner, licence and sources; a code list's source and item; a field's item; `since`;
    /// earlier names recorded in `renamed_from` without a rename; a validation rule's mappings.
    ///
    /// ## Why this bump
    /// Documentation and provenance: patch. A changed `item` deserves a look all the same: items are
    /// how fields are recognised across renames.
    pub struct MetadataChanged { id: "metadata-changed", full: Patch, backward: Patch, kind: Any, keys: ["standard.summary", "standard.owner", "standard.licence", "standard.sources", "codelist.source", "codelist.item", "field.item", "field.since", "code.since", "entity.renamed_from", "field.renamed_from", "codelist.renamed_from", "code.renamed_from", "rule.since", "rule.mappings", "rule.renamed_from"] }
}

impl ChangeRule for MetadataChanged {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let meta = &Self::META;
        let differs =
            |a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| format!("{a:?}") != format!("{b:?}");
        match *pair {
            Pair::Standard {
                old: Some(o),
                new: Some(n),
            } => {
                if o.summary != n.summary {
                    out.text(
                        meta,
                        "summary changed",
                        o.summary.as_deref().unwrap_or(""),
                        n.summary.as_deref().unwrap_or(""),
                    );
                }
                for (key, changed) in [
                    ("owner", o.owner != n.owner),
                    ("licence", o.licence != n.licence),
                    ("sources", o.sources != n.sources),
                ] {
                    if changed {
                        out.push(meta, format!("{key} changed"));
                    }
                }
            }
            Pair::Codelist {
                old: Some(o),
                new: Some(n),
            } => {
                if o.source != n.source {
                    out.push(meta, "source changed");
                }
                if o.item != n.item {
                    out.push(
                        meta,
                        format!("item changed from {:?} to {:?}", o.item, n.item),
                    );
                }
                if o.name == n.name && o.renamed_from != n.renamed_from {
                    out.push(meta, "earlier names (`renamed_from`) edited");
                }
            }
            Pair::Field {
                old: Some(o),
                new: Some(n),
                ..
            } => {
                if o.item != n.item {
                    out.push(
                        meta,
                        format!(
                            "item changed from {} to {}",
                            o.item.as_deref().unwrap_or("none"),
                            n.item.as_deref().unwrap_or("none")
                        ),
                    );
                }
                if o.since != n.since {
                    out.push(meta, "`since` changed");
                }
                if o.name == n.name && o.renamed_from != n.renamed_from {
                    out.push(meta, "earlier names (`renamed_from`) edited");
                }
            }
            Pair::Entity {
                old: Some(o),
                new: Some(n),
            } if o.name == n.name && differs(&o.renamed_from, &n.renamed_from) => {
                out.push(meta, "earlier names (`renamed_from`) edited");
            }
            Pair::Code {
                old: Some(o),
                new: Some(n),
                ..
            } => {
                if o.since != n.since {
                    out.push(meta, "`since` changed");
                }
                if o.code == n.code && o.renamed_from != n.renamed_from {
                    out.push(meta, "earlier spellings (`renamed_from`) edited");
                }
            }
            Pair::Rule {
                old: Some(o),
                new: Some(n),
            } => {
                if o.since != n.since {
                    out.push(meta, "`since` changed");
                }
                if o.mappings != n.mappings {
                    out.push(meta, "mappings changed");
                }
                if o.code == n.code && o.renamed_from != n.renamed_from {
                    out.push(meta, "earlier codes (`renamed_from`) edited");
                }
            }
            _ => {}
        }
    }
}
