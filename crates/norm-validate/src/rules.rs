//! The standard's validation rules, run in the engine after the structure pass, and their
//! failures turned into issues.

use std::collections::BTreeMap;

use norm_model::model::{RuleSeverity, RuleSql};
use norm_model::{Standard, Status};

use crate::engine::{Engine, Outcome, RuleSpec, Sql};
use crate::report::{Issue, IssueKind, IssueSeverity, Report, Skipped};

/// A rule of the standard as the validator runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDef {
    /// What the engine runs.
    pub spec: RuleSpec,
    /// The message of a failing row.
    pub message: String,
    /// `error` or `query`.
    pub severity: IssueSeverity,
    /// The fields a failing row is about.
    pub fields: Vec<String>,
    /// 1 or 2: stage-2 rules run only when stage 1 found no error.
    pub stage: u8,
}

/// How the reason of a rule skipped for having no SQL (`unexpressed`) begins.
pub const UNEXPRESSED: &str = "not expressed in SQL";

/// The rules of `standard` that can run, and those that cannot, with why.
pub(crate) fn rules_of(standard: &Standard) -> (Vec<RuleDef>, Vec<Skipped>) {
    let mut rules = Vec::new();
    let mut skipped = Vec::new();
    for doc in &standard.rules {
        let rule = &doc.value;
        let skip = |reason: &str| Skipped {
            rule: rule.code.clone(),
            reason: reason.to_owned(),
        };
        if rule.status == Some(Status::Proposed) {
            skipped.push(skip("proposed: in consultation, not yet in force"));
            continue;
        }
        if let (None, Some(reason)) = (rule.sql(), &rule.unexpressed) {
            skipped.push(skip(&format!("{UNEXPRESSED}: {reason}")));
            continue;
        }
        let (Some(entity), Some(sql)) = (&rule.entity, rule.sql()) else {
            skipped.push(skip("it names no entity or has no SQL: run norm lint"));
            continue;
        };
        let sql = match sql {
            RuleSql::Check(text) => Sql::Check(text.to_owned()),
            RuleSql::Select(text) => Sql::Select(text.to_owned()),
        };
        rules.push(RuleDef {
            spec: RuleSpec {
                code: rule.code.clone(),
                entity: entity.clone(),
                sql,
            },
            message: rule
                .title
                .clone()
                .unwrap_or_else(|| format!("Rule {} failed.", rule.code)),
            // A rule without a severity is a lint error; it is run as the stricter kind.
            severity: match rule.severity {
                Some(RuleSeverity::Query) => IssueSeverity::Query,
                _ => IssueSeverity::Error,
            },
            fields: rule.fields.clone(),
            stage: rule.stage.unwrap_or(1),
        });
    }
    (rules, skipped)
}

/// Runs the rules of `standard` over the engine's tables, adding their issues, the rules that
/// ran and those skipped to `report`. `files` names the file of each supplied entity.
pub(crate) fn run_standard(
    report: &mut Report,
    standard: &Standard,
    engine: Option<&Engine>,
    files: &BTreeMap<String, String>,
    subject: Option<&str>,
) {
    let (rules, skipped) = rules_of(standard);
    run(report, &rules, skipped, engine, files, subject);
}

/// Runs `rules` (`skipped` already set aside) in stage order, adding to `report`.
fn run(
    report: &mut Report,
    rules: &[RuleDef],
    mut skipped: Vec<Skipped>,
    engine: Option<&Engine>,
    files: &BTreeMap<String, String>,
    subject: Option<&str>,
) {
    let Some(engine) = engine else {
        skipped.extend(rules.iter().map(|r| Skipped {
            rule: r.spec.code.clone(),
            reason: "structure only: rules were not run".to_owned(),
        }));
        report.skipped.extend(skipped);
        return;
    };
    for stage in [1, 2] {
        let members: Vec<&RuleDef> = rules.iter().filter(|r| r.stage.max(1) == stage).collect();
        if stage == 2
            && report
                .issues
                .iter()
                .any(|i| i.severity == IssueSeverity::Error)
        {
            skipped.extend(members.iter().map(|r| Skipped {
                rule: r.spec.code.clone(),
                reason: "stage 2: stage 1 found errors".to_owned(),
            }));
            continue;
        }
        let specs: Vec<RuleSpec> = members.iter().map(|r| r.spec.clone()).collect();
        for (rule, outcome) in members.iter().zip(engine.run(&specs)) {
            match outcome {
                Outcome::Skipped(reason) => skipped.push(Skipped {
                    rule: rule.spec.code.clone(),
                    reason,
                }),
                Outcome::Failed(rows) => {
                    report.summary.rules.push(rule.spec.code.clone());
                    let file = files.get(&rule.spec.entity).cloned().unwrap_or_default();
                    for row in rows {
                        report.issues.push(issue(engine, rule, &file, row, subject));
                    }
                }
            }
        }
    }
    report.skipped.extend(skipped);
}

