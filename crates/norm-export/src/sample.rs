//! One row of sample data per entity, from the fields' `examples`, so that the real
//! validators of data-file formats (Frictionless, CSVW) check the descriptors against data.
//!
//! A field without an example gets the simplest value its type and code list allow when it is
//! required, and stays empty otherwise. A field that references another takes the target's
//! value, so that the foreign keys hold between the sample files.

use norm_model::model::{Field, FieldType};

use crate::released::{Released, ReleasedList};

/// How many references a value follows before giving up (a cycle of references).
const MAX_HOPS: usize = 8;

/// The sample value of `field`, as written in a data file.
pub(crate) fn value(released: &Released<'_>, field: &Field) -> String {
    let mut field = field;
    for _ in 0..MAX_HOPS {
        match released.reference(field) {
            Some(target) => field = target.field,
            None => break,
        }
    }
    let value = match field.examples.first() {
        Some(example) => example.clone(),
        None if field.required => simplest(released, field),
        None => String::new(),
    };
    as_written(released, field, value)
}

/// A value of `field` as the model holds it (dates in ISO 8601), as a data file writes it
/// (dates in the standard's `data.date_format`).
pub(crate) fn as_written(released: &Released<'_>, field: &Field, value: String) -> String {
    match (field.field_type, released.date_format()) {
        (Some(FieldType::Date), Some(format)) => {
            norm_model::dates::written::write(&value, format).unwrap_or(value)
        }
        _ => value,
    }
}

/// The simplest value a required field without examples can hold.
fn simplest(released: &Released<'_>, field: &Field) -> String {
    if let Some(code) = released
        .codelist(field)
        .and_then(|l| l.codes.first().map(|c| c.code.clone()))
    {
        return code;
    }
    let min = field.constraints.as_ref().and_then(|c| c.minimum);
    match field.field_type.unwrap_or(FieldType::String) {
        FieldType::Integer | FieldType::Decimal => min.unwrap_or(0.0).to_string(),
        FieldType::Boolean => "true".into(),
        FieldType::Date => "2025-01-01".into(),
        FieldType::Datetime => "2025-01-01T00:00:00Z".into(),
        FieldType::Time => "00:00:00".into(),
        FieldType::Year => "2025".into(),
        FieldType::YearMonth => "2025-01".into(),
        FieldType::Json => "{}".into(),
        FieldType::String | FieldType::Code => {
            let len = field
                .constraints
                .as_ref()
                .and_then(|c| c.min_length)
                .unwrap_or(1);
            "x".repeat(usize::try_from(len).unwrap_or(1).max(1))
        }
    }
}

/// A CSV file of `header` and `rows` (RFC 4180: CRLF line ends, cells quoted when needed).
pub(crate) fn csv<R: AsRef<[String]>>(header: &[&str], rows: &[R]) -> Vec<u8> {
    let line = |cells: Vec<&str>| {
        cells
            .into_iter()
            .map(|c| {
                if c.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = line(header.to_vec());
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&line(row.as_ref().iter().map(String::as_str).collect()));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// The CSV file of a code list's codes, in packages that carry a standard's own lists.
pub(crate) fn codelist_file(list: &str) -> String {
    format!("codelists/{list}.csv")
}

/// A code list's codes as data: code, label and description.
pub(crate) fn codes(list: &ReleasedList<'_>) -> (String, Vec<u8>) {
    let rows: Vec<[String; 3]> = list
        .codes
        .iter()
        .map(|c| {
            [
                c.code.clone(),
                c.label.clone().unwrap_or_default(),
                c.description
                    .as_deref()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            ]
        })
        .collect();
    (
        codelist_file(&list.list.name),
        csv(&["code", "label", "description"], &rows),
    )
}
