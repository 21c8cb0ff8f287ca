//! The YAML tree of a column-map specification or patch, which remembers where every value
//! was read, and the application of a patch to it.

use std::path::{Path, PathBuf};

use norm_model::yaml::{Node, NodeKind};

use crate::source::{read_text, tree};
use crate::{ImportError, Place};

/// Where a value was read: the index of its file among the sources, and its line and column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct At {
    pub(super) file: usize,
    pub(super) line: usize,
    pub(super) column: usize,
}

impl At {
    pub(super) fn place(self, files: &[PathBuf]) -> Place {
        Place::Line {
            file: files[self.file].clone(),
            line: self.line,
            column: Some(self.column),
        }
    }
}

/// A YAML value of a specification or patch, with where it was read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Value {
    pub(super) at: At,
    pub(super) kind: Kind,
    /// Earlier keys of this value, from the patches' renames, oldest first.
    pub(super) renamed_from: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Null,
    Scalar(String),
    Seq(Vec<Value>),
    /// Entries in source order, each with where its key was read.
    Map(Vec<(String, At, Value)>),
}

impl Value {
    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        self.entries()?
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, v)| v)
    }

    pub(super) fn entries(&self) -> Option<&Vec<(String, At, Value)>> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

/// Reads and parses one source file into a [`Value`] tree.
pub(super) fn load(path: &Path, file: usize) -> Result<Value, ImportError> {
    let root = tree(path, &read_text(path)?)?;
    convert(&root, file).map_err(|(span, message)| ImportError {
        place: Place::Line {
            file: path.to_path_buf(),
            line: span.line as usize,
            column: Some(span.column as usize),
        },
        message,
    })
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
pub(super) fn apply_patch(
    spec: &mut Value,
    patch: &Value,
    files: &[PathBuf],
) -> Result<(), ImportError> {
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
