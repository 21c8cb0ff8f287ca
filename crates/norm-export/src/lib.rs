//! The norm model written in the forms other ecosystems consume (`norm export`, and every
//! version's downloads in `norm build`).
//!
//! Each format module turns one standard of a [`norm_model::Catalog`] into an [`Export`]: the
//! files to write, relative to the output folder, and the [`Loss`]es: what the format cannot
//! say, so that nothing is dropped in silence. Exporters never touch the filesystem; the caller
//! writes the files.

use std::fmt;

use serde::Serialize;

pub mod linkml;
pub mod sheet;
pub mod sql;
mod walk;
pub mod xsd;

/// The formats `norm export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// A Frictionless Data Package, a Table Schema per entity.
    Datapackage,
    /// CSV on the Web metadata for each entity's CSV.
    Csvw,
    /// An XML Schema for the standard's records.
    Xsd,
    /// SQL DDL (PostgreSQL or SQL Server).
    Sql,
    /// An XLSX data dictionary and data-entry template.
    Xlsx,
    /// An ODS data dictionary and data-entry template.
    Ods,
    /// OpenAPI 3.1 `components.schemas`.
    Openapi,
    /// The per-entity JSON Schemas as one bundle.
    JsonSchema,
    /// A LinkML schema.
    Linkml,
    /// A DCAT 3 / ADMS record per release (JSON-LD and Turtle).
    Dcat,
}

impl Format {
    /// Every format, in the order `--help` and the downloads list them.
    pub const ALL: [Format; 10] = [
        Format::Datapackage,
        Format::Csvw,
        Format::Xsd,
        Format::Sql,
        Format::Xlsx,
        Format::Ods,
        Format::Openapi,
        Format::JsonSchema,
        Format::Linkml,
        Format::Dcat,
    ];

    /// The name on the command line, such as `json-schema`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Datapackage => "datapackage",
            Format::Csvw => "csvw",
            Format::Xsd => "xsd",
            Format::Sql => "sql",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Openapi => "openapi",
            Format::JsonSchema => "json-schema",
            Format::Linkml => "linkml",
            Format::Dcat => "dcat",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one format makes of one standard.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Export {
    /// The files, each a path relative to the output folder (`/`-separated) and its bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// What the format could not carry.
    pub losses: Vec<Loss>,
}

/// Something of the standard that a format cannot say, and is therefore not in the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loss {
    /// The element it concerns.
    pub path: norm_model::ElementPath,
    /// What is lost, for example "the rule's SQL has no Table Schema equivalent".
    pub message: String,
}
