//! What the structure pass checks in one table, compiled once from the entity and the table's
//! header row: which column holds each field, how its text is typed, its code list and
//! constraints, and the keys of the entity.

use norm_model::{Catalog, Entity, FieldType, Standard};
use regex::Regex;

use crate::ValidateError;
use crate::dates;
use crate::matching::column_name;
use crate::report::{Issue, IssueKind, IssueSeverity};
use crate::source::{Table, column_letters};

/// A typed cell, as the rules engine stores it: dates and times as ISO 8601 text, booleans as
/// 0 and 1, years as integers.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An empty cell (or one whose text is not of the field's type).
    Null,
    /// A whole number (`integer`, `year`, `boolean`).
    Integer(i64),
    /// A `decimal`.
    Real(f64),
    /// Anything else.
    Text(String),
}

impl Value {
    /// Appends the value as key text to `out` (equal values give equal text); `false` for
    /// NULL, which is no key.
    pub fn write_key(&self, out: &mut String) -> bool {
        use std::fmt::Write;
        // Writing to a String cannot fail.
        let _ = match self {
            Value::Null => return false,
            Value::Integer(i) => write!(out, "{i}"),
            Value::Real(r) => write!(out, "{r}"),
            Value::Text(t) => {
                out.push_str(t);
                Ok(())
            }
        };
        true
    }

    /// Sets the value to text written by `write`, reusing this value's buffer when it holds
    /// text already: rows of one table reuse their cells' buffers.
    pub fn set_text(&mut self, write: impl FnOnce(&mut String)) {
        if let Value::Text(buffer) = self {
            buffer.clear();
            write(buffer);
        } else {
            let mut buffer = String::new();
            write(&mut buffer);
            *self = Value::Text(buffer);
        }
    }
}

/// The codes a field accepts.
pub(crate) struct Codes {
    /// The list's reference, as the field writes it.
    pub list: String,
    /// Whether the list is closed: an unknown code is an error, else a query.
    pub closed: bool,
    codes: Packed,
}

/// Codes of up to 15 bytes (all of the sector's) packed into integers, the rest as text: a
/// code cell is looked up with an integer hash and compare, no string comparison.
struct Packed {
    short: foldhash::HashSet<u128>,
    long: foldhash::HashSet<String>,
}

/// A text of up to 15 bytes as one integer, its length in the last byte, so that texts that
/// differ only in trailing zero bytes differ.
fn packed(text: &str) -> Option<u128> {
    let bytes = text.as_bytes();
    if bytes.len() > 15 {
        return None;
    }
    let mut buffer = [0_u8; 16];
    buffer[..bytes.len()].copy_from_slice(bytes);
    buffer[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(buffer))
}

impl Codes {
    /// The codes of `list` (its reference as the field writes it), closed or open.
    pub fn new<'c>(list: &str, closed: bool, codes: impl Iterator<Item = &'c str>) -> Codes {
        let mut packed_codes = Packed {
            short: foldhash::HashSet::default(),
            long: foldhash::HashSet::default(),
        };
        for code in codes {
            match packed(code) {
                Some(n) => packed_codes.short.insert(n),
                None => packed_codes.long.insert(code.to_owned()),
            };
        }
        Codes {
            list: list.to_owned(),
            closed,
            codes: packed_codes,
        }
    }

    /// Whether `text` is one of the codes.
    pub fn contains(&self, text: &str) -> bool {
        match packed(text) {
            Some(n) => self.codes.short.contains(&n),
            None => self.codes.long.contains(text),
        }
    }
}

/// One field of the entity, as found in the table.
pub(crate) struct FieldPlan {
    pub name: String,
    /// The header the file uses, or the expected one when the column is missing.
    pub header: String,
    /// The column holding the field, when there is one.
    pub source: Option<usize>,
    pub kind: FieldType,
    /// Whether the cell holds a list, its items separated by
    /// [`norm_model::model::ITEM_SEPARATOR`] and checked one by one.
    pub multiple: bool,
    pub required: bool,
    pub codes: Option<Codes>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// `minimum`, `maximum`, `exclusive_minimum`, `exclusive_maximum`.
    pub bounds: [Option<f64>; 4],
    pub pattern: Option<(String, Regex)>,
    pub unique: bool,
}

/// Everything the structure pass checks in one table.
pub(crate) struct Plan {
    pub entity: String,
    pub fields: Vec<FieldPlan>,
    pub primary_key: Vec<usize>,
    pub unique_keys: Vec<Vec<usize>>,
    /// The field named by the standard's `data.subject`.
    pub subject: Option<usize>,
    /// `(field, target entity, target field)` for each `references` into this standard.
    pub references: Vec<(usize, String, String)>,
    pub date_format: String,
    pub spreadsheet: bool,
    /// Problems of the header row: missing, unknown and repeated columns.
    pub column_issues: Vec<Issue>,
}

