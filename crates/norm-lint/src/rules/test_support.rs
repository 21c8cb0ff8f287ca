//! Runs one rule on a small in-memory repository.

use norm_model::{Blob, Catalog};

use crate::rules::REGISTRY;

/// The standard.yaml every fixture repository gets unless it brings its own.
const DEMO: &str = "id: demo\ntitle: Demo\nversion: 1.0.0\n";

/// Runs rule `id` alone on `files` and renders its findings as `file:line:col message`.
pub fn run(id: &str, files: &[(&str, &str)]) -> Vec<String> {
    run_with(id, &serde_json::Map::new(), files)
}

/// Runs rule `id` alone with `options`.
pub fn run_with(
    id: &str,
    options: &serde_json::Map<String, serde_json::Value>,
    files: &[(&str, &str)],
) -> Vec<String> {
    render(id, options, files, false)
}

/// Runs rule `id` alone on `files` and renders its findings as `file:line:col message`, with
/// ` (help: …)` after those that have a help line.
pub fn run_with_help(id: &str, files: &[(&str, &str)]) -> Vec<String> {
    render(id, &serde_json::Map::new(), files, true)
}

/// The catalog of in-memory files `(path, text)`, as they load (with any load errors).
pub fn catalog(files: &[(&str, &str)]) -> Catalog {
    Catalog::load(
        files
            .iter()
            .map(|(path, text)| Blob {
                path: (*path).into(),
                bytes: text.as_bytes().to_vec(),
            })
            .collect(),
    )
}

fn render(
    id: &str,
    options: &serde_json::Map<String, serde_json::Value>,
    files: &[(&str, &str)],
    with_help: bool,
) -> Vec<String> {
    let mut files = files.to_vec();
    if !files
        .iter()
        .any(|(p, _)| *p == "standards/demo/standard.yaml")
    {
        files.push(("standards/demo/standard.yaml", DEMO));
    }
    let catalog = catalog(&files);
    assert!(
        catalog.diagnostics.is_empty(),
        "fixture does not load cleanly: {:?}",
        catalog.diagnostics
    );
    let rule = REGISTRY
        .iter()
        .find(|r| r.meta().id == id)
        .expect("rule is registered");
    let mut findings = Vec::new();
    let shared = crate::Shared::default();
    let cx = crate::Context {
        catalog: &catalog,
        shared: &shared,
        options,
        setting: None,
    };
    rule.check(&cx, &mut findings);
    let mut located: Vec<(String, u32, u32, String)> = findings
        .iter()
        .map(|f| {
            let span = catalog.locate(&f.location).expect("findings are located");
            let file = catalog.file(f.location.file).path.clone();
            let message = match (&f.help, with_help) {
                (Some(help), true) => format!("{} (help: {help})", f.message),
                _ => f.message.clone(),
            };
            (file, span.line, span.column, message)
        })
        .collect();
    located.sort();
    located
        .into_iter()
        .map(|(file, line, column, message)| format!("{file}:{line}:{column} {message}"))
        .collect()
}
