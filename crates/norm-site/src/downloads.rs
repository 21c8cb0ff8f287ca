//! Machine-readable downloads of one version: the standard as one JSON bundle, a JSON Schema
//! (2020-12) per entity validating one record, a CSV data dictionary of the fields, and a CSV
//! of each code list's codes.
//!
//! Proposed elements are left out: they are in consultation and carry no compatibility
//! promise, so systems should not build on them (format.md, "Status").

use norm_model::catalog::{Catalog, Standard};
use norm_model::model::{CodeList, Entity, Field, FieldType, Status};
use serde_json::{Map, Value, json};

use crate::context::Download;

pub(crate) fn proposed(status: Option<Status>) -> bool {
    status == Some(Status::Proposed)
}

fn schema_name(entity: &str) -> String {
    format!("{entity}.schema.json")
}

/// A code list's CSV, under `downloads/`.
pub fn codelist_file(list: &str) -> String {
    format!("codelists/{list}.csv")
}

/// The code lists whose codes are downloads: all but proposed ones.
fn released_codelists(standard: &Standard) -> impl Iterator<Item = &CodeList> {
    standard
        .codelists
        .iter()
        .map(|c| &*c.value)
        .filter(|c| !proposed(c.status))
}

/// The download links of a version whose pages live under `base` (`ssd/1.2.0`).
pub fn links(base: &str, id: &str, folder: &str, standard: &Standard) -> Vec<Download> {
    let mut out = vec![
        Download {
            label: "The whole standard".into(),
            format: "JSON",
            href: format!("{base}/downloads/{id}-{folder}.json"),
        },
        Download {
            label: "Data dictionary".into(),
            format: "CSV",
            href: format!("{base}/downloads/{id}-{folder}-data-dictionary.csv"),
        },
    ];
    out.extend(
        standard
            .entities
            .iter()
            .filter(|e| !proposed(e.value.status))
            .map(|e| Download {
                label: format!("Schema of one {} record", e.value.name),
                format: "JSON Schema",
                href: format!("{base}/downloads/schemas/{}", schema_name(&e.value.name)),
            }),
    );
    out.extend(released_codelists(standard).map(|c| Download {
        label: format!(
            "Codes of the {} list",
            c.title.as_deref().unwrap_or(&c.name)
        ),
        format: "CSV",
        href: format!("{base}/downloads/{}", codelist_file(&c.name)),
    }));
    out
}

/// Where a version's `changes.json` goes, under its version folder.
pub const CHANGES: &str = "downloads/changes.json";

/// The download link of a version's `changes.json`: `norm diff --format json` against the
/// previous release.
pub fn changes_link(base: &str, previous: &str) -> Download {
    Download {
        label: format!("Changes since version {previous}"),
        format: "JSON",
        href: format!("{base}/{CHANGES}"),
    }
}

