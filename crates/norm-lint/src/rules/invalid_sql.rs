//! The `invalid-sql` rule.

use norm_model::model::RuleSql;
use norm_model::{Element, sql};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a validation rule whose `check` or `select` is not valid SQL: a `check` must be
    /// one boolean expression, a `select` one query. The finding points at the place in the
    /// YAML value where the SQL stops making sense.
    ///
    /// ## Why is this bad?
    /// A rule that does not parse cannot run: `norm validate` would have to skip it, and the data
    /// it should reject would pass unnoticed.
    ///
    /// ## Example
    /// ```yaml
    /// check: decom < = dob
    /// ```
    /// Use instead:
    /// ```yaml
    /// check: decom >= dob
    /// ```
    pub struct InvalidSql { id: "invalid-sql", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for InvalidSql {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for e in cx.catalog.elements() {
            let Element::Rule(_, rule) = e else {
                continue;
            };
            // Each of the two is checked, so that a rule with both gets both looked at.
            let given = [
                rule.value.check.as_deref().map(RuleSql::Check),
                rule.value.select.as_deref().map(RuleSql::Select),
            ];
            for sql in given.into_iter().flatten() {
                if let Err(error) = &sql::analyse(sql).names {
                    out.push(
                        Finding::new(
                            e.location().key(sql.key()).within(error.offset),
                            e.path(),
                            format!(
                                "the `{}` of rule `{}` is not valid SQL: {}",
                                sql.key(),
                                e.name(),
                                error.message
                            ),
                        )
                        .help(match sql {
                            RuleSql::Check(_) => {
                                "a `check` is one SQL boolean expression over a row, such as \
                                 `decom >= dob`"
                            }
                            RuleSql::Select(_) => {
                                "a `select` is one SQL query returning `_row`, such as \
                                 `SELECT _row FROM episodes WHERE ...`"
                            }
                        }),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    fn rule(sql: &str) -> String {
        format!("code: \"101\"\ntitle: T\nseverity: error\nentity: episodes\n{sql}")
    }

    #[test]
    fn fires_at_the_place_of_the_sql_error() {
        let found = run(
            "invalid-sql",
            &[
                (
                    "standards/demo/rules/101.yaml",
                    &rule("check: decom < = dob\n"),
                ),
                (
                    "standards/demo/rules/102.yaml",
                    &rule("select: |\n  SELECT _row\n  FROM episodes\n  WHERE decom <\n")
                        .replace("\"101\"", "\"102\""),
                ),
                (
                    "standards/demo/rules/103.yaml",
                    &rule("check: >-\n  place IN ('T0', 'T1')\n  AND place_provider = 'PR1\n")
                        .replace("\"101\"", "\"103\""),
                ),
            ],
        );
        insta::assert_snapshot!(found.join("\n"));
    }

    #[test]
    fn is_silent_on_valid_sql() {
        let found = run(
            "invalid-sql",
            &[(
                "standards/demo/rules/101.yaml",
                &rule(
                    "select: |\n  SELECT e._row FROM episodes e\n  WHERE NOT EXISTS (SELECT 1 FROM previous.episodes p WHERE p.child = e.child);\n",
                ),
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
