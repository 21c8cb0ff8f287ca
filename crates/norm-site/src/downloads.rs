//! Machine-readable downloads of one version: the standard as one JSON bundle, a JSON Schema
//! (2020-12) per entity validating one record, a CSV data dictionary of the fields, a CSV
//! of each code list's codes, and every `norm export` format, each in its own folder.
//!
//! Proposed elements are left out: they are in consultation and carry no compatibility
//! promise, so systems should not build on them (format.md, "Status").

use norm_export::released::Released;
use norm_export::{ExportError, Format, Options, Published};
use norm_model::catalog::{Catalog, Standard};
use norm_model::model::{CodeList, Entity, Status};
use serde_json::{Value, json};

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

/// Every `norm export` format this norm writes, each variant made (both SQL dialects); `url`
/// is the site's address, for formats that name themselves by URL.
pub fn exports(
    catalog: &Catalog,
    standard: &Standard,
    folder: &str,
    url: Option<&str>,
) -> Vec<Published> {
    let id = standard.id();
    Format::ALL
        .into_iter()
        // A version's DCAT record is made by the site from the release it renders (its date,
        // its downloads), not from the metadata alone.
        .filter(|format| *format != Format::Dcat)
        .filter_map(|format| {
            let options = Options {
                base_url: url.map(|u| format!("{u}{id}/{folder}/downloads/{format}/")),
                ..Options::default()
            };
            match norm_export::publish(format, catalog, id, &options) {
                Ok(published) => Some(published),
                // A standard without metadata (which lint reports): nothing to download.
                Err(ExportError::NoMetadata(_)) => None,
                Err(ExportError::UnknownFormat(_) | ExportError::UnknownStandard { .. }) => None,
            }
        })
        .collect()
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

/// The download links of a version's exports, one per variant of each format: its first
/// file, the descriptor that names the others.
pub fn export_links(base: &str, exports: &[Published]) -> Vec<Download> {
    exports
        .iter()
        .flat_map(|published| {
            published.variants.iter().filter_map(|(title, export)| {
                let (file, _) = export.files.first()?;
                Some(Download {
                    label: title.clone(),
                    format: norm_export::media_type(file),
                    href: format!("{base}/downloads/{}/{file}", published.format),
                })
            })
        })
        .collect()
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
    exports: Vec<Published>,
) -> Vec<(String, Vec<u8>)> {
    let id = standard.id();
    let mut out: Vec<(String, Vec<u8>)> = vec![
        (format!("{id}-{folder}.json"), bundle(standard).into_bytes()),
        (
            format!("{id}-{folder}-data-dictionary.csv"),
            dictionary(standard).into_bytes(),
        ),
    ];
    if let Some(released) = Released::new(catalog, standard) {
        for (e, fields) in &released.entities {
            let name = schema_name(&e.value.name);
            let schema_id = url.map(|u| format!("{u}{id}/{folder}/downloads/schemas/{name}"));
            let schema =
                norm_export::json_schema::entity_schema(&released, &e.value, fields, schema_id);
            out.push((format!("schemas/{name}"), pretty(&schema).into_bytes()));
        }
    }
    out.extend(
        released_codelists(standard).map(|c| (codelist_file(&c.name), codes_csv(c).into_bytes())),
    );
    for published in exports {
        let format = published.format;
        out.extend(
            published
                .files()
                .into_iter()
                .map(|(path, bytes)| (format!("{format}/{path}"), bytes)),
        );
    }
    out
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The standard as one JSON document: its metadata, entities, code lists and validation rules.
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
    let rules: Vec<&norm_model::Rule> = standard
        .rules
        .iter()
        .filter(|r| !proposed(r.value.status))
        .map(|r| &*r.value)
        .collect();
    pretty(&json!({
        "standard": standard.meta.as_ref().map(|m| &m.value),
        "entities": entities,
        "codelists": codelists,
        "rules": rules,
    }))
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
