//! `norm export linkml`, checked by LinkML's own tools for every standard of ours: `linkml lint`
//! (its recommended rules, `tests/linkml/lint.yaml`) finds no problem, `gen-json-schema`'s
//! generator turns each schema into a JSON Schema with a definition per entity, and LinkML's
//! validator accepts a container of records generated from the examples and refuses one whose
//! code is not in its enum.

#![allow(clippy::unwrap_used)]

mod support;

use std::process::Command;

use norm_export::Options;
use norm_model::{Catalog, FieldType, Standard};
use serde_json::{Map, Value, json};
use support::{printed, require, run, sample};

fn linkml_tool(name: &str) -> Option<std::path::PathBuf> {
    require(
        &format!("{name} (pip linkml)"),
        support::LINKML_HINT,
        support::python_tool("linkml", name),
    )
}

/// The records of `standard` as LinkML data: the container's lists, values typed as the
/// schema's ranges.
fn instance(catalog: &Catalog, standard: &Standard) -> Value {
    let mut container = Map::new();
    for record in sample(catalog, standard) {
        let entity = standard.entity(&record.entity).unwrap();
        let mut object = Map::new();
        for (name, value) in &record.values {
            let field = entity
                .value
                .fields
                .iter()
                .find(|f| &f.name == name)
                .unwrap();
            let typed = match field.field_type {
                Some(FieldType::Integer | FieldType::Year) => json!(value.parse::<i64>().unwrap()),
                Some(FieldType::Decimal) => json!(value.parse::<f64>().unwrap()),
                Some(FieldType::Boolean) => json!(value == "true"),
                _ => json!(value),
            };
            object.insert(
                name.clone(),
                if field.multiple {
                    json!([typed])
                } else {
                    typed
                },
            );
        }
        container
            .entry(record.entity.clone())
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .unwrap()
            .push(Value::Object(object));
    }
    Value::Object(container)
}

/// The instance with its first code replaced by one that no enum holds, if it has a code.
/// A date and time in the form of a data file, not ISO 8601: what a broken instance holds.
const NOT_ISO: &str = "15/04/2026 09:30";

/// The instance with its first single code outside its enum and its first date and time not
/// in ISO 8601; `None` when the standard has neither. Says which of the two it broke.
fn broken(catalog: &Catalog, standard: &Standard, valid: &Value) -> Option<(Value, bool, bool)> {
    let mut broken = valid.clone();
    let (mut code, mut datetime) = (false, false);
    for (entity, records) in broken.as_object_mut()? {
        let entity = standard.entity(entity).unwrap();
        let record = records[0].as_object_mut().unwrap();
        for field in &entity.value.fields {
            let local = field
                .references
                .as_deref()
                .is_some_and(|r| catalog.resolve_field(standard.id(), r).is_ok());
            let Some(value) = record.get_mut(&field.name) else {
                continue;
            };
            if !code && field.field_type == Some(FieldType::Code) && !field.multiple && !local {
                *value = json!("NOT-A-CODE");
                code = true;
            }
            if !datetime && field.field_type == Some(FieldType::Datetime) && !field.multiple {
                *value = json!(NOT_ISO);
                datetime = true;
            }
        }
    }
    (code || datetime).then_some((broken, code, datetime))
}

/// Generates each schema's JSON Schema (the generator `gen-json-schema` runs) and validates
/// each instance with LinkML's validator, printing one JSON line per schema.
const CHECK: &str = r#"
import json, sys
from linkml.generators.jsonschemagen import JsonSchemaGenerator
from linkml.validator import validate
for schema, valid, broken in zip(*[iter(sys.argv[1:])] * 3):
    generated = json.loads(JsonSchemaGenerator(schema).serialize())
    def problems(path):
        if path == "-":
            return None
        report = validate(json.load(open(path)), schema)
        return [r.message for r in report.results]
    print(json.dumps({"schema": schema, "defs": sorted(generated.get("$defs", {})),
                      "valid": problems(valid), "broken": problems(broken)}))
"#;

#[test]
fn every_standard_s_schema_lints_clean_generates_json_schema_and_validates_its_examples() {
    let Some(lint) = linkml_tool("linkml") else {
        return;
    };
    let Some(python) = linkml_tool("python3") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let catalog = support::ours();
    let schemas = dir.path().join("schemas");
    let mut args = Vec::new();
    let mut expected = Vec::new();
    for standard in support::standards() {
        let export = norm_export::linkml::export(catalog, standard, &Options::default());
        support::write_export(&schemas, &export);
        let id = standard.id();
        let schema = schemas.join(format!("{id}.linkml.yaml"));
        let valid = instance(catalog, standard);
        let valid_path = dir.path().join(format!("{id}.valid.json"));
        std::fs::write(&valid_path, valid.to_string()).unwrap();
        let broken_instance = broken(catalog, standard, &valid);
        let broken_path = match &broken_instance {
            Some((broken, ..)) => {
                let path = dir.path().join(format!("{id}.broken.json"));
                std::fs::write(&path, broken.to_string()).unwrap();
                path.display().to_string()
            }
            None => "-".into(),
        };
        args.extend([
            schema.display().to_string(),
            valid_path.display().to_string(),
            broken_path,
        ]);
        let (code, datetime) = broken_instance.map_or((false, false), |(_, c, d)| (c, d));
        expected.push((standard, code, datetime));
    }
    let config = support::workspace_root().join("crates/norm-export/tests/linkml/lint.yaml");
    let linted = run(Command::new(&lint)
        .arg("lint")
        .arg("-c")
        .arg(&config)
        .arg(&schemas)
        .current_dir(dir.path()));
    assert!(
        linted.status.success(),
        "linkml lint finds no problem: {}",
        printed(&linted)
    );
    assert!(
        String::from_utf8_lossy(&linted.stdout).contains("No problems found"),
        "{}",
        printed(&linted)
    );

    let checked = run(Command::new(&python)
        .arg("-c")
        .arg(CHECK)
        .args(&args)
        .current_dir(dir.path()));
    assert!(checked.status.success(), "{}", printed(&checked));
    let lines: Vec<Value> = String::from_utf8_lossy(&checked.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), expected.len());
    let (mut broken_checked, mut datetimes_checked) = (0, 0);
    for (line, (standard, code, datetime)) in lines.iter().zip(expected) {
        let id = standard.id();
        let defs: Vec<&str> = line["defs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        for entity in &standard.entities {
            let class: String = entity
                .value
                .name
                .split('_')
                .map(|w| w[..1].to_uppercase() + &w[1..])
                .collect();
            assert!(
                defs.contains(&class.as_str()),
                "{id}: a JSON Schema definition for {class}: {defs:?}"
            );
        }
        assert_eq!(
            line["valid"],
            json!([]),
            "{id}: the examples are valid LinkML data"
        );
        if let Some(problems) = line["broken"].as_array() {
            let refused =
                |value: &str| problems.iter().any(|p| p.as_str().unwrap().contains(value));
            if code {
                assert!(
                    refused("NOT-A-CODE"),
                    "{id}: a code outside its enum is refused: {problems:?}"
                );
                broken_checked += 1;
            }
            if datetime {
                assert!(
                    refused(NOT_ISO),
                    "{id}: a date and time not in ISO 8601 is refused: {problems:?}"
                );
                datetimes_checked += 1;
            }
        }
    }
    assert!(broken_checked >= 4, "codes were checked in most standards");
    assert!(datetimes_checked >= 1, "a date and time was checked");
}
