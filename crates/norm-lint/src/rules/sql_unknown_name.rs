//! The `sql-unknown-name` rule.

use std::collections::BTreeSet;

use norm_model::RuleSql;
use norm_model::sql;
use norm_model::yaml::did_you_mean;
use norm_model::{Element, Standard};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a table or column in a validation rule's SQL that the standard does not have.
    /// The SQL sees each entity as a table named after it, with one column per field, plus
    /// `_row` and last year's data as `previous.<entity>`; names the query defines itself (common
    /// table expressions, aliases) are its own. Names are compared as SQL compares unquoted
    /// names: regardless of case. Columns are judged only when every table the SQL reads is
    /// known, so that a misspelt table is one finding rather than one per column.
    ///
    /// ## Why is this bad?
    /// The rule fails when it runs, or, worse, a misspelt column inside `COALESCE` or `OR` turns
    /// the rule into one that never fires.
    ///
    /// ## Example
    /// ```yaml
    /// entity: episodes
    /// check: decom >= date_of_birth
    /// ```
    /// Use instead: join the table that has the date of birth.
    /// ```yaml
    /// select: SELECT e._row FROM episodes e JOIN header h ON h.child = e.child WHERE e.decom < h.dob
    /// ```
    pub struct SqlUnknownName { id: "sql-unknown-name", severity: Error, recommended: true, since: "0.1.0" }
}

/// The column every table has: the 1-based data row in its file.
const ROW: &str = "_row";

/// The schema that holds last year's tables.
const PREVIOUS: &str = "previous";

impl Rule for SqlUnknownName {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for e in cx.catalog.elements() {
            let Element::Rule(standard, rule) = e else {
                continue;
            };
            let Some(sql) = rule.value.sql() else {
                continue;
            };
            // SQL that does not parse is `invalid-sql`'s finding.
            let analysis = sql::analyse(sql);
            let Ok(names) = &analysis.names else {
                continue;
            };
            let defined: BTreeSet<String> =
                names.defined.iter().map(|d| d.to_lowercase()).collect();
            let entities: Vec<&str> = standard
                .entities
                .iter()
                .map(|d| d.value.name.as_str())
                .collect();
            let mut unknown = |offset: usize, message: String, help: String| {
                out.push(
                    Finding::new(
                        e.location().key(sql.key()).within(offset),
                        e.path(),
                        format!("rule `{}`: {message}", e.name()),
                    )
                    .help(help),
                );
            };
            // A `check` reads its own entity's row. Columns are judged only when every table
            // is known: a misspelt table (or `entity`) is the finding, not each of its columns.
            let mut all_known = true;
            let mut read: Vec<&str> = match sql {
                RuleSql::Check(_) => match rule
                    .value
                    .entity
                    .as_deref()
                    .and_then(|e| standard.entity(e))
                {
                    Some(e) => vec![e.value.name.as_str()],
                    None => {
                        all_known = false;
                        Vec::new()
                    }
                },
                RuleSql::Select(_) => Vec::new(),
            };
            for table in &names.tables {
                let lower: Vec<String> = table.parts.iter().map(|p| p.to_lowercase()).collect();
                let entity = match lower.as_slice() {
                    [name] if defined.contains(name) => continue,
                    [name] | [_, name] if lower.len() == 1 || lower[0] == PREVIOUS => {
                        entities.iter().find(|e| **e == name.as_str())
                    }
                    _ => None,
                };
                match entity {
                    Some(entity) => read.push(entity),
                    None => {
                        all_known = false;
                        let text = table.parts.join(".");
                        let last = lower.last().map(String::as_str).unwrap_or_default();
                        unknown(
                            table.offset,
                            format!(
                                "table `{text}` is not an entity of standard `{}`",
                                standard.id()
                            ),
                            match did_you_mean(last, &entities) {
                                Some(close) if lower.len() == 2 => {
                                    format!("did you mean `{PREVIOUS}.{close}`?")
                                }
                                Some(close) => format!("did you mean `{close}`?"),
                                None => format!(
                                    "the tables are the entities ({}), and `{PREVIOUS}.<entity>` for last year",
                                    entities.join(", ")
                                ),
                            },
                        );
                    }
                }
            }
            if !all_known {
                continue;
            }
            let fields = fields_of(standard, &read);
            let field_names: Vec<&str> = fields.iter().map(String::as_str).collect();
            for column in &names.columns {
                let Some(last) = column.parts.last().map(|p| p.to_lowercase()) else {
                    continue;
                };
                if last == ROW || defined.contains(&last) || fields.contains(&last) {
                    continue;
                }
                unknown(
                    column.offset,
                    format!(
                        "column `{}` is not a field of {}",
                        column.parts.join("."),
                        describe(&read)
                    ),
                    match did_you_mean(&last, &field_names) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "name a field of a table the SQL reads, or `_row`".into(),
                    },
                );
            }
        }
    }
}

