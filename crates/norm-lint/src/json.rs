//! The JSON output of `norm lint --format json`, and its JSON Schema (committed as
//! `docs/schema/lint-report.schema.json`).

use schemars::JsonSchema;
use serde::Serialize;

use crate::Report;
use norm_model::Severity;

/// The report of `norm lint --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(title = "norm lint report")]
pub struct JsonReport {
    /// Every finding, sorted by file, then position, then rule.
    pub diagnostics: Vec<JsonDiagnostic>,
    /// How many findings are errors.
    pub errors: usize,
    /// How many findings are warnings.
    pub warnings: usize,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct JsonDiagnostic {
    /// The rule id, as `norm rules` lists it.
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The file, relative to the repository root, `/`-separated.
    pub file: String,
    /// 1-based line, when the finding has a position.
    pub line: Option<u32>,
    /// 1-based column in characters, when the finding has a position.
    pub column: Option<u32>,
    /// The element concerned, such as `ssd/entities/ssd_person/fields/pers_sex`.
    pub path: Option<String>,
    /// A suggested fix.
    pub help: Option<String>,
}

impl From<&Report> for JsonReport {
    fn from(report: &Report) -> Self {
        JsonReport {
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| JsonDiagnostic {
                    rule: d.rule.to_owned(),
                    severity: d.severity,
                    message: d.message.clone(),
                    file: d.file.clone(),
                    line: d.span.map(|s| s.line),
                    column: d.span.map(|s| s.column),
                    path: d.path.as_ref().map(ToString::to_string),
                    help: d.help.clone(),
                })
                .collect(),
            errors: report.errors,
            warnings: report.warnings,
        }
    }
}

/// The file name of the committed schema under `docs/schema/`.
pub const SCHEMA_FILE: &str = "lint-report.schema.json";

/// The JSON Schema (draft 2020-12) of the report, pretty-printed, ending with a newline.
pub fn schema() -> String {
    norm_model::schema::render::<JsonReport>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schema_is_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/schema")
            .join(SCHEMA_FILE);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == schema(),
            "{} is stale: run `cargo xtask codegen`",
            path.display()
        );
    }
}
