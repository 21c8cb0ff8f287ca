//! `norm import column-map`: yearly column-map specifications and their `*.diff.yml` patches
//! (the SSDA903 and Annex A specifications).
//!
//! A specification is `column_map.<Table>.<COLUMN>` with the column's type (`string`, `date`,
//! `numeric` or `category`) and `canbeblank`. A patch is a mapping from a dotted path to
//! `{type: add | modify | rename | remove, value}`; patches apply in the order given, each to
//! the specification as the previous ones left it. Every file's text is kept as a tree that
//! remembers the file, line and column of each value, so that a note about a column added by a
//! 2024 patch points into that patch.

mod tree;

use std::path::PathBuf;

use norm_model::model::Constraints;
use norm_model::{EntityData, FieldType, StandardData};

use crate::common::{self, Names, SharedLists};
use crate::yearly;
use crate::{ImportError, Imported, Note, Place, Revision};
use tree::{At, Kind, Value, apply_patch, load};

/// Imports the specification as the last source leaves it: the first source (or the first
/// file of a folder) is a complete specification, the rest are patches or later complete
/// specifications, in order.
pub fn import(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let mut revisions = history(sources)?;
    revisions
        .pop()
        .map(|r| r.imported)
        .ok_or_else(|| yearly::no_sources("column-map specification"))
}

/// One revision per source file, in order: the first complete specification, then the
/// specification after each patch. A folder stands for its `*.yml` and `*.yaml` files, ordered
/// by the year in their names (a complete specification before a patch of the same year).
pub fn history(sources: &[PathBuf]) -> Result<Vec<Revision>, ImportError> {
    let files = yearly::yearly_files(sources, &["yml", "yaml"], "column-map specification")?;
    let mut state: Option<Value> = None;
    let mut revisions = Vec::new();
    for (index, path) in files.iter().enumerate() {
        let tree = load(path, index)?;
        if yearly::is_patch(path) {
            let spec = state.as_mut().ok_or_else(|| ImportError {
                place: Place::File { file: path.clone() },
                message: "a patch comes first: give the complete specification it patches \
                          before it"
                    .to_owned(),
            })?;
            apply_patch(spec, &tree, &files)?;
        } else {
            state = Some(tree);
        }
        let spec = state
            .as_ref()
            .ok_or_else(|| yearly::no_sources("column-map specification"))?;
        let imported = to_standard(spec, &files[..=index])?;
        revisions.push(Revision {
            label: yearly::revision_label(path),
            imported,
        });
    }
    Ok(revisions)
}

/// Column keys read into the model; any other key is reported.
const TYPE_KEYS: [&str; 4] = ["string", "date", "numeric", "category"];

/// The standard a complete (patched) specification describes.
fn to_standard(spec: &Value, files: &[PathBuf]) -> Result<Imported, ImportError> {
    let tables = spec
        .get("column_map")
        .and_then(Value::entries)
        .ok_or_else(|| ImportError {
            place: spec.at.place(files),
            message: "the specification has no `column_map` mapping of tables".to_owned(),
        })?;
    let mut out = Imported {
        standard: yearly::standard(files),
        entities: Vec::new(),
        codelists: Vec::new(),
        notes: Vec::new(),
    };
    let mut entity_names = Names::default();
    let mut lists = SharedLists::default();
    let mut date_formats: Vec<(String, Vec<At>)> = Vec::new();
    for (table, table_at, columns) in tables {
        let (name, renamed) = entity_names.claim(common::name_of(table));
        if renamed {
            out.notes
                .push(renamed_note(table_at.place(files), table, &name));
        }
        let mut entity = common::entity(name);
        entity.renamed_from = earlier_names(columns);
        entity.data = Some(EntityData {
            names: vec![table.clone()],
        });
        let mut field_names = Names::default();
        if columns.entries().is_none() {
            out.notes.push(Note {
                place: columns.at.place(files),
                kind: "value-not-mapped",
                message: format!("table `{table}` is not a mapping of columns: no fields read"),
            });
        }
        for (column, column_at, spec) in columns.entries().into_iter().flatten() {
            let (field_name, renamed) = field_names.claim(common::name_of(column));
            if renamed {
                out.notes
                    .push(renamed_note(column_at.place(files), column, &field_name));
            }
            let read = read_column(spec, files, &mut out.notes);
            let mut field = common::typed_field(field_name, Some(column.clone()), read.field_type);
            field.required = read.required;
            field.renamed_from = earlier_names(spec);
            field.constraints = read.constraints;
            if let Some((format, at)) = read.date_format {
                match date_formats.iter_mut().find(|(f, _)| *f == format) {
                    Some((_, places)) => places.push(at),
                    None => date_formats.push((format, vec![at])),
                }
            }
            if let Some(codes) = read.codes {
                lists.add(out.entities.len(), entity.fields.len(), codes);
            }
            entity.fields.push(field);
        }
        out.entities.push(entity);
    }
    out.codelists = lists.finish(&mut out.entities);
    if let Some(most) = date_formats.iter().map(|(_, p)| p.len()).max() {
        let common_at = date_formats.iter().position(|(_, p)| p.len() == most);
        for (i, (format, places)) in date_formats.iter().enumerate() {
            if Some(i) == common_at {
                out.standard.data = Some(StandardData {
                    date_format: Some(format.clone()),
                    subject: None,
                });
                continue;
            }
            out.notes.extend(places.iter().map(|at| Note {
                place: at.place(files),
                kind: "date-format-differs",
                message: format!(
                    "date format `{format}` differs from the standard's `{}`, which is kept",
                    date_formats[common_at.unwrap_or_default()].0
                ),
            }));
        }
    }
    Ok(out)
}

