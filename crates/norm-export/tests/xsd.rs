//! `norm export xsd`, checked by libxml2's `xmllint --schema` for every standard of ours: the
//! schema compiles, an instance generated from the standard's examples is valid, and instances
//! broken in one way each (a code not in its list, a required field left out, a key repeated,
//! a reference to nothing, an unknown element) are not.

#![allow(clippy::unwrap_used)]

mod support;

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use norm_export::Options;
use norm_model::{Catalog, FieldType, Standard};
use support::{Record, printed, require, run, sample};

fn xmllint() -> Option<PathBuf> {
    require(
        "xmllint",
        support::APT_HINT,
        support::find_on_path("xmllint"),
    )
}

/// The XML of `records` under the root element `root`.
fn instance(root: &str, records: &[Record]) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if records.is_empty() {
        // Not even white space: a root without records has empty content.
        let _ = writeln!(xml, "<{root}></{root}>");
        return xml;
    }
    let _ = writeln!(xml, "<{root}>");
    for record in records {
        let _ = writeln!(xml, "  <{}>", record.entity);
        for (field, value) in &record.values {
            let value = value.replace('&', "&amp;").replace('<', "&lt;");
            let _ = writeln!(xml, "    <{field}>{value}</{field}>");
        }
        let _ = writeln!(xml, "  </{}>", record.entity);
    }
    let _ = writeln!(xml, "</{root}>");
    xml
}

/// `xmllint --schema schema instance`: whether it is valid, and what xmllint said.
fn validate(xmllint: &Path, dir: &Path, schema: &Path, name: &str, xml: &str) -> (bool, String) {
    let file = dir.join(name);
    std::fs::write(&file, xml).unwrap();
    let output = run(Command::new(xmllint)
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(&file));
    let said = printed(&output);
    assert!(
        !said.contains("failed to compile") && !said.contains("Schemas parser error"),
        "the schema {} compiles:\n{said}",
        schema.display()
    );
    (output.status.success(), said)
}

/// The broken copies of the valid instance, each with what breaks it and what xmllint must say.
fn broken(
    catalog: &Catalog,
    standard: &Standard,
    valid: &[Record],
) -> Vec<(String, Vec<Record>, String)> {
    let mut broken = Vec::new();
    let copy = || -> Vec<Record> {
        valid
            .iter()
            .map(|r| Record {
                entity: r.entity.clone(),
                values: r.values.clone(),
            })
            .collect()
    };
    let field = |r: &Record, name: &str| {
        standard
            .entity(&r.entity)
            .and_then(|e| e.value.fields.iter().find(|f| f.name == name))
            .cloned()
            .unwrap()
    };
    'code: for (i, record) in valid.iter().enumerate() {
        for (j, (name, _)) in record.values.iter().enumerate() {
            if field(record, name).field_type == Some(FieldType::Code) {
                let mut records = copy();
                records[i].values[j].1 = "NOT-A-CODE".into();
                broken.push((
                    format!("{}.{name} not in its list", record.entity),
                    records,
                    "NOT-A-CODE".into(),
                ));
                break 'code;
            }
        }
    }
    if let Some((i, j)) = valid.iter().enumerate().find_map(|(i, r)| {
        r.values
            .iter()
            .position(|(n, _)| field(r, n).required)
            .map(|j| (i, j))
    }) {
        let mut records = copy();
        let (name, _) = records[i].values.remove(j);
        // xmllint names the element it expected in the missing one's place.
        broken.push((
            format!("required {}.{name} left out", valid[i].entity),
            records,
            format!("Expected is ( {name} )"),
        ));
    }
    if let Some(i) = valid.iter().position(|r| {
        !standard
            .entity(&r.entity)
            .unwrap()
            .value
            .primary_key
            .is_empty()
    }) {
        let mut records = copy();
        records.insert(
            i,
            Record {
                entity: valid[i].entity.clone(),
                values: valid[i].values.clone(),
            },
        );
        broken.push((
            format!("{} key repeated", valid[i].entity),
            records,
            "Duplicate key-sequence".into(),
        ));
    }
    let local_reference = valid.iter().enumerate().find_map(|(i, r)| {
        r.values
            .iter()
            .position(|(n, _)| {
                field(r, n)
                    .references
                    .as_deref()
                    .and_then(|to| catalog.resolve_field(standard.id(), to).ok())
                    .is_some_and(|(s, ..)| s.id() == standard.id())
            })
            .map(|j| (i, j))
    });
    if let Some((i, j)) = local_reference {
        let mut records = copy();
        records[i].values[j].1 = "NO-SUCH-RECORD".into();
        broken.push((
            format!(
                "{}.{} points at nothing",
                valid[i].entity, valid[i].values[j].0
            ),
            records,
            "No match found for key-sequence".into(),
        ));
    }
    broken
}

#[test]
fn every_standard_s_schema_compiles_and_accepts_its_examples_and_rejects_broken_records() {
    let Some(xmllint) = xmllint() else { return };
    let dir = tempfile::tempdir().unwrap();
    let catalog = support::ours();
    let mut kinds = std::collections::BTreeSet::new();
    for standard in support::standards() {
        let export = norm_export::xsd::export(catalog, standard, &Options::default());
        support::write_export(dir.path(), &export);
        let schema = dir.path().join(format!("{}.xsd", standard.id()));
        let valid = sample(catalog, standard);
        let (ok, said) = validate(
            &xmllint,
            dir.path(),
            &schema,
            "valid.xml",
            &instance(standard.id(), &valid),
        );
        assert!(
            ok,
            "{}: the examples' instance is valid:\n{said}",
            standard.id()
        );

        let mut unknown = instance(standard.id(), &valid);
        unknown = unknown.replacen(
            &format!("<{}>", standard.id()),
            &format!("<{}><no_such_record/>", standard.id()),
            1,
        );
        let (ok, said) = validate(&xmllint, dir.path(), &schema, "unknown.xml", &unknown);
        let named = said.contains("no_such_record")
            || (valid.is_empty() && said.contains("Element content is not allowed"));
        assert!(
            !ok && named,
            "{}: an unknown element is invalid:\n{said}",
            standard.id()
        );

        let broken = broken(catalog, standard, &valid);
        for (what, records, message) in broken {
            kinds.insert(message.split(" ( ").next().unwrap().to_owned());
            let (ok, said) = validate(
                &xmllint,
                dir.path(),
                &schema,
                "broken.xml",
                &instance(standard.id(), &records),
            );
            assert!(
                !ok,
                "{}: {what} is invalid, but xmllint says valid:\n{said}",
                standard.id()
            );
            assert!(
                said.contains(&message),
                "{}: {what}: xmllint says {message:?}:\n{said}",
                standard.id()
            );
        }
    }
    // Every way of breaking an instance was tried on some standard of ours.
    assert_eq!(kinds.len(), 4, "{kinds:?}");
}
