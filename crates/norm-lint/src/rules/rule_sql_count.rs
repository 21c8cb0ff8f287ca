//! The `rule-sql-count` rule.

use norm_model::Element;

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a validation rule with neither a `check` nor a `select` nor an `unexpressed`
    /// reason, with both a `check` and a `select`, or with SQL and an `unexpressed` reason.
    ///
    /// ## Why is this bad?
    /// The SQL is what `norm validate` runs. Without it the rule checks nothing, and a reader of
    /// the report must be told why (`unexpressed`); with both, which of the two is the rule is a
    /// guess; SQL beside `unexpressed` contradicts it.
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
    /// or, where SQL over the supplied files cannot say it:
    /// ```yaml
    /// code: "103"
    /// title: The date of birth is after the start of the episode.
    /// severity: error
    /// entity: episodes
    /// unexpressed: Needs the child's date of birth as the local authority's case system holds it.
    /// ```
    pub struct RuleSqlCount { id: "rule-sql-count", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for RuleSqlCount {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for e in cx.catalog.elements() {
            let Element::Rule(_, rule) = e else {
                continue;
            };
            let r = &rule.value;
            let (message, at) = match (&r.check, &r.select, &r.unexpressed) {
                (None, None, None) => (
                    "has neither a `check` nor a `select` (nor an `unexpressed` reason)",
                    e.location().key("code"),
                ),
                (Some(_), Some(_), _) => (
                    "has both a `check` and a `select`",
                    e.location().key("select").on_key(),
                ),
                (Some(_), None, Some(_)) | (None, Some(_), Some(_)) => (
                    "has SQL and says it is `unexpressed`",
                    e.location().key("unexpressed").on_key(),
                ),
                _ => continue,
            };
            out.push(
                Finding::new(at, e.path(), format!("rule `{}` {message}", e.name())).help(
                    "give exactly one: `check` (an SQL expression over one row of `entity`), \
                     `select` (an SQL query returning the `_row` of each failing row), or \
                     `unexpressed` (why SQL cannot say it)",
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
                (
                    "standards/demo/rules/103.yaml",
                    &format!("code: \"103\"\n{HEAD}check: TRUE\nunexpressed: Needs other data.\n"),
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/rules/101.yaml:1:7 rule `101` has neither a `check` nor a `select` \
                 (nor an `unexpressed` reason)",
                "standards/demo/rules/102.yaml:6:1 rule `102` has both a `check` and a `select`",
                "standards/demo/rules/103.yaml:6:1 rule `103` has SQL and says it is `unexpressed`",
            ]
        );
    }

    #[test]
    fn is_silent_with_exactly_one() {
        let found = run(
            "rule-sql-count",
            &[
                (
                    "standards/demo/rules/101.yaml",
                    &format!("code: \"101\"\n{HEAD}check: TRUE\n"),
                ),
                (
                    "standards/demo/rules/102.yaml",
                    &format!("code: \"102\"\n{HEAD}unexpressed: Needs other data.\n"),
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
