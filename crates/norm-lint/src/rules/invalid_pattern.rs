//! The `invalid-pattern` rule.

use norm_model::ElementPath;

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `pattern` constraint that is not a valid regular expression.
    ///
    /// ## Why is this bad?
    /// Validators either crash on it or skip it, so the field is not checked at all.
    ///
    /// ## Example
    /// ```yaml
    /// constraints: { pattern: "^[A-Z([0-9]{12}$" }
    /// ```
    /// Use instead:
    /// ```yaml
    /// constraints: { pattern: "^[A-Z][0-9]{12}$" }
    /// ```
    pub struct InvalidPattern { id: "invalid-pattern", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for InvalidPattern {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        for (standard, entity, f) in catalog.fields() {
            let id = standard.id();
            let Some(pattern) = f.constraints.as_ref().and_then(|c| c.pattern.as_deref()) else {
                continue;
            };
            // Valid patterns are compiled once per run and shared; only a failure compiles again,
            // for its message.
            if cx.regex(pattern).is_some() {
                continue;
            }
            if let Err(e) = regex::Regex::new(pattern) {
                // The regex error is a multi-line diagram; its last line names the fault.
                let reason = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim()
                    .trim_start_matches("error: ")
                    .to_owned();
                out.push(Finding::new(
                    field_location(entity, f).key("constraints").key("pattern"),
                    ElementPath::field(id, &entity.value.name, &f.name),
                    format!("`pattern` is not a valid regular expression: {reason}"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_a_broken_pattern() {
        let found = run(
            "invalid-pattern",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: upn\n    type: string\n    constraints: { pattern: \"^[A-Z([0-9]{12}$\" }\n",
            )],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/entities/a.yaml:5:29 `pattern` is not a valid regular expression: unclosed character class"
            ]
        );
    }

    #[test]
    fn is_silent_on_valid_patterns() {
        let found = run(
            "invalid-pattern",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: upn\n    type: string\n    constraints: { pattern: \"^[A-Z]([0-9]{12}|[0-9]{11}[A-Z])$\" }\n",
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
