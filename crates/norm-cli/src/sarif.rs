//! SARIF 2.1.0 output of `norm lint`, for GitHub code scanning and other SARIF viewers.

use std::io::Write;

use norm_lint::{Report, RuleMeta, rules};
use norm_model::{Catalog, Severity};
use serde_json::{Value, json};

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

/// Writes one SARIF log with one run: every rule's metadata, then the results.
pub fn write(report: &Report, catalog: &Catalog, out: &mut impl Write) -> std::io::Result<()> {
    write_with(report, catalog, &[], out)
}

/// Like [`write`], with the failures of `norm check` as further results.
pub fn write_with(
    report: &Report,
    catalog: &Catalog,
    failures: &[norm_govern::gate::Failure],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut metas: Vec<&RuleMeta> = rules::all().collect();
    metas.sort_by_key(|m| m.id);
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let index = metas.iter().position(|m| m.id == d.rule);
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": d.file, "uriBaseId": "%SRCROOT%" },
                }
            });
            if let Some(span) = d.span {
                let text = catalog
                    .files
                    .iter()
                    .find(|f| f.path == d.file)
                    .map(|f| &*f.text);
                let end = text
                    .filter(|t| span.end <= t.len() && span.end > span.start)
                    .map(|t| norm_model::yaml::point(t, span.end));
                let mut region = json!({ "startLine": span.line, "startColumn": span.column });
                if let Some(end) = end {
                    region["endLine"] = json!(end.line);
                    region["endColumn"] = json!(end.column);
                }
                location["physicalLocation"]["region"] = region;
            }
            if let Some(path) = &d.path {
                location["logicalLocations"] =
                    json!([{ "fullyQualifiedName": path, "kind": "element" }]);
            }
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let mut result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [location],
            });
            if let Some(i) = index {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    let mut results = results;
    results.extend(failures.iter().map(|f| {
        let mut result = json!({
            "ruleId": format!("norm-check/{}", f.kind),
            "level": "error",
            "message": { "text": f.message },
        });
        if let Some(standard) = &f.standard {
            result["locations"] = json!([{ "physicalLocation": { "artifactLocation": {
                "uri": format!("standards/{standard}/standard.yaml"), "uriBaseId": "%SRCROOT%"
            }}}]);
        }
        result
    }));
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
