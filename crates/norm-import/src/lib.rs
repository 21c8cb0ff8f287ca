//! Other specification formats read into the norm model (`norm import`).
//!
//! Each format module reads its sources into an [`Imported`] standard: the model values that will
//! be written as `standard.yaml`, `entities/*.yaml` and `codelists/*.yaml`, and the [`Note`]s of
//! the mapping report, each naming its [`Place`] in the source. A source that cannot be read at
//! all is an [`ImportError`], located the same way; nothing is written then.
//!
//! Formats never touch the target repository: writing (and replaying history as commits) is done
//! by the caller from what the formats return, so every format is written the same way.

use std::fmt;
use std::path::{Path, PathBuf};

use norm_model::{Catalog, CodeList, Entity, StandardMeta};
use serde::Serialize;

pub mod column_map;
mod common;
mod json_schema;
pub mod names;
pub mod sheet;
pub mod source;
mod ssd;
mod table_schema;
pub mod write;
pub mod xsd;
mod yearly;

/// What a format may consult besides its sources: the repository the standard is imported into.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// `--standard`: the id to give the standard, instead of the one the format derives.
    pub standard: Option<&'a str>,
    /// The target repository as it is now: its consumers (`used_by` keeps only known ids) and
    /// standards (mappings point at their fields where they exist, else are external).
    pub catalog: &'a Catalog,
    /// `--columns` of the `sheet` format: headers named for some roles, instead of found by
    /// synonym.
    pub columns: &'a [(sheet::Role, String)],
}

impl Target<'_> {
    /// The standard's id: `--standard`, else `derived`.
    pub fn id(&self, derived: &str) -> String {
        self.standard
            .map_or_else(|| derived.to_owned(), str::to_owned)
    }

    /// `imported` with the id `--standard` gives, for the formats that derive theirs from the
    /// source's file name.
    fn named(&self, mut imported: Imported) -> Imported {
        imported.standard.id = self.id(&imported.standard.id);
        imported
    }
}

/// Reads `sources` in `format` into one standard.
pub fn import(
    format: Format,
    sources: &[PathBuf],
    target: &Target<'_>,
) -> Result<Imported, ImportError> {
    match format {
        Format::Ssd => ssd::read(one_source(format, sources)?, target),
        Format::TableSchema => table_schema::read(sources, target),
        Format::JsonSchema => json_schema::read(sources, target),
        Format::ColumnMap => column_map::import(sources).map(|i| target.named(i)),
        Format::Xsd => xsd::import(sources).map(|i| target.named(i)),
        Format::Sheet => sheet::import(sources, target.columns).map(|i| target.named(i)),
    }
}

/// Reads the history of `sources` (`--history`): one [`Revision`] per source revision or year,
/// oldest first.
pub fn history(
    format: Format,
    sources: &[PathBuf],
    target: &Target<'_>,
) -> Result<Vec<Revision>, ImportError> {
    match format {
        Format::Ssd => ssd::history(one_source(format, sources)?, target),
        Format::ColumnMap => named_history(column_map::history(sources)?, target),
        Format::Xsd => named_history(xsd::history(sources)?, target),
        Format::TableSchema | Format::JsonSchema | Format::Sheet => Err(ImportError {
            place: Place::File {
                file: sources.first().cloned().unwrap_or_default(),
            },
            message: format!(
                "`{format}` sources have no history to replay: import them without --history"
            ),
        }),
    }
}

/// Every revision with the id `--standard` gives.
fn named_history(
    revisions: Vec<Revision>,
    target: &Target<'_>,
) -> Result<Vec<Revision>, ImportError> {
    Ok(revisions
        .into_iter()
        .map(|r| Revision {
            imported: target.named(r.imported),
            ..r
        })
        .collect())
}

/// The one source of a format that reads a folder.
fn one_source(format: Format, sources: &[PathBuf]) -> Result<&Path, ImportError> {
    match sources {
        [one] => Ok(one),
        _ => Err(ImportError {
            place: Place::File {
                file: sources.get(1).cloned().unwrap_or_default(),
            },
            message: format!("`{format}` reads one folder; give only one source"),
        }),
    }
}

/// The formats `norm import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// A checkout of the Standard Safeguarding Dataset (`data/objects/*.yml`, `relationships.yml`).
    Ssd,
    /// Yearly column-map specifications and their `*.diff.yml` patches (SSDA903, Annex A).
    ColumnMap,
    /// An XML Schema (the CIN census).
    Xsd,
    /// A Frictionless Table Schema or `datapackage.json`.
    TableSchema,
    /// JSON Schema object schemas.
    JsonSchema,
    /// A data dictionary in CSV, XLSX or ODS, one row per field.
    Sheet,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 6] = [
        Format::Ssd,
        Format::ColumnMap,
        Format::Xsd,
        Format::TableSchema,
        Format::JsonSchema,
        Format::Sheet,
    ];

    /// The name on the command line, such as `column-map`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Ssd => "ssd",
            Format::ColumnMap => "column-map",
            Format::Xsd => "xsd",
            Format::TableSchema => "table-schema",
            Format::JsonSchema => "json-schema",
            Format::Sheet => "sheet",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One standard read from a source: what will be written, and the mapping report.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// `standard.yaml`. Its `sources:` names what was read.
    pub standard: StandardMeta,
    /// One file each under `entities/`, in the source's order.
    pub entities: Vec<Entity>,
    /// One file each under `codelists/`, in the source's order.
    pub codelists: Vec<CodeList>,
    /// Every value that could not be mapped exactly.
    pub notes: Vec<Note>,
}

/// One entry of the mapping report: a value of the source that was not mapped exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Where the value is in the source.
    pub place: Place,
    /// A short kebab-case id of the kind of note, such as `type-read-as` or `prose-reference`,
    /// so that the report can count notes by kind.
    pub kind: &'static str,
    /// What was read and what was made of it, for example "type `NCHAR` read as string".
    pub message: String,
}

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "at", rename_all = "lowercase")]
pub enum Place {
    /// A whole file.
    File {
        /// The file, as given on the command line or found under it.
        file: PathBuf,
    },
    /// A line (1-based) and, when known, a column (1-based) of a text file.
    Line {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column, when known.
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<usize>,
    },
    /// A cell of a spreadsheet, such as `B7`.
    Cell {
        /// The workbook.
        file: PathBuf,
        /// The sheet's name.
        sheet: String,
        /// The cell, in A1 notation.
        cell: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File { file } => write!(f, "{}", file.display()),
            Place::Line {
                file,
                line,
                column: Some(column),
            } => write!(f, "{}:{line}:{column}", file.display()),
            Place::Line {
                file,
                line,
                column: None,
            } => write!(f, "{}:{line}", file.display()),
            Place::Cell { file, sheet, cell } => {
                write!(f, "{}, sheet {sheet}, cell {cell}", file.display())
            }
        }
    }
}

/// A source that cannot be imported: nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {message}")]
pub struct ImportError {
    /// Where the problem is.
    pub place: Place,
    /// What is wrong, in plain words, and what would fix it.
    pub message: String,
}

/// One step of a source's history (`--history`): a source revision or a collection year, and the
/// standard as it was then. The caller writes each as a commit with the version norm computes.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// What the commit message names: a source commit (`ssd 3f2a9c1`) or a year (`2019-20`).
    pub label: String,
    /// The standard at that revision.
    pub imported: Imported,
}
