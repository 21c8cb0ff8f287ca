//! The `invalid-example` rule.

use norm_model::values::{constraint_error, type_error};
use norm_model::{ElementPath, FieldType};

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports an example that is not a valid value of its field: wrong for the type (dates are
    /// `YYYY-MM-DD`), outside the constraints, or not a code of the field's code list.
    ///
    /// ## Why is this bad?
    /// Examples are copied: into extracts, test data and supplier specifications. A wrong
    /// example teaches the wrong format to everyone who reads it.
    ///
    /// ## Example
    /// ```yaml
    /// - name: pers_dob
    ///   type: date
    ///   examples: ["15/03/2012"]
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: pers_dob
    ///   type: date
    ///   examples: ["2012-03-15"]
    /// ```
    pub struct InvalidExample { id: "invalid-example", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for InvalidExample {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (standard, entity, f) in cx.catalog.fields() {
            let id = standard.id();
            let Some(ty) = f.field_type else { continue };
            let list = match (&f.codelist, ty) {
                (Some(r), FieldType::Code) => cx
                    .catalog
                    .resolve_codelist(id, r)
                    .ok()
                    .map(|(_, l)| &l.value),
                _ => None,
            };
            let numeric = matches!(
                ty,
                FieldType::Integer | FieldType::Decimal | FieldType::Year
            );
            let pattern = f
                .constraints
                .as_ref()
                .and_then(|c| c.pattern.as_deref())
                .and_then(|p| cx.regex(p));
            for (i, example) in f.examples.iter().enumerate() {
                let problem = type_error(ty, example)
                    .or_else(|| {
                        f.constraints
                            .as_ref()
                            .and_then(|c| constraint_error(c, example, numeric, pattern.as_ref()))
                    })
                    .or_else(|| {
                        let list = list?;
                        (!list.codes.iter().any(|c| c.code == *example))
                            .then(|| format!("`{example}` is not a code of `{}`", list.name))
                    });
                if let Some(problem) = problem {
                    out.push(Finding::new(
                        field_location(entity, f).key("examples").index(i),
                        ElementPath::field(id, &entity.value.name, &f.name),
                        format!("example {problem}"),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    const SEX: (&str, &str) = (
        "standards/demo/codelists/sex.yaml",
        "name: sex\ncodes:\n  - code: M\n  - code: F\n",
    );

    #[test]
    fn fires_on_examples_of_the_wrong_shape() {
        insta::assert_snapshot!(run(
            "invalid-example",
            &[
                SEX,
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: dob\n    type: date\n    examples: [\"15/03/2012\", \"2012-03-15\"]\n  - name: sex\n    type: code\n    codelist: sex\n    examples: [X]\n  - name: upn\n    type: string\n    constraints: { pattern: \"^[A-Z][0-9]{12}$\", max_length: 13 }\n    examples: [A12345678901234, a123456789012]\n  - name: miles\n    type: decimal\n    constraints: { minimum: 0 }\n    examples: [\"-1\"]\n",
                ),
            ],
        )
        .join("\n"));
    }

    #[test]
    fn is_silent_on_valid_examples() {
        let found = run(
            "invalid-example",
            &[
                SEX,
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: dob\n    type: date\n    examples: [\"2012-03-15\"]\n  - name: sex\n    type: code\n    codelist: sex\n    examples: [F]\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
