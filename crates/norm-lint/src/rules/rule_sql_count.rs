//! The `rule-sql-count` rule.

use norm_model::Element;

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a validation rule with neither a `check` nor a `select`, or with both.
    ///
    /// ## Why is this bad?
    /// The SQL is what `norm validate` runs. Without it the rule checks nothing; with both, which
    /// of the two is the rule is a guess.
    ///
    /// ## Example
    /// ```yaml
    /// code: "103"
    /// title: The date of birth is after the start of the episode.
    /// severity: error
    /// entity: episodes
    /// ```
    /// Use instead:
    /// ```yaml
    /// code: "103"
    /// title: The date of birth is after the start of the episode.
    /// severity: error
    /// entity: episodes
    /// select: SELECT e._row FROM episodes e JOIN header h ON h.child = e.child WHERE e.decom < h.dob
    /// ```
    pub struct RuleSqlCount { id: "rule-sql-count", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for RuleSqlCount {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for e in cx.catalog.elements() {
            let Element::Rule(_, rule) = e else {
                continue;
            };
            let (message, at) = match (&rule.value.check, &rule.value.select) {
                (None, None) => (
                    "has neither a `check` nor a `select`",
                    e.location().key("code"),
                ),
                (Some(_), Some(_)) => (
                    "has both a `check` and a `select`",
                    e.location().key("select").on_key(),
                ),
                _ => continue,
            };
            out.push(
                Finding::new(at, e.path(), format!("rule `{}` {message}", e.name())).help(
                    "give exactly one: `check` (an SQL expression over one row of `entity`) or \
                     `select` (an SQL query returning the `_row` of each failing row)",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    const HEAD: &str = "title: T\nseverity: error\nentity: episodes\n";

    #[test]
    fn fires_on_no_sql_and_on_both() {
        let found = run(
            "rule-sql-count",
            &[
                (
                    "standards/demo/rules/101.yaml",
                    &format!("code: \"101\"\n{HEAD}"),
                ),
                (
                    "standards/demo/rules/102.yaml",
                    &format!(
                        "code: \"102\"\n{HEAD}check: TRUE\nselect: SELECT _row FROM episodes\n"
                    ),
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/rules/101.yaml:1:7 rule `101` has neither a `check` nor a `select`",
                "standards/demo/rules/102.yaml:6:1 rule `102` has both a `check` and a `select`",
            ]
        );
    }

    #[test]
    fn is_silent_with_exactly_one() {
        let found = run(
            "rule-sql-count",
            &[(
                "standards/demo/rules/101.yaml",
                &format!("code: \"101\"\n{HEAD}check: TRUE\n"),
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
