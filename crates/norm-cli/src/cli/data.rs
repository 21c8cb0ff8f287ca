//! Arguments of the commands that move data in and out of norm: `norm import`, `norm export`,
//! `norm validate` and `norm catalogue`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Arguments of `norm import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The format of the sources.
    #[arg(value_enum, value_name = "FORMAT")]
    pub kind: ImportFormat,

    /// The source files or folder.
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<PathBuf>,

    /// The id of the standard to write (default: the one the source gives).
    #[arg(long, value_name = "ID")]
    pub standard: Option<String>,

    /// The repository to write into (default: the one containing the current folder).
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,

    /// Replay the source's history as one commit and release per revision or year.
    #[arg(long)]
    pub history: bool,

    /// List what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Replace the standard's folder if it exists.
    #[arg(long)]
    pub force: bool,

    /// For `sheet`: the headers of some columns, as role=Header pairs separated by commas
    /// (roles: entity, field, column, title, type, required, multiple, codelist, description,
    /// item, max_length, key, references, list, list_title, code, label, code_description).
    #[arg(long, value_name = "ROLE=HEADER,...")]
    pub columns: Option<String>,

    /// Output format of the report.
    #[arg(long = "format", value_enum, default_value_t = ImportReport::Human)]
    pub report: ImportReport,
}

/// The formats `norm import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// A checkout of the Standard Safeguarding Dataset (data/objects/*.yml).
    Ssd,
    /// Yearly column-map specifications and their *.diff.yml patches.
    ColumnMap,
    /// XML Schemas (the CIN census).
    Xsd,
    /// A Frictionless Table Schema or datapackage.json.
    TableSchema,
    /// JSON Schema object schemas.
    JsonSchema,
    /// A data dictionary in CSV, XLSX or ODS.
    Sheet,
}

/// Output formats of `norm import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportReport {
    /// For reading.
    Human,
    /// For tools.
    Json,
}

/// Arguments of `norm export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format: datapackage, csvw, xsd, sql, xlsx, ods, openapi, json-schema, linkml or
    /// dcat.
    #[arg(value_parser = parse_format)]
    pub format: FormatArg,

    /// The standard, or a release of it as ID@VERSION (default: every standard of the
    /// working tree).
    #[arg(long, value_name = "ID[@VERSION]")]
    pub standard: Option<String>,

    /// The folder to write to, or `-` for standard output when the export is one file
    /// (default: export/<id>/<format>/ in the repository root; with several standards, one
    /// folder each under it).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The SQL dialect of the `sql` format.
    #[arg(long, value_enum, default_value_t = DialectArg::Postgres)]
    pub dialect: DialectArg,
}

/// An export format given on the command line.
#[derive(Debug, Clone, Copy)]
pub struct FormatArg(pub norm_export::Format);

fn parse_format(text: &str) -> Result<FormatArg, String> {
    text.parse()
        .map(FormatArg)
        .map_err(|e: norm_export::ExportError| e.to_string())
}

/// SQL dialects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    /// PostgreSQL.
    Postgres,
    /// Microsoft SQL Server.
    Mssql,
}

/// Arguments of `norm catalogue`.
#[derive(Debug, Args)]
pub struct CatalogueArgs {
    /// The norm sites to aggregate: http(s) addresses or local folders.
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<String>,

    /// The folder to write the catalogue site to. An existing folder is replaced only if norm
    /// wrote it.
    #[arg(long, default_value = "_catalogue")]
    pub out: PathBuf,

    /// The title of the catalogue site.
    #[arg(long, default_value = "Catalogue of data standards")]
    pub title: String,

    /// Seconds to wait for each file from a web source before giving up.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
}

/// Arguments of `norm validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The data files: CSV files, or XLSX and ODS workbooks.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The standard to validate against, as ID or ID@VERSION (a release, read from git).
    #[arg(long, value_name = "ID[@VERSION]")]
    pub standard: Option<String>,

    /// Last year's files, which rules read as `previous.<entity>`. They are checked too; their
    /// problems are reported apart and do not make the exit code 1.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub previous: Vec<PathBuf>,

    /// The text encoding of the CSV files.
    #[arg(long, value_enum, default_value_t = EncodingArg::Utf8)]
    pub encoding: EncodingArg,

    /// Check structure only: the rules are listed as skipped.
    #[arg(long)]
    pub structure_only: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
    pub format: ValidateFormat,

    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// Text encodings of CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// UTF-8, with or without a byte-order mark.
    #[value(name = "utf-8")]
    Utf8,
    /// Windows-1252, as many case-management systems export.
    #[value(name = "windows-1252")]
    Windows1252,
}

/// Output formats of `norm validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// A summary per rule, then the first rows of each.
    Human,
    /// The report as JSON.
    Json,
    /// One issue a row.
    Csv,
    /// A workbook: an error summary and a summary by child, as the 903 validator writes.
    Xlsx,
    /// JUnit XML, a test case per check and rule.
    Junit,
    /// GitHub Actions annotations.
    Github,
}
