//! Helpers shared by the format tests.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use norm_import::{ImportError, Imported, Place};
use norm_model::{Blob, Catalog};

/// A fixture file or folder under `tests/fixtures`.
pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// A place with its file reduced to the file name, so that expectations do not depend on where
/// the checkout is.
pub fn short(place: &Place) -> String {
    let name = |file: &Path| file.file_name().unwrap().to_string_lossy().into_owned();
    match place {
        Place::File { file } => name(file),
        Place::Line { file, line, column } => match column {
            Some(column) => format!("{}:{line}:{column}", name(file)),
            None => format!("{}:{line}", name(file)),
        },
        Place::Cell { file, sheet, cell } => format!("{}[{sheet}]{cell}", name(file)),
    }
}

/// The mapping report, one `place kind: message` line per note.
pub fn notes(imported: &Imported) -> Vec<String> {
    imported
        .notes
        .iter()
        .map(|n| format!("{} {}: {}", short(&n.place), n.kind, n.message))
        .collect()
}

/// An import error as `place: message`.
pub fn error(e: &ImportError) -> String {
    format!("{}: {}", short(&e.place), e.message)
}

/// Each entity as `name(field:type[!][=codelist][<-old], ...)`: `!` required, `=` its code
/// list, `<-` its earlier names.
pub fn shape(imported: &Imported) -> Vec<String> {
    imported
        .entities
        .iter()
        .map(|e| {
            let fields: Vec<String> = e
                .fields
                .iter()
                .map(|f| {
                    let mut s = format!("{}:{}", f.name, f.field_type.map_or("?", |t| t.as_str()));
                    if f.required {
                        s.push('!');
                    }
                    if f.multiple {
                        s.push('*');
                    }
                    if let Some(c) = &f.codelist {
                        s.push_str(&format!("={c}"));
                    }
                    if let Some(r) = &f.references {
                        s.push_str(&format!("->{r}"));
                    }
                    for old in &f.renamed_from {
                        s.push_str(&format!("<-{old}"));
                    }
                    s
                })
                .collect();
            format!("{}({})", e.name, fields.join(", "))
        })
        .collect()
}

/// Each code list as `name: code=label, ...`.
pub fn lists(imported: &Imported) -> Vec<String> {
    imported
        .codelists
        .iter()
        .map(|l| {
            let codes: Vec<String> = l
                .codes
                .iter()
                .map(|c| match &c.label {
                    Some(label) => format!("{}={label}", c.code),
                    None => c.code.clone(),
                })
                .collect();
            format!("{}: {}", l.name, codes.join(", "))
        })
        .collect()
}

/// Lints what was imported, written by `norm import`'s writer and loaded back as a repository:
/// the findings counted by severity and rule, as `error missing-primary-key: 2`. A file that
/// does not load is a loader finding (`error syntax-error`, ...), so an importer's mistake cannot
/// hide among the source's gaps.
pub fn lint(imported: &Imported) -> Vec<String> {
    let dir = format!("standards/{}", imported.standard.id);
    let mut blobs = vec![Blob {
        path: "norm.yaml".into(),
        bytes: b"{}\n".to_vec(),
    }];
    for file in norm_import::write::files(imported).unwrap() {
        blobs.push(Blob {
            path: format!("{dir}/{}", file.path),
            bytes: file.text.into_bytes(),
        });
    }
    let report = norm_lint::lint(&Catalog::load(blobs));
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for d in &report.diagnostics {
        let severity = format!("{:?}", d.severity).to_lowercase();
        *counts.entry(format!("{severity} {}", d.rule)).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(k, n)| format!("{k}: {n}"))
        .collect()
}