/// The files of the downloads folder, as `(path under downloads/, content)`.
pub fn files(
    catalog: &Catalog,
    standard: &Standard,
    folder: &str,
    url: Option<&str>,
) -> Vec<(String, String)> {
    let id = standard.id();
    let mut out = vec![
        (format!("{id}-{folder}.json"), bundle(standard)),
        (
            format!("{id}-{folder}-data-dictionary.csv"),
            dictionary(standard),
        ),
    ];
    for e in standard
        .entities
        .iter()
        .filter(|e| !proposed(e.value.status))
    {
        let schema_id = url.map(|u| {
            format!(
                "{u}{id}/{folder}/downloads/schemas/{}",
                schema_name(&e.value.name)
            )
        });
        out.push((
            format!("schemas/{}", schema_name(&e.value.name)),
            pretty(&entity_schema(catalog, standard, &e.value, schema_id)),
        ));
    }
    out.extend(released_codelists(standard).map(|c| (codelist_file(&c.name), codes_csv(c))));
    out
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The standard as one JSON document: its metadata, entities and code lists.
pub fn bundle(standard: &Standard) -> String {
    let mut entities: Vec<Entity> = standard
        .entities
        .iter()
        .filter(|e| !proposed(e.value.status))
        .map(|e| Entity::clone(&e.value))
        .collect();
    for e in &mut entities {
        e.fields.retain(|f| !proposed(f.status));
    }
    let mut codelists: Vec<_> = standard
        .codelists
        .iter()
        .filter(|c| !proposed(c.value.status))
        .map(|c| norm_model::CodeList::clone(&c.value))
        .collect();
    for c in &mut codelists {
        c.codes.retain(|code| !proposed(code.status));
    }
    pretty(&json!({
        "standard": standard.meta.as_ref().map(|m| &m.value),
        "entities": entities,
        "codelists": codelists,
    }))
}

fn string_schema(field: &Field) -> Map<String, Value> {
    let mut s = Map::new();
    let ty = field.field_type.unwrap_or(FieldType::String);
    let (kind, format, pattern) = match ty {
        FieldType::String | FieldType::Code => ("string", None, None),
        FieldType::Integer => ("integer", None, None),
        FieldType::Decimal => ("number", None, None),
        FieldType::Boolean => ("boolean", None, None),
        FieldType::Date => ("string", Some("date"), None),
        FieldType::Datetime => ("string", Some("date-time"), None),
        FieldType::Time => ("string", Some("time"), None),
        FieldType::Year => ("integer", None, None),
        FieldType::YearMonth => ("string", None, Some("^[0-9]{4}-(0[1-9]|1[0-2])$")),
        FieldType::Json => return s,
    };
    s.insert("type".into(), kind.into());
    if let Some(f) = format {
        s.insert("format".into(), f.into());
    }
    if let Some(p) = pattern {
        s.insert("pattern".into(), p.into());
    }
    if let Some(c) = &field.constraints {
        let numeric = matches!(kind, "integer" | "number");
        let mut put = |key: &str, v: Option<Value>| {
            if let Some(v) = v {
                s.insert(key.into(), v);
            }
        };
        if kind == "string" {
            put("minLength", c.min_length.map(Value::from));
            put("maxLength", c.max_length.map(Value::from));
            put("pattern", c.pattern.clone().map(Value::from));
        }
        if numeric {
            put("minimum", c.minimum.map(Value::from));
            put("maximum", c.maximum.map(Value::from));
            put("exclusiveMinimum", c.exclusive_minimum.map(Value::from));
            put("exclusiveMaximum", c.exclusive_maximum.map(Value::from));
        }
    }
    s
}

/// A JSON Schema (2020-12) that validates one record of `entity`.
pub fn entity_schema(
    catalog: &Catalog,
    standard: &Standard,
    entity: &Entity,
    id: Option<String>,
) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in entity.fields.iter().filter(|f| !proposed(f.status)) {
        let mut s = string_schema(f);
        // A closed code list is an enumeration; an extensible one admits local codes.
        if let Some(reference) = &f.codelist
            && let Some((_, list)) = catalog.find_codelist(standard.id(), reference)
            && list.value.extensible != Some(true)
        {
            let codes: Vec<Value> = list
                .value
                .codes
                .iter()
                .filter(|c| !proposed(c.status))
                .map(|c| Value::from(c.code.clone()))
                .collect();
            s.insert("enum".into(), codes.into());
        }
        if f.multiple {
            s = Map::from_iter([
                ("type".to_owned(), Value::from("array")),
                ("items".to_owned(), Value::Object(s)),
            ]);
        }
        if let Some(t) = &f.title {
            s.insert("title".into(), t.clone().into());
        }
        if let Some(d) = &f.description {
            s.insert("description".into(), d.trim().into());
        }
        if f.status == Some(Status::Deprecated) {
            s.insert("deprecated".into(), true.into());
        }
        if f.required {
            required.push(Value::from(f.name.clone()));
        } else {
            // An optional field may be present and empty.
            if let Some(t) = s.get("type").cloned() {
                s.insert("type".into(), json!([t, "null"]));
            }
            if let Some(Value::Array(codes)) = s.get_mut("enum") {
                codes.push(Value::Null);
            }
        }
        properties.insert(f.name.clone(), Value::Object(s));
    }
    let mut schema = Map::new();
    schema.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    if let Some(id) = id {
        schema.insert("$id".into(), id.into());
    }
    schema.insert(
        "title".into(),
        entity
            .title
            .clone()
            .unwrap_or_else(|| entity.name.clone())
            .into(),
    );
    if let Some(d) = &entity.description {
        schema.insert("description".into(), d.trim().into());
    }
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("required".into(), required.into());
    schema.insert("additionalProperties".into(), false.into());
    Value::Object(schema)
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The data dictionary: one row per field (RFC 4180 CSV, CRLF line ends).
pub fn dictionary(standard: &Standard) -> String {
    let header = [
        "entity",
        "field",
        "item",
        "title",
        "type",
        "required",
        "multiple",
        "codelist",
        "references",
        "constraints",
        "status",
        "description",
    ];
    let rows = standard
        .entities
        .iter()
        .filter(|e| !proposed(e.value.status))
        .flat_map(|e| {
            e.value
                .fields
                .iter()
                .filter(|f| !proposed(f.status))
                .map(|f| {
                    let constraints = f
                        .constraints
                        .as_ref()
                        .map(crate::context::constraint_words)
                        .unwrap_or_default()
                        .join("; ");
                    [
                        e.value.name.as_str(),
                        &f.name,
                        f.item.as_deref().unwrap_or_default(),
                        f.title.as_deref().unwrap_or_default(),
                        f.field_type.map_or("", |t| t.as_str()),
                        if f.required { "yes" } else { "no" },
                        if f.multiple { "yes" } else { "no" },
                        f.codelist.as_deref().unwrap_or_default(),
                        f.references.as_deref().unwrap_or_default(),
                        &constraints,
                        f.status.unwrap_or_default().as_str(),
                        f.description.as_deref().unwrap_or_default().trim(),
                    ]
                    .map(str::to_owned)
                })
        });
    csv(&header, rows)
}

/// The codes of one list (proposed codes left out), one row each: code, label, status and
/// description.
pub fn codes_csv(list: &CodeList) -> String {
    let rows = list.codes.iter().filter(|c| !proposed(c.status)).map(|c| {
        [
            c.code.as_str(),
            c.label.as_deref().unwrap_or_default(),
            c.status.unwrap_or_default().as_str(),
            c.description.as_deref().unwrap_or_default().trim(),
        ]
        .map(str::to_owned)
    });
    csv(&["code", "label", "status", "description"], rows)
}

/// A CSV document (RFC 4180: CRLF line ends, cells quoted when they need it).
fn csv<const N: usize>(header: &[&str; N], rows: impl Iterator<Item = [String; N]>) -> String {
    let mut out = header.join(",");
    out.push_str("\r\n");
    for row in rows {
        out.push_str(
            &row.iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_when_needed() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
    }

    /// Reads RFC 4180 CSV back: quoted cells may hold commas, doubled quotes and line breaks.
    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
        let (mut quoted, mut chars) = (false, text.chars().peekable());
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cell.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut cell)),
                (false, '\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => cell.push(c),
            }
        }
        assert!(
            !quoted && cell.is_empty() && row.is_empty(),
            "unterminated CSV"
        );
        rows
    }

    #[test]
    fn each_code_list_is_a_csv_that_reads_back() {
        let list: CodeList = serde_json::from_value(json!({
            "name": "placement",
            "title": "Placement type",
            "codes": [
                {
                    "code": "01",
                    "label": "Foster care, with a relative",
                    "description": "Placed with a \"connected person\".\n\nSee the guidance.\n",
                },
                {
                    "code": "R1",
                    "label": "Residential",
                    "status": "deprecated",
                    "deprecation": { "since": "1.0.0", "reason": "Split." },
                },
                { "code": "NEW", "label": "Proposed one", "status": "proposed" },
            ],
        }))
        .unwrap();
        let rows = parse_csv(&codes_csv(&list));
        assert_eq!(
            rows,
            [
                vec!["code", "label", "status", "description"],
                vec![
                    "01",
                    "Foster care, with a relative",
                    "active",
                    "Placed with a \"connected person\".\n\nSee the guidance."
                ],
                vec!["R1", "Residential", "deprecated", ""],
            ]
        );
    }
}
