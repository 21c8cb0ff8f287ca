//! A small synthetic standard and helpers to write data files for it.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use norm_model::{Blob, Catalog};
use norm_validate::{DataFiles, Encoding, Options, Report, ValidateError};

pub const STANDARD: &str =
    "id: demo\ntitle: Demo\nversion: 1.0.0\ndata: { date_format: \"%d/%m/%Y\", subject: child }\n";

pub const HEADER: &str = r#"name: header
data: { names: [Header] }
primary_key: [child]
fields:
  - { name: child, column: CHILD, type: string, required: true }
  - { name: sex, column: SEX, type: code, codelist: sex }
  - { name: dob, column: DOB, type: date, required: true }
  - { name: upn, column: UPN, type: string, constraints: { pattern: "[A-Z][0-9]{3}", unique: true } }
"#;

pub const EPISODES: &str = r#"name: episodes
data: { names: [Episodes] }
primary_key: [child, decom]
fields:
  - { name: child, column: CHILD, type: string, required: true, references: header.child }
  - { name: decom, column: DECOM, type: date, required: true }
  - { name: place, column: PLACE, type: code, codelist: placement }
  - { name: weeks, column: WEEKS, type: integer, constraints: { minimum: 0, maximum: 52 } }
"#;

/// The demo standard, with `extra` files (path under the standard, content) added.
pub fn catalog_with(extra: &[(&str, &str)]) -> Catalog {
    let mut files = vec![
        ("standard.yaml", STANDARD),
        ("entities/header.yaml", HEADER),
        ("entities/episodes.yaml", EPISODES),
        (
            "codelists/sex.yaml",
            "name: sex\nextensible: false\ncodes:\n  - { code: M }\n  - { code: F }\n",
        ),
        (
            "codelists/placement.yaml",
            "name: placement\nextensible: true\ncodes:\n  - { code: U1 }\n  - { code: U2 }\n",
        ),
    ];
    files.extend_from_slice(extra);
    let catalog = Catalog::load(
        files
            .iter()
            .map(|(path, text)| Blob {
                path: format!("standards/demo/{path}"),
                bytes: text.as_bytes().to_vec(),
            })
            .collect(),
    );
    assert!(
        catalog.diagnostics.is_empty(),
        "the fixture standard loads cleanly: {:?}",
        catalog.diagnostics
    );
    catalog
}

pub fn catalog() -> Catalog {
    catalog_with(&[])
}

pub const CLEAN_HEADER: &str = "CHILD,SEX,DOB,UPN\nC1,M,02/06/2010,A123\nC2,F,15/01/2012,\n";
pub const CLEAN_EPISODES: &str =
    "CHILD,DECOM,PLACE,WEEKS\nC1,01/04/2025,U1,3\nC1,01/05/2025,U2,\nC2,10/04/2025,U1,52\n";

/// Writes `files` (name, bytes) into `dir` and returns their paths.
pub fn write(dir: &Path, files: &[(&str, &[u8])]) -> Vec<PathBuf> {
    files
        .iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect()
}

/// Validates `files` against the demo standard of `catalog`.
pub fn run_in(
    catalog: &Catalog,
    files: &[(&str, &[u8])],
    encoding: Encoding,
) -> Result<Report, ValidateError> {
    let dir = tempfile::tempdir().unwrap();
    let paths = write(dir.path(), files);
    let data = DataFiles::open(&paths, encoding)?;
    norm_validate::validate(
        catalog,
        &catalog.standards["demo"],
        data,
        None,
        Options::default(),
    )
}

pub fn run(files: &[(&str, &[u8])]) -> Report {
    run_in(&catalog(), files, Encoding::Utf8).unwrap()
}

/// `(rule, row, message)` of each issue, for compact assertions.
pub fn issues(report: &Report) -> Vec<(String, Option<u64>, String)> {
    report
        .issues
        .iter()
        .map(|i| (i.rule.clone(), i.row, i.message.clone()))
        .collect()
}

/// The file names as reports show them (the temporary folder stripped).
pub fn file_name(shown: &str) -> &str {
    shown.rsplit('/').next().unwrap_or(shown)
}

/// A zip archive of `files` (name, text), stored in that order.
pub fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in files {
        out.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A minimal OpenDocument spreadsheet with one sheet of text cells.
pub fn ods(sheet: &str, rows: &[&[&str]]) -> Vec<u8> {
    let rows: String = rows
        .iter()
        .map(|cells| {
            let cells: String = cells
                .iter()
                .map(|c| {
                    format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{c}</text:p></table:table-cell>"
                    )
                })
                .collect();
            format!("<table:table-row>{cells}</table:table-row>")
        })
        .collect();
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"{sheet}\">{rows}</table:table>\
         </office:spreadsheet></office:body></office:document-content>"
    );
    zip_of(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", &content),
        (
            "META-INF/manifest.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
             <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
             <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
             </manifest:manifest>",
        ),
    ])
}