/// The snake_case names a value had before the patches renamed it.
fn earlier_names(value: &Value) -> Vec<String> {
    value
        .renamed_from
        .iter()
        .map(|n| common::name_of(n))
        .collect()
}

fn renamed_note(place: Place, source: &str, name: &str) -> Note {
    Note {
        place,
        kind: "name-taken",
        message: format!("`{source}` gives a name already taken: named `{name}`"),
    }
}

/// What one column's definition says.
struct Column {
    field_type: FieldType,
    required: bool,
    constraints: Option<Constraints>,
    date_format: Option<(String, At)>,
    codes: Option<Vec<norm_model::Code>>,
}

fn read_column(spec: &Value, files: &[PathBuf], notes: &mut Vec<Note>) -> Column {
    let mut column = Column {
        field_type: FieldType::String,
        required: false,
        constraints: None,
        date_format: None,
        codes: None,
    };
    let mut note = |at: At, kind: &'static str, message: String| {
        notes.push(Note {
            place: at.place(files),
            kind,
            message,
        });
    };
    let Some(entries) = spec.entries() else {
        note(
            spec.at,
            "type-missing",
            "the column has no definition: read as string".to_owned(),
        );
        return column;
    };
    let mut typed = false;
    for (key, at, value) in entries {
        let key = key.as_str();
        if TYPE_KEYS.contains(&key) {
            if typed {
                note(
                    *at,
                    "type-conflict",
                    format!("a second type `{key}`: the first one is kept"),
                );
                continue;
            }
            typed = true;
        }
        match key {
            "canbeblank" => match value.as_str().map(str::to_ascii_lowercase).as_deref() {
                Some("no" | "false" | "n") => column.required = true,
                Some("yes" | "true" | "y") => column.required = false,
                _ => note(
                    value.at,
                    "value-not-mapped",
                    "`canbeblank` is neither yes nor no: read as not required".to_owned(),
                ),
            },
            "string" => {
                if value.as_str() != Some("alphanumeric") {
                    let kind = value.as_str().unwrap_or("(not text)");
                    note(
                        value.at,
                        "type-read-as",
                        format!("string kind `{kind}` read as string; its check is not kept"),
                    );
                }
            }
            "date" => {
                column.field_type = FieldType::Date;
                match value.as_str() {
                    Some(format) => column.date_format = Some((format.to_owned(), value.at)),
                    None => note(
                        value.at,
                        "value-not-mapped",
                        "the date format is not text: dates read as ISO 8601".to_owned(),
                    ),
                }
            }
            "numeric" => {
                let (field_type, constraints) = read_numeric(value, &mut note);
                column.field_type = field_type;
                column.constraints = constraints;
            }
            "category" => {
                column.field_type = FieldType::Code;
                column.codes = Some(read_codes(value, &mut note));
            }
            other => note(
                *at,
                "key-not-mapped",
                format!("`{other}` has no place in the standard: not kept"),
            ),
        }
    }
    if !typed {
        note(
            spec.at,
            "type-missing",
            "the column has no type: read as string".to_owned(),
        );
    }
    column
}

fn read_numeric(
    value: &Value,
    note: &mut impl FnMut(At, &'static str, String),
) -> (FieldType, Option<Constraints>) {
    let kind = value.get("type").and_then(Value::as_str).or(value.as_str());
    let field_type = match kind {
        Some("integer" | "int") => FieldType::Integer,
        Some("float" | "decimal") => FieldType::Decimal,
        other => {
            note(
                value.at,
                "type-read-as",
                format!(
                    "numeric type `{}` read as decimal",
                    other.unwrap_or("(none)")
                ),
            );
            FieldType::Decimal
        }
    };
    let mut constraints = Constraints::default();
    for (key, at, bound) in value.entries().into_iter().flatten() {
        let number = bound.as_str().and_then(|s| s.parse::<f64>().ok());
        match (key.as_str(), number) {
            ("type", _) => {}
            ("min_value", Some(n)) => constraints.minimum = Some(n),
            ("max_value", Some(n)) => constraints.maximum = Some(n),
            (other, _) => note(
                *at,
                "key-not-mapped",
                format!("numeric `{other}` has no constraint in the standard: not kept"),
            ),
        }
    }
    let constraints = (constraints != Constraints::default()).then_some(constraints);
    (field_type, constraints)
}

/// The codes of a `category` list: each `{code, name}`, `name` a label or a list whose first
/// entry is the label and the rest spellings the source accepts when cleaning data.
fn read_codes(
    value: &Value,
    note: &mut impl FnMut(At, &'static str, String),
) -> Vec<norm_model::Code> {
    let Kind::Seq(items) = &value.kind else {
        note(
            value.at,
            "value-not-mapped",
            "`category` is not a list of codes: no codes read".to_owned(),
        );
        return Vec::new();
    };
    let mut codes = Vec::new();
    for item in items {
        let code = item.get("code").and_then(Value::as_str).or(item.as_str());
        let Some(code) = code else {
            note(
                item.at,
                "value-not-mapped",
                "a category without a `code`: left out".to_owned(),
            );
            continue;
        };
        let label = match item.get("name").map(|n| &n.kind) {
            Some(Kind::Scalar(label)) => Some(label.clone()),
            Some(Kind::Seq(names)) => {
                let mut names = names.iter().filter_map(Value::as_str);
                let label = names.next().map(str::to_owned);
                let others: Vec<&str> = names.collect();
                if !others.is_empty() {
                    note(
                        item.at,
                        "code-synonyms",
                        format!(
                            "code `{code}`: {} other spellings the source accepts are not kept",
                            others.len()
                        ),
                    );
                }
                label
            }
            _ => None,
        };
        codes.push(common::code(code.to_owned(), label));
    }
    codes
}
