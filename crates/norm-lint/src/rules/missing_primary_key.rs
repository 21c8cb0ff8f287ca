//! The `missing-primary-key` rule.
use norm_model::{ElementPath, Location};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports an entity without a `primary_key`.
    ///
    /// ## Why is this bad?
    /// Without a key, records cannot be matched between extracts, deduplicated or referenced
    /// by foreign keys, and the diff cannot say whether a change breaks identity.
    ///
    /// ## Example
    /// ```yaml
    /// name: ssd_person
    /// fields:
    ///   - name: pers_person_id
    /// ```
    /// Use instead:
    /// ```yaml
    /// name: ssd_person
    /// primary_key: [pers_person_id]
    /// fields:
    ///   - name: pers_person_id
    /// ```
    pub struct MissingPrimaryKey { id: "missing-primary-key", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for MissingPrimaryKey {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        for (standard, entity) in catalog.entities() {
            let id = standard.id();
            if entity.value.primary_key.is_empty() {
                out.push(
                    Finding::new(
                        Location::file(entity.file).key("name"),
                        ElementPath::entity(id, &entity.value.name),
                        format!("entity `{}` has no primary key", entity.value.name),
                    )
                    .help("add `primary_key: [<field>]` naming the fields that identify a record"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_an_entity_without_a_key() {
        let found = run(
            "missing-primary-key",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: x\n    type: string\n",
            )],
        );
        assert_eq!(
            found,
            vec!["standards/demo/entities/a.yaml:1:7 entity `a` has no primary key"]
        );
    }

    #[test]
    fn is_silent_when_a_key_is_declared() {
        let found = run(
            "missing-primary-key",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nprimary_key: [x]\nfields:\n  - name: x\n    type: string\n",
            )],
        );
        assert!(found.is_empty());
    }
}