fn issue(engine: &Engine, rule: &RuleDef, file: &str, row: u64, subject: Option<&str>) -> Issue {
    let mut columns = rule.fields.clone();
    columns.extend(subject.map(str::to_owned));
    let (line, mut values) = engine
        .row_values(&rule.spec.entity, row, &columns)
        .unwrap_or_default();
    let subject = subject.and_then(|_| values.pop().flatten());
    Issue {
        kind: IssueKind::Rule,
        rule: rule.spec.code.clone(),
        severity: rule.severity,
        entity: rule.spec.entity.clone(),
        file: file.to_owned(),
        row: Some(row),
        line: (line > 0).then_some(line),
        cell: None,
        fields: rule.fields.clone(),
        item: None,
        values: rule
            .fields
            .iter()
            .zip(values)
            .map(|(f, v)| (f.clone(), v.unwrap_or_default()))
            .collect(),
        subject,
        message: rule.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Value;
    use crate::structure::RowSink;

    fn rule(code: &str, stage: u8, check: &str) -> RuleDef {
        RuleDef {
            spec: RuleSpec {
                code: code.to_owned(),
                entity: "episodes".to_owned(),
                sql: Sql::Check(check.to_owned()),
            },
            message: format!("Rule {code} says no."),
            severity: IssueSeverity::Error,
            fields: vec!["weeks".to_owned()],
            stage,
        }
    }

    /// An engine holding two episodes of child C1, weeks 3 and 60, on lines 2 and 4.
    fn engine() -> Engine {
        let entity: norm_model::Entity = serde_json::from_value(serde_json::json!({
            "name": "episodes",
            "fields": [
                {"name": "child", "type": "string"},
                {"name": "weeks", "type": "integer"}
            ]
        }))
        .expect("an entity");
        let mut engine = Engine::new().expect("an engine");
        engine.create(&entity, false).expect("a table");
        let mut load = engine.loader(&entity, false).expect("a loader");
        for (row, line, weeks) in [(1, 2, 3), (2, 4, 60)] {
            let values = [Value::Text("C1".into()), Value::Integer(weeks)];
            load.row(row, line, &values).expect("a row");
        }
        load.finish().expect("loaded");
        engine
    }

    fn files() -> BTreeMap<String, String> {
        BTreeMap::from([("episodes".to_owned(), "Episodes.csv".to_owned())])
    }

    /// The report of `rules` over the episodes of [`engine`] (none when `engine` is false).
    fn report_of(rules: &[RuleDef], engine: bool, subject: Option<&str>) -> Report {
        let mut report = Report::default();
        let engine = engine.then(self::engine);
        run(
            &mut report,
            rules,
            Vec::new(),
            engine.as_ref(),
            &files(),
            subject,
        );
        report
    }

    #[test]
    fn a_failing_row_is_an_issue_with_its_line_values_and_subject() {
        let rules = [rule("R1", 1, "weeks <= 52")];
        let report = report_of(&rules, true, Some("child"));
        assert_eq!(report.summary.rules, vec!["R1"]);
        let issue = &report.issues[0];
        assert_eq!(
            (
                issue.kind,
                issue.rule.as_str(),
                issue.file.as_str(),
                issue.row,
                issue.line
            ),
            (IssueKind::Rule, "R1", "Episodes.csv", Some(2), Some(4))
        );
        assert_eq!(issue.values.get("weeks").map(String::as_str), Some("60"));
        assert_eq!(issue.subject.as_deref(), Some("C1"));
        assert_eq!(issue.message, "Rule R1 says no.");
    }

    /// The standard names its subject once, but not every entity has that field (the CIN
    /// census's assessments hang off an episode, not a child): such a row has no subject, and
    /// SQLite's reading of an unknown quoted name as a string must not make the field's name
    /// its value.
    #[test]
    fn a_row_of_an_entity_without_the_subject_field_has_no_subject() {
        let rules = [rule("R1", 1, "weeks <= 52")];
        let report = report_of(&rules, true, Some("la_child_id"));
        let issue = &report.issues[0];
        assert_eq!(issue.values.get("weeks").map(String::as_str), Some("60"));
        assert_eq!(issue.subject, None);
    }

    #[test]
    fn stage_two_runs_only_when_stage_one_found_no_error() {
        let rules = [rule("R1", 1, "weeks <= 52"), rule("R2", 2, "weeks < 0")];
        let report = report_of(&rules, true, None);
        assert_eq!(report.summary.rules, vec!["R1"]);
        assert_eq!(
            report.skipped,
            vec![Skipped {
                rule: "R2".into(),
                reason: "stage 2: stage 1 found errors".into()
            }]
        );

        let rules = [rule("R1", 1, "weeks <= 60"), rule("R2", 2, "weeks < 10")];
        let report = report_of(&rules, true, None);
        assert_eq!(report.summary.rules, vec!["R1", "R2"]);
        assert_eq!(report.issues.len(), 1);
        assert_eq!(report.issues[0].rule, "R2");
    }

    #[test]
    fn without_an_engine_every_rule_is_skipped() {
        let report = report_of(&[rule("R1", 1, "TRUE")], false, None);
        assert!(report.summary.rules.is_empty());
        assert_eq!(
            report.skipped[0].reason,
            "structure only: rules were not run"
        );
    }
}