impl Plan {
    /// Compiles the checks of `entity` for `table`.
    pub fn new(
        catalog: &Catalog,
        standard: &Standard,
        entity: &Entity,
        table: &Table,
    ) -> Result<Plan, ValidateError> {
        let data = standard.meta.as_ref().and_then(|m| m.value.data.as_ref());
        let date_format = data
            .and_then(|d| d.date_format.clone())
            .unwrap_or_else(|| "%Y-%m-%d".to_owned());
        let invalid = |why: String| ValidateError::Standard {
            standard: standard.id().to_owned(),
            why,
        };
        if !dates::is_supported(&date_format) {
            return Err(invalid(format!(
                "data.date_format `{date_format}` uses a directive other than %d %m %Y %y %H %M %S %%"
            )));
        }
        let column_issue = |rule: &str, severity, field: Option<&str>, message: String| Issue {
            kind: IssueKind::Structure,
            rule: rule.to_owned(),
            severity,
            entity: entity.name.clone(),
            file: table.file.clone(),
            row: None,
            line: Some(1),
            cell: None,
            fields: field.map(str::to_owned).into_iter().collect(),
            item: None,
            values: Default::default(),
            subject: None,
            message,
        };
        let mut column_issues = Vec::new();
        let mut claimed = vec![false; table.headers.len()];
        let mut fields = Vec::new();
        for field in &entity.fields {
            let header = column_name(field);
            let mut found = table
                .headers
                .iter()
                .enumerate()
                .filter(|(_, h)| h.eq_ignore_ascii_case(header))
                .map(|(i, _)| i);
            let source = found.next();
            for repeat in found {
                claimed[repeat] = true;
                column_issues.push(column_issue(
                    "unknown-column",
                    IssueSeverity::Error,
                    Some(&field.name),
                    format!(
                        "column {} repeats the header `{}` of column {}: only the first is read",
                        column_letters(repeat),
                        table.headers[repeat],
                        column_letters(source.unwrap_or_default())
                    ),
                ));
            }
            if let Some(i) = source {
                claimed[i] = true;
            } else {
                column_issues.push(column_issue(
                    "missing-column",
                    IssueSeverity::Error,
                    Some(&field.name),
                    format!("the column `{header}` is missing"),
                ));
            }
            let shown = source.map_or(header, |i| table.headers[i].as_str());
            fields.push(field_plan(catalog, standard, field, shown, source).map_err(invalid)?);
        }
        for (i, header) in table.headers.iter().enumerate() {
            if !claimed[i] {
                column_issues.push(column_issue(
                    "unknown-column",
                    IssueSeverity::Query,
                    None,
                    format!(
                        "column {} `{header}` is not a field of {}",
                        column_letters(i),
                        entity.name
                    ),
                ));
            }
        }
        let position = |name: &String| entity.fields.iter().position(|f| &f.name == name);
        let positions =
            |names: &[String]| -> Option<Vec<usize>> { names.iter().map(position).collect() };
        let references = entity
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let (target, to, index) = catalog
                    .resolve_field(standard.id(), f.references.as_deref()?)
                    .ok()?;
                (target.id() == standard.id()).then(|| {
                    (
                        i,
                        to.value.name.clone(),
                        to.value.fields[index].name.clone(),
                    )
                })
            })
            .collect();
        Ok(Plan {
            entity: entity.name.clone(),
            primary_key: positions(&entity.primary_key).unwrap_or_default(),
            unique_keys: entity
                .unique_keys
                .iter()
                .filter_map(|k| positions(k))
                .collect(),
            subject: data.and_then(|d| d.subject.as_ref()).and_then(position),
            references,
            date_format,
            spreadsheet: table.spreadsheet,
            fields,
            column_issues,
        })
    }
}

fn field_plan(
    catalog: &Catalog,
    standard: &Standard,
    field: &norm_model::Field,
    header: &str,
    source: Option<usize>,
) -> Result<FieldPlan, String> {
    let at = |why: String| format!("field {}: {why}", field.name);
    let codes = match field.codelist.as_deref() {
        Some(reference) if field.field_type == Some(FieldType::Code) => {
            let (_, list) = catalog
                .resolve_codelist(standard.id(), reference)
                .map_err(|why| {
                    at(format!(
                        "the code list `{reference}` does not resolve ({why:?}): run norm lint"
                    ))
                })?;
            Some(Codes::new(
                reference,
                list.value.extensible != Some(true),
                list.value.codes.iter().map(|c| c.code.as_str()),
            ))
        }
        _ => None,
    };
    let constraints = field.constraints.clone().unwrap_or_default();
    let pattern = match constraints.pattern {
        // A Table Schema pattern matches the whole value.
        Some(p) => Some((
            p.clone(),
            Regex::new(&format!("^(?:{p})$")).map_err(|e| at(format!("pattern `{p}`: {e}")))?,
        )),
        None => None,
    };
    Ok(FieldPlan {
        name: field.name.clone(),
        header: header.to_owned(),
        source,
        kind: field.field_type.unwrap_or(FieldType::String),
        multiple: field.multiple,
        required: field.required,
        codes,
        min_length: constraints.min_length,
        max_length: constraints.max_length,
        bounds: [
            constraints.minimum,
            constraints.maximum,
            constraints.exclusive_minimum,
            constraints.exclusive_maximum,
        ],
        pattern,
        unique: constraints.unique == Some(true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_found_exactly_whatever_their_length() {
        let long = "A-CODE-LONGER-THAN-FIFTEEN";
        let codes = Codes::new("l", true, ["M", "F", "CREQB", long].into_iter());
        for code in ["M", "F", "CREQB", long] {
            assert!(codes.contains(code), "{code}");
        }
        for other in [
            "",
            "m",
            "MF",
            "M\0",
            "CREQ",
            "CREQBX",
            "A-CODE-LONGER-THAN-FIFTEE",
        ] {
            assert!(!codes.contains(other), "{other:?}");
        }
    }
}
