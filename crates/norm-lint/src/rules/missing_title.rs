//! The `missing-title` rule.

use crate::{Context, Finding, Rule};
use norm_model::ElementKind;

crate::declare_rule! {
    /// ## What it does
    /// Reports a standard, entity, field, code list or validation rule without a `title`, and a
    /// code without a `label`.
    ///
    /// ## Why is this bad?
    /// The title is what the site, change notes and impact reports show; without it readers see
    /// only a database name such as `cine_referral_nfa`.
    ///
    /// ## Example
    /// ```yaml
    /// - name: cine_referral_nfa
    ///   type: code
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: cine_referral_nfa
    ///   title: Referral led to no further action
    ///   type: code
    /// ```
    pub struct MissingTitle { id: "missing-title", severity: Warning, recommended: true, since: "0.1.0" }
}

impl Rule for MissingTitle {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for e in cx.catalog.elements().filter(|e| blank(e.title())) {
            let key = if e.kind() == ElementKind::Code {
                "label"
            } else {
                "title"
            };
            out.push(
                Finding::new(
                    e.location(),
                    e.path(),
                    format!("{} `{}` has no {key}", e.kind().noun(), e.name()),
                )
                .help(format!(
                    "add `{key}:` with a few words a reader understands"
                )),
            );
        }
    }
}

/// Whether a text is absent or only white space.
pub(crate) fn blank(text: Option<&str>) -> bool {
    text.is_none_or(|t| t.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_untitled_elements_and_unlabelled_codes() {
        let found = run(
            "missing-title",
            &[
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\ntitle: A\nfields:\n  - name: x\n    title: \" \"\n    type: string\n",
                ),
                (
                    "standards/demo/codelists/l.yaml",
                    "name: l\ntitle: L\ncodes:\n  - code: \"1\"\n",
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/codelists/l.yaml:4:5 code `1` has no label",
                "standards/demo/entities/a.yaml:4:5 field `x` has no title",
            ]
        );
    }

    #[test]
    fn is_silent_when_everything_is_titled() {
        let found = run(
            "missing-title",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\ntitle: A\nfields:\n  - name: x\n    title: X\n    type: string\n",
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
