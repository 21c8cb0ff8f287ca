//! The `min-greater-than-max` rule.

use norm_model::ElementPath;

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports constraints that no value can meet: `min_length` above `max_length`, or
    /// `minimum` (or `exclusive_minimum`) above `maximum` (or `exclusive_maximum`).
    ///
    /// ## Why is this bad?
    /// Every value fails validation, so the field can never be filled in; usually two numbers
    /// were swapped.
    ///
    /// ## Example
    /// ```yaml
    /// constraints: { min_length: 10, max_length: 8 }
    /// ```
    /// Use instead:
    /// ```yaml
    /// constraints: { min_length: 8, max_length: 10 }
    /// ```
    pub struct MinGreaterThanMax { id: "min-greater-than-max", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for MinGreaterThanMax {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        for (standard, entity, f) in catalog.fields() {
            let id = standard.id();
            let Some(c) = &f.constraints else { continue };
            let low = c
                .minimum
                .map(|v| ("minimum", v))
                .or(c.exclusive_minimum.map(|v| ("exclusive_minimum", v)));
            let high = c
                .maximum
                .map(|v| ("maximum", v))
                .or(c.exclusive_maximum.map(|v| ("exclusive_maximum", v)));
            let lengths = c
                .min_length
                .zip(c.max_length)
                .map(|(a, b)| (("min_length", a as f64), ("max_length", b as f64)));
            for ((lk, lv), (hk, hv)) in lengths.into_iter().chain(low.zip(high)) {
                if lv > hv {
                    out.push(Finding::new(
                        field_location(entity, f).key("constraints").key(lk),
                        ElementPath::field(id, &entity.value.name, &f.name),
                        format!(
                            "`{lk}` ({lv}) is greater than `{hk}` ({hv}): no value can satisfy both"
                        ),
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
    fn fires_on_impossible_ranges() {
        let found = run(
            "min-greater-than-max",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: x\n    type: string\n    constraints: { min_length: 10, max_length: 8 }\n  - name: y\n    type: decimal\n    constraints: { minimum: 5.5, exclusive_maximum: 2 }\n",
            )],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/entities/a.yaml:5:32 `min_length` (10) is greater than `max_length` (8): no value can satisfy both",
                "standards/demo/entities/a.yaml:8:29 `minimum` (5.5) is greater than `exclusive_maximum` (2): no value can satisfy both",
            ]
        );
    }

    #[test]
    fn is_silent_on_possible_ranges() {
        let found = run(
            "min-greater-than-max",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: x\n    type: integer\n    constraints: { minimum: 0, maximum: 0 }\n",
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
