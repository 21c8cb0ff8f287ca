//! The `reference-type-mismatch` rule.

use norm_model::ElementPath;

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports a foreign key (`references`) whose type differs from the type of the field it
    /// points at.
    ///
    /// ## Why is this bad?
    /// A join between a string and an integer column either fails or silently drops rows
    /// (`"007"` is not `7`); the two sides must hold the same kind of value.
    ///
    /// ## Example
    /// ```yaml
    /// - name: cine_person_id
    ///   type: integer
    ///   references: ssd_person.pers_person_id   # a string
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: cine_person_id
    ///   type: string
    ///   references: ssd_person.pers_person_id
    /// ```
    pub struct ReferenceTypeMismatch { id: "reference-type-mismatch", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for ReferenceTypeMismatch {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (standard, entity, f) in cx.catalog.fields() {
            let id = standard.id();
            let Some(target) = &f.references else {
                continue;
            };
            let Ok((_, target_entity, i)) = cx.catalog.resolve_field(id, target) else {
                continue;
            };
            let other = &target_entity.value.fields[i];
            if let (Some(mine), Some(theirs)) = (f.field_type, other.field_type)
                && mine != theirs
            {
                out.push(
                    Finding::new(
                        field_location(entity, f).key("type"),
                        ElementPath::field(id, &entity.value.name, &f.name),
                        format!(
                            "field `{}` is `{}` but references `{target}`, which is `{}`",
                            f.name,
                            mine.as_str(),
                            theirs.as_str()
                        ),
                    )
                    .help(format!(
                        "give both sides the same type: `type: {}`",
                        theirs.as_str()
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_a_foreign_key_of_another_type() {
        insta::assert_snapshot!(run(
            "reference-type-mismatch",
            &[
                ("standards/demo/entities/person.yaml", "name: person\nfields:\n  - name: person_id\n    type: string\n"),
                ("standards/demo/entities/episode.yaml", "name: episode\nfields:\n  - name: person_id\n    type: integer\n    references: person.person_id\n"),
            ],
        )
        .join("\n"));
    }

    #[test]
    fn is_silent_on_matching_types() {
        let found = run(
            "reference-type-mismatch",
            &[
                (
                    "standards/demo/entities/person.yaml",
                    "name: person\nfields:\n  - name: person_id\n    type: string\n",
                ),
                (
                    "standards/demo/entities/episode.yaml",
                    "name: episode\nfields:\n  - name: person_id\n    type: string\n    references: person.person_id\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
