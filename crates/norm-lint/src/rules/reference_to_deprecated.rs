//! The `reference-to-deprecated` rule.

use norm_model::{ElementPath, Status};

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports a foreign key (`references`) into a deprecated field, when the referencing field
    /// is not deprecated itself.
    ///
    /// ## Why is this bad?
    /// The target will be removed; every join through it breaks then. Point the key at the
    /// replacement now, while both exist.
    ///
    /// ## Example
    /// ```yaml
    /// references: ssd_person.pers_legacy_id   # deprecated, replaced by pers_person_id
    /// ```
    /// Use instead:
    /// ```yaml
    /// references: ssd_person.pers_person_id
    /// ```
    pub struct ReferenceToDeprecated { id: "reference-to-deprecated", severity: Warning, recommended: true, since: "0.1.0" }
}

impl Rule for ReferenceToDeprecated {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let live = cx
            .catalog
            .fields()
            .filter(|(_, _, f)| f.status != Some(Status::Deprecated));
        for (standard, entity, f) in live {
            let id = standard.id();
            let Some(target) = &f.references else {
                continue;
            };
            let Ok((_, target_entity, i)) = cx.catalog.resolve_field(id, target) else {
                continue;
            };
            let other = &target_entity.value.fields[i];
            if other.status == Some(Status::Deprecated) {
                let replacement = other
                    .deprecation
                    .as_ref()
                    .and_then(|d| d.replaced_by.as_deref());
                let finding = Finding::new(
                    field_location(entity, f).key("references"),
                    ElementPath::field(id, &entity.value.name, &f.name),
                    format!("`{target}` is deprecated"),
                );
                out.push(match replacement {
                    Some(r) => finding.help(format!("reference its replacement, `{r}`")),
                    None => finding,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    const PERSON: (&str, &str) = (
        "standards/demo/entities/person.yaml",
        "name: person\nfields:\n  - name: id\n    type: string\n  - name: old_id\n    type: string\n    status: deprecated\n    deprecation: { since: 1.0.0, reason: Use id., replaced_by: id }\n",
    );

    #[test]
    fn fires_on_a_key_into_a_deprecated_field() {
        insta::assert_snapshot!(run(
            "reference-to-deprecated",
            &[PERSON, ("standards/demo/entities/episode.yaml", "name: episode\nfields:\n  - name: person\n    type: string\n    references: person.old_id\n")],
        )
        .join("\n"));
    }

    #[test]
    fn is_silent_on_keys_into_live_fields() {
        let found = run(
            "reference-to-deprecated",
            &[
                PERSON,
                (
                    "standards/demo/entities/episode.yaml",
                    "name: episode\nfields:\n  - name: person\n    type: string\n    references: person.id\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
