//! The standard's validation rules, run in the engine after the structure pass, and their
//! failures turned into issues.

use std::collections::BTreeMap;

use norm_model::Standard;

use crate::engine::{Engine, Outcome, RuleSpec};
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

/// The rules of `standard` that can run, and those that cannot, with why.
pub(crate) fn rules_of(standard: &Standard) -> (Vec<RuleDef>, Vec<Skipped>) {
    let _ = standard;
    (Vec::new(), Vec::new())
}

/// Runs the rules of `standard` over the engine's tables, adding their issues, the rules that
/// ran and those skipped to `report`. `files` names the file of each supplied entity.
pub(crate) fn run(
    report: &mut Report,
    standard: &Standard,
    engine: Option<&Engine>,
    files: &BTreeMap<String, String>,
    subject: Option<&str>,
) {
    let (rules, mut skipped) = rules_of(standard);
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
