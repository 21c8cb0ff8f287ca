//! `norm import column-map`: yearly column-map specifications and their `*.diff.yml` patches
//! (the SSDA903 and Annex A specifications).
//!
//! A specification is `column_map.<Table>.<COLUMN>` with the column's type (`string`, `date`,
//! `numeric` or `category`) and `canbeblank`. A patch is a mapping from a dotted path to
//! `{type: add | modify | rename | remove, value}`; patches apply in the order given, each to
//! the specification as the previous ones left it. Every file's text is kept as a tree that
//! remembers the file, line and column of each value, so that a note about a column added by a
//! 2024 patch points into that patch.

use std::path::{Path, PathBuf};

use norm_model::model::Constraints;
use norm_model::yaml::{Node, NodeKind, parse};
use norm_model::{EntityData, FieldType, StandardData};

use crate::common::{self, Names, SharedLists, collection_year, file_name, read_text};
use crate::{ImportError, Imported, Note, Place, Revision};

/// Imports the specification as the last source leaves it: the first source (or the first
/// file of a folder) is a complete specification, the rest are patches or later complete
/// specifications, in order.
pub fn import(sources: &[PathBuf]) -> Result<Imported, ImportError> {
    let mut revisions = history(sources)?;
    revisions.pop().map(|r| r.imported).ok_or_else(no_sources)
}

/// One revision per source file, in order: the first complete specification, then the
/// specification after each patch. A folder stands for its `*.yml` and `*.yaml` files, ordered
/// by the year in their names (a complete specification before a patch of the same year).
pub fn history(sources: &[PathBuf]) -> Result<Vec<Revision>, ImportError> {
    let files = expand(sources)?;
    let mut state: Option<Value> = None;
    let mut notes = Vec::new();
    let mut revisions = Vec::new();
    for (index, path) in files.iter().enumerate() {
        let (tree, note) = load(path, index)?;
        notes.extend(note);
        if is_patch(path) {
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
        let spec = state.as_ref().ok_or_else(no_sources)?;
        let mut imported = to_standard(spec, &files[..=index])?;
        imported.notes.splice(0..0, notes.iter().cloned());
        revisions.push(Revision {
            label: common::revision_label(path),
            imported,
        });
    }
    Ok(revisions)
}

fn no_sources() -> ImportError {
    ImportError {
        place: Place::File {
            file: PathBuf::from("."),
        },
        message: "no column-map specification given".to_owned(),
    }
}

fn is_patch(path: &Path) -> bool {
    let name = file_name(path);
    name.ends_with(".diff.yml") || name.ends_with(".diff.yaml")
}

/// The files to read: each file as given, each folder as its YAML files by year.
fn expand(sources: &[PathBuf]) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    for source in sources {
        if !source.is_dir() {
            files.push(source.clone());
            continue;
        }
        let entries = std::fs::read_dir(source).map_err(|e| ImportError {
            place: Place::File {
                file: source.clone(),
            },
            message: format!("cannot read the folder: {e}"),
        })?;
        let mut found: Vec<(u32, bool, PathBuf)> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
            .map(|p| (collection_year(&p).map_or(0, |(y, _)| y), is_patch(&p), p))
            .collect();
        found.sort();
        files.extend(found.into_iter().map(|(_, _, p)| p));
    }
    if files.is_empty() {
        return Err(no_sources());
    }
    Ok(files)
}

/// Where a value was read: the index of its file among the sources, and its line and column.
#[derive(Debug, Clone, Copy, PartialEq)]
struct At {
    file: usize,
    line: usize,
    column: usize,
}

impl At {
    fn place(self, files: &[PathBuf]) -> Place {
        Place::Line {
            file: files[self.file].clone(),
            line: self.line,
            column: Some(self.column),
        }
    }
}

/// A YAML value of a specification or patch, with where it was read.
#[derive(Debug, Clone, PartialEq)]
struct Value {
    at: At,
    kind: Kind,
    /// Earlier keys of this value, from the patches' renames, oldest first.
    renamed_from: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Null,
    Scalar(String),
    Seq(Vec<Value>),
    /// Entries in source order, each with where its key was read.
    Map(Vec<(String, At, Value)>),
}

impl Value {
    fn get(&self, key: &str) -> Option<&Value> {
        self.entries()?
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, v)| v)
    }

    fn entries(&self) -> Option<&Vec<(String, At, Value)>> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

