//! The `missing-description` rule.

use super::missing_title::blank;
use crate::{Context, Finding, Rule};
use norm_model::ElementKind;

crate::declare_rule! {
    /// ## What it does
    /// Reports a standard, entity, field, code list or validation rule without a
    /// `description`. Codes are not checked: a label usually says enough.
    ///
    /// ## Why is this bad?
    /// Two local authorities filling in the same field differently is how returns go wrong; the
    /// description is where the meaning and the edge cases are written down.
    ///
    /// ## Example
    /// ```yaml
    /// - name: cine_close_date
    ///   title: Closure date
    ///   type: date
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: cine_close_date
    ///   title: Closure date
    ///   description: The date the child stopped being a child in need.
    ///   type: date
    /// ```
    pub struct MissingDescription { id: "missing-description", severity: Warning, recommended: true, since: "0.1.0" }
}

impl Rule for MissingDescription {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let missing = cx
            .catalog
            .elements()
            .filter(|e| e.kind() != ElementKind::Code && blank(e.description()));
        for e in missing {
            out.push(
                Finding::new(
                    e.location(),
                    e.path(),
                    format!("{} `{}` has no description", e.kind().noun(), e.name()),
                )
                .help(if e.kind() == ElementKind::Rule {
                    "add `description:` saying what the rule checks and why"
                } else {
                    "add `description:` saying what it holds and how to fill it in"
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_undescribed_elements() {
        let found = run(
            "missing-description",
            &[
                (
                    "standards/demo/standard.yaml",
                    "id: demo\ntitle: D\nversion: 1.0.0\nsummary: Demo.\n",
                ),
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    description: X.\n    type: string\n",
                ),
                (
                    "standards/demo/codelists/l.yaml",
                    "name: l\ndescription: L.\ncodes:\n  - code: \"1\"\n",
                ),
                (
                    "standards/demo/rules/101.yaml",
                    "code: \"101\"\ntitle: T\nseverity: error\nentity: a\ncheck: TRUE\n",
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/entities/a.yaml:1:1 entity `a` has no description",
                "standards/demo/rules/101.yaml:1:1 rule `101` has no description",
            ]
        );
    }

    #[test]
    fn is_silent_when_everything_is_described() {
        let found = run(
            "missing-description",
            &[
                (
                    "standards/demo/standard.yaml",
                    "id: demo\ntitle: D\nversion: 1.0.0\ndescription: Demo.\n",
                ),
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\ndescription: A.\nfields: []\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
