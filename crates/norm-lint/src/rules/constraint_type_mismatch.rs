//! The `constraint-type-mismatch` rule.

use norm_model::{ElementPath, FieldType};

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports a constraint that does not apply to the field's type: `min_length`,
    /// `max_length` or `pattern` on anything but text and codes; `minimum`, `maximum` and the
    /// exclusive bounds on anything but integers, decimals and years.
    ///
    /// ## Why is this bad?
    /// Validators ignore a constraint that makes no sense for the type, so the rule the curator
    /// meant is not enforced; `max_length: 10` on a date usually means the format was meant.
    ///
    /// ## Example
    /// ```yaml
    /// - name: pers_dob
    ///   type: date
    ///   constraints: { max_length: 10 }
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: pers_dob
    ///   type: date        # dates are YYYY-MM-DD by definition
    /// ```
    pub struct ConstraintTypeMismatch { id: "constraint-type-mismatch", severity: Error, recommended: true, since: "0.1.0" }
}

/// Types whose values are text, so lengths and patterns apply.
fn textual(ty: FieldType) -> bool {
    matches!(ty, FieldType::String | FieldType::Code)
}

/// Types whose values are numbers, so numeric bounds apply. (Bounds are numbers in the format,
/// so a date cannot carry one.)
fn ordered(ty: FieldType) -> bool {
    matches!(
        ty,
        FieldType::Integer | FieldType::Decimal | FieldType::Year
    )
}

impl Rule for ConstraintTypeMismatch {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (standard, entity, f) in cx.catalog.fields() {
            let id = standard.id();
            let (Some(ty), Some(c)) = (f.field_type, &f.constraints) else {
                continue;
            };
            let present = [
                ("min_length", c.min_length.is_some(), textual(ty)),
                ("max_length", c.max_length.is_some(), textual(ty)),
                ("pattern", c.pattern.is_some(), textual(ty)),
                ("minimum", c.minimum.is_some(), ordered(ty)),
                ("maximum", c.maximum.is_some(), ordered(ty)),
                (
                    "exclusive_minimum",
                    c.exclusive_minimum.is_some(),
                    ordered(ty),
                ),
                (
                    "exclusive_maximum",
                    c.exclusive_maximum.is_some(),
                    ordered(ty),
                ),
            ];
            for (key, _, _) in present
                .into_iter()
                .filter(|(_, set, applies)| *set && !applies)
            {
                out.push(Finding::new(
                    field_location(entity, f)
                        .key("constraints")
                        .key(key)
                        .on_key(),
                    ElementPath::field(id, &entity.value.name, &f.name),
                    format!(
                        "`{key}` does not apply to a field of type `{}`",
                        ty.as_str()
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_constraints_for_other_types() {
        insta::assert_snapshot!(run(
            "constraint-type-mismatch",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: dob\n    type: date\n    constraints: { max_length: 10 }\n  - name: id\n    type: string\n    constraints: { minimum: 1 }\n",
            )],
        )
        .join("\n"));
    }

    #[test]
    fn is_silent_on_fitting_constraints() {
        let found = run(
            "constraint-type-mismatch",
            &[("standards/demo/entities/a.yaml", "name: a\nfields:\n  - name: age\n    type: integer\n    constraints: { minimum: 0 }\n  - name: id\n    type: string\n    constraints: { max_length: 10, unique: true }\n")],
        )
        .into_iter()
        .collect::<Vec<_>>();
        assert!(found.is_empty(), "{found:?}");
    }
}
