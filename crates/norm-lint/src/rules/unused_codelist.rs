//! The `unused-codelist` rule.

use std::collections::HashSet;

use norm_model::{ElementPath, Location};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a code list that no field of any standard in the repository uses. Lists in a
    /// standard without entities (a shared code-list standard such as `csc-codes`) count as
    /// used when any standard uses them.
    ///
    /// ## Why is this bad?
    /// An unused list is maintained, reviewed and published for nobody; usually a field lost its
    /// `codelist` in an edit, or the list was left behind when its field was removed.
    ///
    /// ## Example
    /// A `codelists/legacy_gender.yaml` that no `codelist:` key names.
    ///
    /// Use instead: point the field at it, or remove it (after deprecating it).
    pub struct UnusedCodelist { id: "unused-codelist", severity: Warning, recommended: true, since: "0.1.0" }
}

impl Rule for UnusedCodelist {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        // An entity that did not load may use any list: its syntax error is the finding.
        if catalog.has_unloaded_entities() {
            return;
        }
        let used: HashSet<(&str, &str)> = catalog
            .fields()
            .filter_map(|(from, _, f)| Some((from.id(), f.codelist.as_deref()?)))
            .filter_map(|(id, reference)| {
                let (standard, list) = catalog.resolve_codelist(id, reference).ok()?;
                Some((standard.id(), list.value.name.as_str()))
            })
            .collect();
        for standard in catalog.standards.values() {
            for list in &standard.codelists {
                if !used.contains(&(standard.id(), list.value.name.as_str())) {
                    out.push(Finding::new(
                        Location::file(list.file).key("name"),
                        ElementPath::codelist(standard.id(), &list.value.name),
                        format!("code list `{}` is not used by any field", list.value.name),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_a_list_nothing_uses() {
        let found = run(
            "unused-codelist",
            &[
                (
                    "standards/demo/codelists/used.yaml",
                    "name: used\ncodes: []\n",
                ),
                (
                    "standards/demo/codelists/spare.yaml",
                    "name: spare\ncodes: []\n",
                ),
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    type: code\n    codelist: used\n",
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/codelists/spare.yaml:1:7 code list `spare` is not used by any field"
            ]
        );
    }

    #[test]
    fn is_silent_when_another_standard_uses_the_list() {
        let found = run(
            "unused-codelist",
            &[
                (
                    "standards/demo/codelists/sex.yaml",
                    "name: sex\ncodes: []\n",
                ),
                (
                    "standards/other/standard.yaml",
                    "id: other\ntitle: O\nversion: 1.0.0\nrequires: { demo: \"^1.0\" }\n",
                ),
                (
                    "standards/other/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    type: code\n    codelist: demo/sex\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
