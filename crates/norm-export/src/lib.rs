//! The norm model written in the forms other ecosystems consume (`norm export`, and every
//! version's downloads in `norm build`).
//!
//! [`export`] turns one standard of a [`norm_model::Catalog`] into an [`Export`]: the files to
//! write, relative to the output folder, and the [`Loss`]es: what the format cannot say, so
//! that nothing is dropped in silence. Exporters never touch the filesystem; the caller writes
//! the files. Each format is a module with a pure
//! `fn export(catalog: &Catalog, standard: &Standard, options: &Options) -> Export`; all of
//! them see the standard through [`released::Released`], which leaves out `proposed` elements
//! (format.md: in consultation, excluded from exports) with a loss for each.

use std::fmt;
use std::str::FromStr;

use norm_model::Catalog;
use serde::Serialize;

pub mod catalogue;
pub mod csvw;
pub mod datapackage;
pub mod dcat;
pub mod json_schema;
pub mod linkml;
pub mod openapi;
mod rdf;
pub mod released;
mod sample;
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

    /// What the format is called for people, on the downloads page.
    pub fn title(self) -> &'static str {
        match self {
            Format::Datapackage => "Frictionless Data Package",
            Format::Csvw => "CSV on the Web (CSVW) metadata",
            Format::Xsd => "XML Schema",
            Format::Sql => "SQL tables",
            Format::Xlsx => "Excel workbook",
            Format::Ods => "OpenDocument spreadsheet",
            Format::Openapi => "OpenAPI 3.1 schemas",
            Format::JsonSchema => "JSON Schema bundle",
            Format::Linkml => "LinkML schema",
            Format::Dcat => "DCAT catalogue record",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| ExportError::UnknownFormat(s.to_owned()))
    }
}

/// The media type of an exported file, from its name: what the downloads page shows and a
/// web server should send. Names follow the exporters' conventions (`datapackage.json`,
/// `*.csv-metadata.json`, `*.schema.json`, `*.openapi.json`).
pub fn media_type(path: &str) -> &'static str {
    const BY_SUFFIX: [(&str, &str); 14] = [
        (".csv-metadata.json", "application/csvm+json"),
        (".schema.json", "application/schema+json"),
        (".openapi.json", "application/vnd.oai.openapi+json"),
        (".jsonld", "application/ld+json"),
        (".json", "application/json"),
        (".csv", "text/csv"),
        (".xsd", "application/xml"),
        (".xml", "application/xml"),
        (".sql", "application/sql"),
        (
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (".ods", "application/vnd.oasis.opendocument.spreadsheet"),
        (".yaml", "application/yaml"),
        (".ttl", "text/turtle"),
        (".md", "text/markdown"),
    ];
    BY_SUFFIX
        .iter()
        .find(|(suffix, _)| path.ends_with(suffix))
        .map_or("application/octet-stream", |(_, t)| t)
}

/// The SQL dialect of the `sql` format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    /// PostgreSQL.
    #[default]
    Postgres,
    /// Microsoft SQL Server (T-SQL).
    Mssql,
}

/// What shapes an export besides the format.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The SQL dialect (`sql` only).
    pub dialect: Dialect,
    /// The address the version's downloads are published at (ending in `/`), for formats that
    /// name themselves by URL (`$id` of JSON Schemas); `None` leaves them unnamed.
    pub base_url: Option<String>,
}

/// Why an export could not be made. Losses are not errors: they are part of [`Export`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExportError {
    /// The format is not one `norm export` knows.
    #[error(
        "unknown export format `{0}`: expected one of datapackage, csvw, xsd, sql, xlsx, ods, openapi, json-schema, linkml, dcat"
    )]
    UnknownFormat(String),
    /// The standard is not in the catalog.
    #[error("no standard `{id}` here (the standards are: {})", known.join(", "))]
    UnknownStandard {
        /// The id asked for.
        id: String,
        /// The ids there are.
        known: Vec<String>,
    },
    /// The standard's `standard.yaml` did not load, so there is no title or version to export.
    #[error("standard `{0}` has no loadable standard.yaml: run `norm lint` to see why")]
    NoMetadata(String),
}