/// Reads and parses one source file into a [`Value`] tree.
fn load(path: &Path, file: usize) -> Result<(Value, Option<Note>), ImportError> {
    let (text, note) = read_text(path)?;
    let parsed = parse(&text);
    let located = |span: Option<norm_model::Span>, message: String| ImportError {
        place: span.map_or_else(
            || Place::File {
                file: path.to_path_buf(),
            },
            |s| Place::Line {
                file: path.to_path_buf(),
                line: s.line as usize,
                column: Some(s.column as usize),
            },
        ),
        message,
    };
    if let Some(error) = parsed.errors.first() {
        return Err(located(
            error.span,
            format!("not valid YAML: {}", error.message),
        ));
    }
    let root = parsed
        .root
        .ok_or_else(|| located(None, "the file is empty".to_owned()))?;
    let tree = convert(&root, file).map_err(|(span, message)| located(Some(span), message))?;
    Ok((tree, note))
}

/// Converts a parsed node, resolving `<<` merge keys (which the Annex A specification uses to
/// share column definitions): keys written in the mapping win over merged ones.
fn convert(node: &Node, file: usize) -> Result<Value, (norm_model::Span, String)> {
    let at = At {
        file,
        line: node.span.line as usize,
        column: node.span.column as usize,
    };
    let kind = match &node.kind {
        NodeKind::Null => Kind::Null,
        NodeKind::Scalar { value, .. } => Kind::Scalar(value.clone()),
        NodeKind::Seq(items) => Kind::Seq(
            items
                .iter()
                .map(|i| convert(i, file))
                .collect::<Result<_, _>>()?,
        ),
        NodeKind::Map(entries) => {
            let mut out: Vec<(String, At, Value)> = Vec::new();
            let mut merged: Vec<(String, At, Value)> = Vec::new();
            for (key, value) in entries {
                let Some(name) = key.as_str() else {
                    return Err((key.span, format!("a key is {}, not text", key.describe())));
                };
                let value = convert(value, file)?;
                if name == "<<" {
                    let sources = match value.kind {
                        Kind::Seq(items) => items,
                        _ => vec![value],
                    };
                    for source in sources {
                        let Kind::Map(entries) = source.kind else {
                            return Err((key.span, "`<<` merges a mapping only".to_owned()));
                        };
                        merged.extend(entries);
                    }
                } else {
                    out.push((name.to_owned(), convert_at(key, file), value));
                }
            }
            for entry in merged {
                if !out.iter().any(|(k, _, _)| *k == entry.0) {
                    out.push(entry);
                }
            }
            Kind::Map(out)
        }
    };
    Ok(Value {
        at,
        kind,
        renamed_from: Vec::new(),
    })
}

fn convert_at(node: &Node, file: usize) -> At {
    At {
        file,
        line: node.span.line as usize,
        column: node.span.column as usize,
    }
}

