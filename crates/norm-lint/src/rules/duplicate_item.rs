//! The `duplicate-item` rule.

use std::collections::HashMap;

use norm_model::ElementPath;

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports two fields of one standard that share an `item` identifier.
    ///
    /// ## Why is this bad?
    /// `item` is how norm recognises a field across renames: two fields with one item make a
    /// rename look like a change to the wrong field, and break the mapping to the source
    /// (`PERS001A`, `N00100`).
    ///
    /// ## Example
    /// ```yaml
    /// - name: pers_dob
    ///   item: PERS005A
    /// - name: pers_expected_dob
    ///   item: PERS005A
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: pers_dob
    ///   item: PERS005A
    /// - name: pers_expected_dob
    ///   item: PERS009A
    /// ```
    pub struct DuplicateItem { id: "duplicate-item", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for DuplicateItem {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        for standard in catalog.standards.values() {
            let mut seen: HashMap<&str, String> = HashMap::new();
            for entity in &standard.entities {
                for f in &entity.value.fields {
                    let Some(item) = f.item.as_deref() else {
                        continue;
                    };
                    let here = format!("{}.{}", entity.value.name, f.name);
                    match seen.get(item) {
                        Some(first) => out.push(
                            Finding::new(
                                field_location(entity, f).key("item"),
                                ElementPath::field(standard.id(), &entity.value.name, &f.name),
                                format!(
                                    "item `{item}` of `{here}` is already the item of `{first}`"
                                ),
                            )
                            .help("give each field its own item identifier"),
                        ),
                        None => {
                            seen.insert(item, here);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_a_reused_item_within_a_standard() {
        let found = run(
            "duplicate-item",
            &[
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    item: A001\n    type: string\n",
                ),
                (
                    "standards/demo/entities/b.yaml",
                    "name: b\nfields:\n  - name: y\n    item: A001\n    type: string\n",
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/entities/b.yaml:4:11 item `A001` of `b.y` is already the item of `a.x`"
            ]
        );
    }

    #[test]
    fn is_silent_when_items_differ_or_are_in_other_standards() {
        let found = run(
            "duplicate-item",
            &[
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    item: A001\n    type: string\n  - name: y\n    type: string\n",
                ),
                (
                    "standards/other/standard.yaml",
                    "id: other\ntitle: O\nversion: 1.0.0\n",
                ),
                (
                    "standards/other/entities/b.yaml",
                    "name: b\nfields:\n  - name: y\n    item: A001\n    type: string\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
