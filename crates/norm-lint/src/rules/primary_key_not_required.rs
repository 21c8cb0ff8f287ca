//! The `primary-key-not-required` rule.

use norm_model::ElementPath;

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports a primary key field that is not `required: true`.
    ///
    /// ## Why is this bad?
    /// A record with an empty key cannot be identified or joined; every database refuses it, so
    /// the standard and the systems built on it disagree.
    ///
    /// ## Example
    /// ```yaml
    /// primary_key: [pers_person_id]
    /// fields:
    ///   - name: pers_person_id
    ///     type: string
    /// ```
    /// Use instead:
    /// ```yaml
    /// primary_key: [pers_person_id]
    /// fields:
    ///   - name: pers_person_id
    ///     type: string
    ///     required: true
    /// ```
    pub struct PrimaryKeyNotRequired { id: "primary-key-not-required", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for PrimaryKeyNotRequired {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        for (standard, entity) in catalog.entities() {
            let id = standard.id();
            let keyed = entity
                .value
                .fields
                .iter()
                .filter(|f| !f.required && entity.value.primary_key.contains(&f.name));
            for f in keyed {
                out.push(
                    Finding::new(
                        field_location(entity, f).key("name"),
                        ElementPath::field(id, &entity.value.name, &f.name),
                        format!("primary key field `{}` is not required", f.name),
                    )
                    .help("add `required: true`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_an_optional_key_field() {
        let found = run(
            "primary-key-not-required",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nprimary_key: [x, y]\nfields:\n  - name: x\n    type: string\n    required: true\n  - name: y\n    type: string\n",
            )],
        );
        assert_eq!(
            found,
            vec!["standards/demo/entities/a.yaml:7:11 primary key field `y` is not required"]
        );
    }

    #[test]
    fn is_silent_when_key_fields_are_required() {
        let found = run(
            "primary-key-not-required",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nprimary_key: [x]\nfields:\n  - name: x\n    type: string\n    required: true\n  - name: y\n    type: string\n",
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
