//! Shared helpers of the exports' validator tests: our own `standards/`, loaded once, and
//! finding the validators that are not Rust crates (xmllint, PostgreSQL, and the Python tools in
//! the virtual environment `.ci/run` makes under `.ci/python`).
//!
//! A missing tool makes `cargo test` say so loudly and skip the test; in CI (`CI=true`, as
//! `.ci/run` runs) it fails the test instead, so that a green CI always means the validators ran.

// Each test binary uses its own subset of the helpers.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use norm_model::{Catalog, Standard};

/// The root of the workspace: it holds `norm.yaml`, the standards and `.ci/`.
pub fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// The catalog of this repository's `standards/`, which must load without errors.
pub fn ours() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let (blobs, diagnostics) = norm_model::worktree::read_worktree(&workspace_root()).unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let catalog = Catalog::load(blobs);
        assert!(
            catalog.diagnostics.is_empty(),
            "our standards load cleanly: {:?}",
            catalog.diagnostics
        );
        catalog
    })
}

/// Every standard of ours, which the validator tests each check.
pub fn standards() -> impl Iterator<Item = &'static Standard> {
    let catalog = ours();
    assert!(catalog.standards.len() >= 6, "our standards are all there");
    catalog.standards.values()
}

/// Loads a catalog from `(path, text)` files written for a test.
pub fn catalog(files: &[(&str, &str)]) -> Catalog {
    let blobs = files
        .iter()
        .map(|(path, text)| norm_model::Blob {
            path: (*path).to_owned(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    let catalog = Catalog::load(blobs);
    assert!(catalog.diagnostics.is_empty(), "{:?}", catalog.diagnostics);
    catalog
}

/// Whether we run in CI (`.ci/run` runs with `CI=true`), where a missing tool is a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Passes a found tool through. When it is missing: under `CI=true` it panics, naming what to
/// install; otherwise it prints a loud warning and returns `None`, and the test returns early.
///
/// The warning goes to the process's stderr directly, not through `eprintln!`, which the test
/// harness captures and shows only for passed tests: a skipped test must not look passed.
pub fn require(tool: &str, install: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    if found.is_some() {
        return found;
    }
    assert!(
        !in_ci(),
        "{tool} not found, and CI=true: the exports' validator tests must run in CI. \
         Install it with {install}."
    );
    let bar = "!".repeat(78);
    writeln!(
        std::io::stderr(),
        "\n{bar}\nSKIPPED: {tool} not found; install it with {install} to run this test.\n\
         (In CI, with CI=true, a missing {tool} fails the test instead.)\n{bar}\n"
    )
    .ok();
    None
}

/// `name` as an executable file on `PATH`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// How `.ci/run` installs the Python validators but LinkML (the README says the same).
pub const PIP_HINT: &str = "`python3 -m venv .ci/python && .ci/python/bin/pip install -r \
                            .ci/python-requirements.txt` (.ci/run does it)";

/// How `.ci/run` installs LinkML, in an environment of its own (the README says the same).
pub const LINKML_HINT: &str = "`python3 -m venv .ci/linkml && .ci/linkml/bin/pip install -r \
                               .ci/linkml-requirements.txt` (.ci/run does it)";

/// How `.ci/run` installs xmllint and PostgreSQL.
pub const APT_HINT: &str = "`apt-get install libxml2-utils postgresql` (.ci/run does it)";

/// A command of the Python environment `.ci/<env>` (`python` or `linkml`), else `<name>` on
/// `PATH`.
pub fn python_tool(env: &str, name: &str) -> Option<PathBuf> {
    let venv = workspace_root()
        .join(".ci")
        .join(env)
        .join("bin")
        .join(name);
    if venv.is_file() {
        return Some(venv);
    }
    find_on_path(name)
}

/// The Python interpreter that has the tools: the virtual environment's, else `python3`.
pub fn python() -> Option<PathBuf> {
    python_tool("python", "python3").filter(|p| {
        Command::new(p)
            .args(["-c", "import openpyxl"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// A program of PostgreSQL's server (Debian installs them under
/// `/usr/lib/postgresql/<major>/bin`, outside `PATH`), else on `PATH`.
pub fn postgres_bin(name: &str) -> Option<PathBuf> {
    let mut majors: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.is_file())
        .collect();
    majors.sort();
    majors.pop().or_else(|| find_on_path(name))
}

/// Runs `command`, with what it printed in the panic message when it cannot start.
pub fn run(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
}

/// What a finished command printed, for assertion messages.
pub fn printed(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Writes an export's files under `dir`.
pub fn write_export(dir: &Path, export: &norm_export::Export) {
    for (path, bytes) in &export.files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, bytes).unwrap();
    }
}

/// One generated record: its entity and, for each exported field, its value.
pub struct Record {
    /// The entity's name.
    pub entity: String,
    /// Field names and values, in field order.
    pub values: Vec<(String, String)>,
}

/// One valid record per exported entity of `standard`, from its fields' examples: a code
/// field takes its example or its list's first code, a reference its target's value, and a required field
/// without examples a plain value of its type (optional ones are left out).
pub fn sample(catalog: &Catalog, standard: &Standard) -> Vec<Record> {
    let exported = |s: Option<norm_model::Status>| s != Some(norm_model::Status::Proposed);
    standard
        .entities
        .iter()
        .filter(|e| exported(e.value.status))
        .map(|e| Record {
            entity: e.value.name.clone(),
            values: e
                .value
                .fields
                .iter()
                .filter(|f| exported(f.status))
                .filter_map(|f| Some((f.name.clone(), value(catalog, standard, f)?)))
                .collect(),
        })
        .collect()
}

fn value(catalog: &Catalog, standard: &Standard, field: &norm_model::Field) -> Option<String> {
    if let Some(reference) = &field.references
        && let Ok((target_standard, entity, index)) =
            catalog.resolve_field(standard.id(), reference)
    {
        return value(catalog, target_standard, &entity.value.fields[index]);
    }
    if let Some(list) = &field.codelist {
        let (_, list) = catalog.resolve_codelist(standard.id(), list).unwrap();
        let mut codes = list
            .value
            .codes
            .iter()
            .filter(|c| c.status != Some(norm_model::Status::Proposed));
        // An example may be narrower than the list (a pattern on the field).
        let code = match field.examples.first() {
            Some(example) => codes.find(|c| &c.code == example),
            None => codes.next(),
        };
        return Some(code.unwrap().code.clone());
    }
    if let Some(example) = field.examples.first() {
        return Some(example.clone());
    }
    if !field.required {
        return None;
    }
    use norm_model::FieldType as T;
    match field.field_type {
        Some(T::Integer | T::Decimal) => "1",
        Some(T::Boolean) => "true",
        Some(T::Date) => "2025-04-01",
        Some(T::Datetime) => "2025-04-01T09:30:00",
        Some(T::Time) => "09:30:00",
        Some(T::Year) => "2025",
        Some(T::YearMonth) => "2025-04",
        Some(T::Json) => "{}",
        _ => "x",
    }
    .to_owned()
    .into()
}