/// The fields of the named entities.
fn fields_of(standard: &Standard, entities: &[&str]) -> BTreeSet<String> {
    entities
        .iter()
        .filter_map(|name| standard.entity(name))
        .flat_map(|e| e.value.fields.iter().map(|f| f.name.to_lowercase()))
        .collect()
}

fn describe(read: &[&str]) -> String {
    let mut read: Vec<&str> = read.to_vec();
    read.sort_unstable();
    read.dedup();
    match read.as_slice() {
        [] => "any table the SQL reads".into(),
        [one] => format!("`{one}`"),
        [init @ .., last] => format!("`{}` or `{last}`", init.join("`, `")),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run_with_help;

    const EPISODES: &str = "name: episodes\nfields:\n  - name: child\n    type: string\n  - name: decom\n    type: date\n  - name: place\n    type: string\n";
    const HEADER: &str =
        "name: header\nfields:\n  - name: child\n    type: string\n  - name: dob\n    type: date\n";

    fn rule(code: &str, sql: &str) -> String {
        format!("code: \"{code}\"\ntitle: T\nseverity: error\nentity: episodes\n{sql}")
    }

    fn run(rules: &[(&str, &str)]) -> Vec<String> {
        let rules: Vec<(String, String)> = rules
            .iter()
            .map(|(code, sql)| (format!("standards/demo/rules/{code}.yaml"), rule(code, sql)))
            .collect();
        let mut files = vec![
            ("standards/demo/entities/episodes.yaml", EPISODES),
            ("standards/demo/entities/header.yaml", HEADER),
        ];
        files.extend(rules.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        run_with_help("sql-unknown-name", &files)
    }

    #[test]
    fn fires_on_unknown_tables_and_columns() {
        let found = run(&[
            ("101", "check: decom >= date_of_birth\n"),
            (
                "102",
                "select: |\n  SELECT e._row FROM episodes e\n  JOIN header h ON h.child = e.child\n  WHERE e.plac = 'T0'\n",
            ),
            // A misspelt table is the finding, not each of its columns.
            (
                "104",
                "select: SELECT e._row FROM episodes e JOIN headers h ON h.child = e.child WHERE h.xyz = 1\n",
            ),
            (
                "103",
                "select: SELECT _row FROM episodes e WHERE NOT EXISTS (SELECT 1 FROM previous.episode p WHERE p.child = e.child)\n",
            ),
        ]);
        insta::assert_snapshot!(found.join("\n"));
    }

    #[test]
    fn is_silent_on_the_standards_names_aliases_and_previous_tables() {
        let found = run(&[
            ("101", "check: DECOM IS NULL OR place IN ('T0', 'T1')\n"),
            (
                "102",
                "select: |\n  WITH ordered AS (\n    SELECT _row, child, decom, LAG(decom) OVER (PARTITION BY child ORDER BY decom) AS prev_decom\n    FROM episodes)\n  SELECT o._row FROM ordered o JOIN header h ON h.child = o.child\n  WHERE o.prev_decom = o.decom OR o.decom < h.dob\n    OR NOT EXISTS (SELECT 1 FROM previous.episodes p WHERE p.child = o.child)\n",
            ),
        ]);
        assert!(found.is_empty(), "{found:?}");
    }
}
