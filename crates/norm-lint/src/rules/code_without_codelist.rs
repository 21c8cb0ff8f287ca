//! The `code-without-codelist` rule.

use norm_model::{ElementPath, FieldType};

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `type: code` field without a `codelist`, and a `codelist` on a field of
    /// another type.
    ///
    /// ## Why is this bad?
    /// The format requires `codelist` exactly when the type is `code`: a code field without a
    /// list accepts anything, and a list on a text field is ignored by every validator.
    ///
    /// ## Example
    /// ```yaml
    /// - name: pers_sex
    ///   type: code
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: pers_sex
    ///   type: code
    ///   codelist: csc-codes/sex
    /// ```
    pub struct CodeWithoutCodelist { id: "code-without-codelist", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for CodeWithoutCodelist {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        for (standard, entity, f) in catalog.fields() {
            let id = standard.id();
            let at = field_location(entity, f);
            let path = ElementPath::field(id, &entity.value.name, &f.name);
            match (f.field_type, &f.codelist) {
                (Some(FieldType::Code), None) => out.push(
                    Finding::new(
                        at.key("type"),
                        path,
                        format!("field `{}` is `type: code` but has no `codelist`", f.name),
                    )
                    .help("add `codelist: <list>` or `codelist: <standard-id>/<list>`"),
                ),
                (Some(t), Some(_)) if t != FieldType::Code => out.push(
                    Finding::new(
                        at.key("codelist").on_key(),
                        path,
                        format!(
                            "field `{}` has a `codelist` but is not `type: code`",
                            f.name
                        ),
                    )
                    .help("set `type: code`, or remove `codelist`"),
                ),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_code_fields_without_lists_and_lists_on_other_types() {
        let found = run(
            "code-without-codelist",
            &[
                ("standards/demo/codelists/l.yaml", "name: l\ncodes: []\n"),
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    type: code\n  - name: y\n    type: string\n    codelist: l\n",
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/entities/a.yaml:4:11 field `x` is `type: code` but has no `codelist`",
                "standards/demo/entities/a.yaml:7:5 field `y` has a `codelist` but is not `type: code`",
            ]
        );
    }

    #[test]
    fn is_silent_on_code_fields_with_lists() {
        let found = run(
            "code-without-codelist",
            &[
                ("standards/demo/codelists/l.yaml", "name: l\ncodes: []\n"),
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    type: code\n    codelist: l\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