/// Applies one patch file to the specification.
fn apply_patch(spec: &mut Value, patch: &Value, files: &[PathBuf]) -> Result<(), ImportError> {
    let error = |at: At, message: String| ImportError {
        place: at.place(files),
        message,
    };
    let entries = patch
        .entries()
        .ok_or_else(|| error(patch.at, "a patch is a mapping of dotted paths".to_owned()))?;
    for (key, key_at, change) in entries {
        let path: Vec<&str> = key.split('.').collect();
        let kind = change.get("type").and_then(Value::as_str).ok_or_else(|| {
            error(
                *key_at,
                format!("the change to `{key}` has no `type` (add, modify, rename or remove)"),
            )
        })?;
        let value = change.get("value");
        let (last, parents) = path.split_last().unwrap_or((&"", &[]));
        let parent = walk(spec, parents).map_err(|missing| {
            error(
                *key_at,
                format!(
                    "`{key}` names `{missing}`, which the specification does not have at this \
                     point"
                ),
            )
        })?;
        let Kind::Map(siblings) = &mut parent.kind else {
            return Err(error(
                *key_at,
                format!("`{key}` goes inside a value that is not a mapping"),
            ));
        };
        let found = siblings.iter().position(|(k, _, _)| k == last);
        let missing_target = || {
            error(
                *key_at,
                format!(
                    "`{key}` names `{last}`, which the specification does not have at this point"
                ),
            )
        };
        match kind {
            "add" | "modify" => {
                let value = value.cloned().ok_or_else(|| {
                    error(*key_at, format!("the {kind} of `{key}` has no `value`"))
                })?;
                match found {
                    Some(i) => {
                        let earlier = std::mem::take(&mut siblings[i].2.renamed_from);
                        siblings[i].2 = Value {
                            renamed_from: earlier,
                            ..value
                        };
                    }
                    None if kind == "add" => siblings.push(((*last).to_owned(), *key_at, value)),
                    None => return Err(missing_target()),
                }
            }
            "rename" => {
                let to = value.and_then(Value::as_str).ok_or_else(|| {
                    error(
                        *key_at,
                        format!("the rename of `{key}` needs the new name as `value`"),
                    )
                })?;
                if siblings.iter().any(|(k, _, _)| k == to) {
                    return Err(error(
                        *key_at,
                        format!("`{key}` is renamed to `{to}`, which exists already"),
                    ));
                }
                let i = found.ok_or_else(missing_target)?;
                let old = std::mem::replace(&mut siblings[i].0, to.to_owned());
                siblings[i].2.renamed_from.push(old);
            }
            "remove" => {
                let i = found.ok_or_else(missing_target)?;
                remove(&mut siblings[i].2, value, key).map_err(|(at, m)| error(at, m))?;
                if value.is_none() {
                    siblings.remove(i);
                }
            }
            other => {
                return Err(error(
                    *key_at,
                    format!(
                        "the change to `{key}` has type `{other}`; a patch can add, modify, \
                         rename or remove"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The value at `path` under `root`, or the first segment that is not there.
fn walk<'a, 'p>(root: &'a mut Value, path: &[&'p str]) -> Result<&'a mut Value, &'p str> {
    let mut here = root;
    for segment in path {
        let Kind::Map(entries) = &mut here.kind else {
            return Err(segment);
        };
        here = entries
            .iter_mut()
            .find(|(k, _, _)| k == segment)
            .map(|(_, _, v)| v)
            .ok_or(*segment)?;
    }
    Ok(here)
}

/// A `remove` with a list of keys removes those keys from the mapping at the path; every key
/// must be there, so that a patch written for another year's specification is caught.
fn remove(target: &mut Value, keys: Option<&Value>, path: &str) -> Result<(), (At, String)> {
    let Some(keys) = keys else {
        return Ok(());
    };
    let items = match &keys.kind {
        Kind::Seq(items) => items.clone(),
        _ => vec![keys.clone()],
    };
    let Kind::Map(entries) = &mut target.kind else {
        return Err((
            keys.at,
            format!("`{path}` is not a mapping to remove keys from"),
        ));
    };
    for item in items {
        let name = item.as_str().unwrap_or_default().trim();
        let i = entries
            .iter()
            .position(|(k, _, _)| k.trim() == name)
            .ok_or_else(|| {
                (
                    item.at,
                    format!("`{path}` has no `{name}` to remove at this point"),
                )
            })?;
        entries.remove(i);
    }
    Ok(())
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
        standard: common::standard(files),
        entities: Vec::new(),
        codelists: Vec::new(),
        notes: Vec::new(),
    };
    let mut entity_names = Names::default();
    let mut lists = SharedLists::default();
    let mut date_formats: Vec<(String, Vec<At>)> = Vec::new();
    for (table, table_at, columns) in tables {
        let (name, renamed) = entity_names.claim(common::snake_case(table));
        if renamed {
            out.notes
                .push(renamed_note(table_at.place(files), table, &name));
        }
        let mut entity = common::entity(name, Vec::new());
        entity.renamed_from = earlier_names(columns);
        entity.data = Some(EntityData {
            names: vec![table.clone()],
        });
        let mut field_names = Names::default();
        for (column, column_at, spec) in columns.entries().into_iter().flatten() {
            let (field_name, renamed) = field_names.claim(common::snake_case(column));
            if renamed {
                out.notes
                    .push(renamed_note(column_at.place(files), column, &field_name));
            }
            let read = read_column(spec, files, &mut out.notes);
            let mut field = common::field(field_name, Some(column.clone()), read.field_type);
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
        .map(|n| common::snake_case(n))
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