/// Writes standard `standard_id` of `catalog` in `format`.
pub fn export(
    format: Format,
    catalog: &Catalog,
    standard_id: &str,
    options: &Options,
) -> Result<Export, ExportError> {
    let standard =
        catalog
            .standards
            .get(standard_id)
            .ok_or_else(|| ExportError::UnknownStandard {
                id: standard_id.to_owned(),
                known: catalog.standards.keys().cloned().collect(),
            })?;
    if standard.meta.is_none() {
        return Err(ExportError::NoMetadata(standard_id.to_owned()));
    }
    let export = match format {
        Format::Datapackage => datapackage::export(catalog, standard, options),
        Format::Csvw => csvw::export(catalog, standard, options),
        Format::Openapi => openapi::export(catalog, standard, options),
        Format::JsonSchema => json_schema::export(catalog, standard, options),
        Format::Xsd => xsd::export(catalog, standard, options),
        Format::Sql => sql::export(catalog, standard, options),
        Format::Xlsx => sheet::export(catalog, standard, sheet::Spreadsheet::Xlsx),
        Format::Ods => sheet::export(catalog, standard, sheet::Spreadsheet::Ods),
        Format::Linkml => linkml::export(catalog, standard, options),
        Format::Dcat => {
            let Some(meta) = &standard.meta else {
                return Err(ExportError::NoMetadata(standard_id.to_owned()));
            };
            // Outside a site build the record is made from the metadata alone: no release
            // date, no downloads, pages where `norm build` puts them (its losses say so).
            let release = dcat::release_of(&meta.value);
            dcat::export(&dcat::Input {
                meta: &meta.value,
                release: &release,
                base_url: options.base_url.as_deref().unwrap_or(""),
            })
        }
    };
    Ok(export)
}

/// One format as a version's downloads hold it, in the folder `downloads/<format>/`: every
/// variant `norm build` publishes (the DDL of each SQL dialect; one export of any other
/// format), so that what the site offers and what the validators check are the same files.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// The format.
    pub format: Format,
    /// Each variant: what the downloads page calls it, and what it made.
    pub variants: Vec<(String, Export)>,
}

impl Published {
    /// The folder's files: every variant's, then one [`NOTES_FILE`] naming what any of them
    /// leaves out (a loss the variants share once; the losses of one dialect name it).
    pub fn files(self) -> Vec<(String, Vec<u8>)> {
        let mut notes = Export::default();
        let mut files = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (_, export) in self.variants {
            for loss in export.losses {
                if !seen.contains(&loss) {
                    seen.insert(loss.clone());
                    notes.losses.push(loss);
                }
            }
            files.extend(export.files);
        }
        files.push(notes.notes());
        files
    }
}

/// Standard `standard_id` of `catalog` in `format` as a version's downloads publish it: with
/// `options` and, for `sql`, in each dialect in turn (PostgreSQL first, as `--dialect`'s
/// default).
pub fn publish(
    format: Format,
    catalog: &Catalog,
    standard_id: &str,
    options: &Options,
) -> Result<Published, ExportError> {
    let variants: Vec<(String, Options)> = match format {
        Format::Sql => [Dialect::Postgres, Dialect::Mssql]
            .into_iter()
            .map(|dialect| {
                let title = format!("{} ({})", format.title(), dialect.title());
                let options = Options {
                    dialect,
                    ..options.clone()
                };
                (title, options)
            })
            .collect(),
        _ => vec![(format.title().to_owned(), options.clone())],
    };
    let variants = variants
        .into_iter()
        .map(|(title, options)| Ok((title, export(format, catalog, standard_id, &options)?)))
        .collect::<Result<_, ExportError>>()?;
    Ok(Published { format, variants })
}

/// What one format makes of one standard.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Export {
    /// The files, each a path relative to the output folder (`/`-separated) and its bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// What the format could not carry.
    pub losses: Vec<Loss>,
}

/// The file beside an export's own that lists its losses, so that whoever downloads an export
/// learns what it leaves out (`norm export` also prints them).
pub const NOTES_FILE: &str = "notes.json";

impl Export {
    /// The losses as the [`NOTES_FILE`]: a JSON array of `{"path", "message"}`.
    pub fn notes(&self) -> (String, Vec<u8>) {
        let losses = serde_json::to_value(&self.losses).unwrap_or_default();
        json_file(NOTES_FILE.to_owned(), &losses)
    }
}

/// Something of the standard that a format cannot say, and is therefore not in the export.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Loss {
    /// The element it concerns.
    pub path: norm_model::ElementPath,
    /// What is lost, for example "the rule's SQL has no Table Schema equivalent".
    pub message: String,
}

/// A JSON document as an export file: pretty-printed, with a final line end.
pub(crate) fn json_file(path: String, value: &serde_json::Value) -> (String, Vec<u8>) {
    (path, format!("{value:#}\n").into_bytes())
}

#[cfg(test)]
mod tests;
