//! The `deprecation-incomplete` rule.

use norm_model::Status;

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports an element with `status: deprecated` but no `deprecation` block, or a block
    /// without `since` or `reason`; and a `deprecation` block on an element that is not
    /// deprecated.
    ///
    /// ## Why is this bad?
    /// A deprecation tells every consumer to move away. Without a reason they cannot judge the
    /// urgency, and without `since` norm cannot check that the element was deprecated in a
    /// release before it is removed.
    ///
    /// ## Example
    /// ```yaml
    /// - name: pers_gender
    ///   type: code
    ///   status: deprecated
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: pers_gender
    ///   type: code
    ///   status: deprecated
    ///   deprecation:
    ///     since: 1.1.0
    ///     reason: The CIN census collects sex (M/F/U) from 2024-25.
    ///     replaced_by: pers_sex
    /// ```
    pub struct DeprecationIncomplete { id: "deprecation-incomplete", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for DeprecationIncomplete {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for e in cx.catalog.elements() {
            let deprecated = e.status() == Some(Status::Deprecated);
            let what = format!("{} `{}`", e.kind().noun(), e.name());
            match (deprecated, e.deprecation()) {
                (true, None) => out.push(
                    Finding::new(e.location().key("status"), e.path(), format!("{what} is deprecated without a `deprecation` block"))
                        .help("add `deprecation: { since: <version>, reason: <why and what to use instead> }`"),
                ),
                (true, Some(d)) => {
                    let missing: Vec<&str> = [("since", d.since.is_none()), ("reason", d.reason.is_none())]
                        .into_iter()
                        .filter_map(|(k, absent)| absent.then_some(k))
                        .collect();
                    if !missing.is_empty() {
                        out.push(Finding::new(
                            e.location().key("deprecation"),
                            e.path(),
                            format!("the deprecation of {what} has no `{}`", missing.join("` or `")),
                        ));
                    }
                }
                (false, Some(_)) => out.push(
                    Finding::new(e.location().key("deprecation").on_key(), e.path(), format!("{what} has a `deprecation` block but is not deprecated"))
                        .help("set `status: deprecated`, or remove the block if the deprecation was withdrawn"),
                ),
                (false, None) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_incomplete_or_stray_deprecations() {
        let found = run(
            "deprecation-incomplete",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: x\n    type: string\n    status: deprecated\n  - name: y\n    type: string\n    status: deprecated\n    deprecation: { since: 1.0.0 }\n  - name: z\n    type: string\n    deprecation: { since: 1.0.0, reason: Old. }\n",
            )],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/entities/a.yaml:5:13 field `x` is deprecated without a `deprecation` block",
                "standards/demo/entities/a.yaml:9:18 the deprecation of field `y` has no `reason`",
                "standards/demo/entities/a.yaml:12:5 field `z` has a `deprecation` block but is not deprecated",
            ]
        );
    }

    #[test]
    fn is_silent_on_complete_deprecations() {
        let found = run(
            "deprecation-incomplete",
            &[(
                "standards/demo/codelists/l.yaml",
                "name: l\ncodes:\n  - code: A\n    status: deprecated\n    deprecation: { since: 1.0.0, reason: Use B. }\n  - code: B\n",
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
