//! The `mapping-target-unknown` rule.

use norm_model::{ElementPath, Unresolved};

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports a mapping whose `to` names a field that does not exist in this repository, and a
    /// mapping with neither `to` nor `external`.
    ///
    /// ## Why is this bad?
    /// Mappings are how a field is traced into the returns it feeds; a broken one drops a
    /// consumer from every impact report.
    ///
    /// ## Example
    /// ```yaml
    /// mappings:
    ///   - to: cin-census/child.la_childid
    ///     relation: exact
    /// ```
    /// Use instead:
    /// ```yaml
    /// mappings:
    ///   - to: cin-census/child.la_child_id
    ///     relation: exact
    /// ```
    pub struct MappingTargetUnknown { id: "mapping-target-unknown", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for MappingTargetUnknown {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (standard, entity, f) in cx.catalog.fields() {
            let id = standard.id();
            for (i, mapping) in f.mappings.iter().enumerate() {
                let at = field_location(entity, f).key("mappings").index(i);
                let path = ElementPath::field(id, &entity.value.name, &f.name);
                let Some(target) = &mapping.to else {
                    if mapping.external.is_none() {
                        out.push(
                            Finding::new(at, path, "mapping has neither `to` nor `external`").help(
                                "add `to: <standard>/<entity>.<field>` or `external: <identifier>`",
                            ),
                        );
                    }
                    continue;
                };
                let message = match cx.catalog.find_field(id, target) {
                    // A target in a file that did not load is judged once it loads.
                    Ok(_) | Err(Unresolved::Unloaded(_)) => continue,
                    Err(Unresolved::Malformed(m)) => m,
                    Err(Unresolved::UnknownStandard(s)) => format!(
                        "mapping target `{target}` is in standard `{s}`, which does not exist here"
                    ),
                    Err(_) => format!("mapping target `{target}` does not exist"),
                };
                out.push(Finding::new(at.key("to"), path, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_missing_targets() {
        insta::assert_snapshot!(run(
            "mapping-target-unknown",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: x\n    type: string\n    mappings:\n      - { to: a.y, relation: exact }\n      - { to: other/b.c, relation: close }\n      - { relation: broad }\n",
            )],
        )
        .join("\n"));
    }

    #[test]
    fn is_silent_on_resolving_targets() {
        let found = run(
            "mapping-target-unknown",
            &[
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    type: string\n    mappings:\n      - { to: other/b.c, relation: exact }\n      - { external: CBDS N00097, relation: close }\n",
                ),
                (
                    "standards/other/standard.yaml",
                    "id: other\ntitle: O\nversion: 1.0.0\n",
                ),
                (
                    "standards/other/entities/b.yaml",
                    "name: b\nfields:\n  - name: c\n    type: string\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
