//! Every export of every standard in `standards/` checked by the real validator of its
//! ecosystem, not by our reading of it: `frictionless validate` (the data package, with its
//! sample data), the `csvw` package's `csvwvalidate` (the CSVW metadata against its sample
//! CSVs) and `openapi-spec-validator`. Each also rejects a broken copy, so a validator that
//! accepts anything cannot pass.
//!
//! The tools are Python packages, pinned in `.ci/python-requirements.txt` and installed by
//! `.ci/run` into the virtual environment `.ci/python`. Without them `cargo test` says so
//! loudly and skips; in CI (`CI=true`) it fails instead.

#![allow(clippy::unwrap_used)]

#[path = "support/site.rs"]
mod site;
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A tool of `.ci/python`, else one on `PATH`.
fn python_tool(name: &str) -> Option<PathBuf> {
    let venv = site::workspace_root().join(".ci/python/bin").join(name);
    if venv.is_file() {
        return Some(venv);
    }
    site::find_on_path(&[name])
}

/// The ids of our standards.
fn standards() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(site::workspace_root().join("standards"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("standard.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    assert!(ids.len() >= 5, "{ids:?}");
    ids
}

/// Runs `norm export FORMAT --standard ID --out DIR` on our repository.
fn export(format: &str, id: &str, dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_norm"))
        .args(["export", format, "--standard", id, "--out"])
        .arg(dir)
        .current_dir(site::workspace_root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "norm export {format} --standard {id}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs a validator; its exit status and what it printed.
fn validate(tool: &Path, args: &[&Path]) -> (bool, String) {
    let out = site::run_bounded(Command::new(tool).args(args), Duration::from_secs(300));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Adds the last row of a CSV file again, which repeats its primary key.
fn repeat_last_row(csv: &Path) {
    let text = std::fs::read_to_string(csv).unwrap();
    let last = text.trim_end().rsplit("\r\n").next().unwrap().to_owned();
    std::fs::write(csv, format!("{text}{last}\r\n")).unwrap();
}

/// The first entity's CSV of a standard that has entities with a primary key.
fn keyed_csv(
    dir: &Path,
    descriptor: &serde_json::Value,
    tables: &str,
    url: &str,
    key: &str,
) -> Option<PathBuf> {
    descriptor[tables]
        .as_array()?
        .iter()
        .find(|t| t.pointer(key).is_some_and(|k| !k.is_null()))
        .map(|t| dir.join(t[url].as_str().unwrap()))
}

#[test]
fn frictionless_validates_every_data_package_and_its_sample_data() {
    let Some(tool) = site::require("frictionless", python_tool("frictionless")) else {
        return;
    };
    for id in standards() {
        let dir = tempfile::tempdir().unwrap();
        export("datapackage", &id, dir.path());
        let descriptor = dir.path().join("datapackage.json");
        let (ok, report) = validate(&tool, &[Path::new("validate"), &descriptor]);
        assert!(ok, "frictionless rejects the {id} data package:\n{report}");
        let package: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&descriptor).unwrap()).unwrap();
        if let Some(csv) = keyed_csv(
            dir.path(),
            &package,
            "resources",
            "path",
            "/schema/primaryKey",
        ) {
            repeat_last_row(&csv);
            let (ok, report) = validate(&tool, &[Path::new("validate"), &descriptor]);
            assert!(
                !ok && report.contains("primary-key"),
                "a repeated key in {} passed:\n{report}",
                csv.display()
            );
        }
    }
}

#[test]
fn csvw_reads_every_metadata_document_against_its_sample_data() {
    let Some(tool) = site::require("csvwvalidate", python_tool("csvwvalidate")) else {
        return;
    };
    for id in standards() {
        let dir = tempfile::tempdir().unwrap();
        export("csvw", &id, dir.path());
        let metadata = dir.path().join(format!("{id}.csv-metadata.json"));
        let (ok, report) = validate(&tool, &[&metadata]);
        assert!(
            ok && report.trim_end().ends_with("OK"),
            "csvw rejects the {id} metadata:\n{report}"
        );
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&metadata).unwrap()).unwrap();
        if let Some(csv) = keyed_csv(dir.path(), &doc, "tables", "url", "/tableSchema/primaryKey") {
            repeat_last_row(&csv);
            let (ok, report) = validate(&tool, &[&metadata]);
            assert!(!ok, "a repeated key in {} passed:\n{report}", csv.display());
        }
    }
}

#[test]
fn openapi_spec_validator_accepts_every_openapi_document() {
    let Some(tool) = site::require(
        "openapi-spec-validator",
        python_tool("openapi-spec-validator"),
    ) else {
        return;
    };
    for id in standards() {
        let dir = tempfile::tempdir().unwrap();
        export("openapi", &id, dir.path());
        let document = dir.path().join(format!("{id}.openapi.json"));
        let (ok, report) = validate(&tool, &[&document]);
        assert!(
            ok,
            "openapi-spec-validator rejects the {id} document:\n{report}"
        );
        // An OpenAPI 3.1 document must say its version in `info`.
        let mut doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&document).unwrap()).unwrap();
        doc["info"].as_object_mut().unwrap().remove("version");
        std::fs::write(&document, doc.to_string()).unwrap();
        let (ok, report) = validate(&tool, &[&document]);
        assert!(!ok, "a document without info.version passed:\n{report}");
    }
}

/// The `json-schema` and `openapi` exports share their schemas; the `jsonschema` crate checks
/// the bundle against the 2020-12 meta-schema and compiles each entity's schema, which must
/// reject a record with a property the entity does not have.
#[test]
fn every_json_schema_bundle_is_a_valid_2020_12_schema() {
    for id in standards() {
        let out = Command::new(env!("CARGO_BIN_EXE_norm"))
            .args(["export", "json-schema", "--standard", &id, "--out", "-"])
            .current_dir(site::workspace_root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bundle: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        if let Err(e) = jsonschema::meta::validate(&bundle) {
            panic!("the {id} bundle is not a 2020-12 schema: {e}");
        }
        for name in bundle["$defs"].as_object().unwrap().keys() {
            let mut root = bundle.clone();
            root["$ref"] = format!("#/$defs/{name}").into();
            let validator = jsonschema::draft202012::new(&root)
                .unwrap_or_else(|e| panic!("{id}/{name} does not compile: {e}"));
            assert!(
                !validator.is_valid(&serde_json::json!({ "no_such_field": 1 })),
                "{id}/{name}"
            );
        }
    }
}
