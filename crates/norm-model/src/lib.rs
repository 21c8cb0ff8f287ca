//! The norm standard format: the typed model, YAML loading with source positions, and the
//! [`Catalog`] of standards loaded from one revision.
//!
//! Loading is tolerant: a file that does not parse is reported and skipped, and inside a file
//! that parses an element with a problem is reported and the rest still loads. Both sources of
//! standards, the working tree and a git revision, produce the same `(path, bytes)` [`Blob`]s.

pub mod catalog;
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod element;
pub mod model;
pub mod reference;
pub mod schema;
pub mod scope;
pub mod sql;
#[cfg(any(test, feature = "synth"))]
pub mod synth;
pub mod url;
pub mod values;
pub mod workbook;
pub mod worktree;

/// The files of a generated folder that differ from what should be there: pages whose content
/// is stale or missing, and pages that should not exist. Shared by the freshness tests and
/// `cargo xtask codegen --check`.
pub fn stale_pages(dir: &std::path::Path, expected: &[(String, String)]) -> Vec<String> {
    let mut stale: Vec<String> = expected
        .iter()
        .filter(|(name, content)| {
            std::fs::read_to_string(dir.join(name)).ok().as_ref() != Some(content)
        })
        .map(|(name, _)| name.clone())
        .collect();
    let names: Vec<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    stale.extend(
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !names.contains(&name.as_str())),
    );
    stale.sort();
    stale
}

/// The first sentence of the first paragraph of Markdown `docs`, headings skipped: the summary
/// of a rule in listings.
pub fn first_sentence(docs: &str) -> String {
    let paragraph: Vec<&str> = docs
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty() || l.starts_with('#'))
        .take_while(|l| !l.is_empty())
        .collect();
    let text = paragraph.join(" ");
    match text.find(". ") {
        Some(end) => text[..=end].to_owned(),
        None => text,
    }
}
pub mod yaml;

pub use catalog::{
    Blob, Catalog, Doc, FileId, Files, Location, Segment, SourceFile, Standard, Trees, Unresolved,
};
pub use config::Config;
pub use diagnostic::{Diagnostic, LoaderRule, Severity, Span};
pub use element::{Element, ElementKind, ElementPath};
pub use model::{
    Code, CodeList, Compatibility, Entity, EntityData, Field, FieldType, Rule, RuleSeverity,
    RuleSql, StandardData, StandardMeta, Status,
};
