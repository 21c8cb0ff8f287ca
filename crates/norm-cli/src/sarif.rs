//! SARIF 2.1.0 output of `norm lint` and `norm check`, for GitHub code scanning and other SARIF
//! viewers.

use std::io::Write;

use norm_lint::{RuleMeta, rules};
use norm_model::Severity;
use serde_json::{Value, json};

use crate::findings::Finding;

/// Where the generated rule pages live, for `helpUri`.
const DOCS: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules/");

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(meta: &RuleMeta) -> Value {
    json!({
        "id": meta.id,
        "name": meta.id.split('-').map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        }).collect::<String>(),
        "shortDescription": { "text": meta.summary() },
        "fullDescription": { "text": meta.summary() },
        "help": { "text": norm_lint::docs::page(meta), "markdown": norm_lint::docs::page(meta) },
        "helpUri": format!("{DOCS}{}.md", meta.id),
        "defaultConfiguration": { "level": level(meta.default), "enabled": meta.recommended },
        "properties": { "since": meta.since, "tags": ["norm"] },
    })
}

/// Writes one SARIF log with one run: every rule's metadata, then the findings.
pub fn write(findings: &[Finding], out: &mut impl Write) -> std::io::Result<()> {
    let mut metas: Vec<&RuleMeta> = rules::all().collect();
    metas.sort_by_key(|m| m.id);
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": f.message },
            });
            if let Some(file) = &f.file {
                let mut location = json!({
                    "physicalLocation": {
                        "artifactLocation": { "uri": file, "uriBaseId": "%SRCROOT%" },
                    }
                });
                if let Some(span) = f.start {
                    let mut region = json!({ "startLine": span.line, "startColumn": span.column });
                    if let Some(end) = f.end {
                        region["endLine"] = json!(end.line);
                        region["endColumn"] = json!(end.column);
                    }
                    location["physicalLocation"]["region"] = region;
                }
                if let Some(path) = &f.path {
                    location["logicalLocations"] =
                        json!([{ "fullyQualifiedName": path, "kind": "element" }]);
                }
                result["locations"] = json!([location]);
            }
            if let Some(i) = metas.iter().position(|m| m.id == f.rule) {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "norm",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": metas.iter().map(|m| rule(m)).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}
