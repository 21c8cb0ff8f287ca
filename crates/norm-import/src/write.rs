//! The files of an [`Imported`] standard, as `norm import` writes them: `standard.yaml`,
//! `entities/<name>.yaml` and `codelists/<name>.yaml`, each with the `yaml-language-server`
//! modeline of the hand-written files, formatted like them, and the same bytes for the same
//! standard.

use serde::Serialize;

use crate::Imported;

mod emit;
mod value;

/// One file to write, relative to the standard's folder (`standards/<id>/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The path under the standard's folder, `/`-separated: `standard.yaml`,
    /// `entities/person.yaml`, `codelists/sex.yaml`.
    pub path: String,
    /// The YAML text.
    pub text: String,
}

/// Why a standard could not be written: two entities or code lists with the same name (they
/// would be one file), or a name that is not a safe file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WriteError(String);

/// The files of `imported`: `standard.yaml`, then its entities and code lists in order.
pub fn files(imported: &Imported) -> Result<Vec<File>, WriteError> {
    let mut files = vec![file(
        "standard.yaml".into(),
        "../../docs/schema/standard.schema.json",
        &imported.standard,
    )?];
    for entity in &imported.entities {
        files.push(file(
            format!("entities/{}.yaml", stem(&entity.name)?),
            "../../../docs/schema/entity.schema.json",
            entity,
        )?);
    }
    for codelist in &imported.codelists {
        files.push(file(
            format!("codelists/{}.yaml", stem(&codelist.name)?),
            "../../../docs/schema/codelist.schema.json",
            codelist,
        )?);
    }
    let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    if let Some(pair) = paths.windows(2).find(|w| w[0] == w[1]) {
        return Err(WriteError(format!(
            "two elements would be written to {}: their names must differ",
            pair[0]
        )));
    }
    Ok(files)
}

/// A name as a file stem. Formats normalise names to snake_case; this refuses what would
/// escape the folder or be hidden, should a format let one through.
fn stem(name: &str) -> Result<&str, WriteError> {
    let safe = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if safe {
        Ok(name)
    } else {
        Err(WriteError(format!(
            "`{name}` is not a file name norm can write: names are snake_case"
        )))
    }
}

fn file(path: String, schema: &str, value: &impl Serialize) -> Result<File, WriteError> {
    let tree = value::to_value(value).map_err(|e| WriteError(format!("{path}: {e}")))?;
    let modeline = format!("# yaml-language-server: $schema={schema}");
    Ok(File {
        text: emit::document(&modeline, &tree),
        path,
    })
}

#[cfg(test)]
mod tests;
