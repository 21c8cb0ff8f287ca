//! Repository automation. `cargo xtask codegen` writes the generated files that are committed
//! (the JSON Schemas, the rule and change-rule pages, the man page);
//! `cargo xtask codegen --check` fails when they are stale.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use norm_model::schema::{SchemaKind, json_schema};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("xtask: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        _ => bail!("usage: cargo xtask codegen [--check]"),
    }
}

/// Every generated file and its content.
fn generated(root: &Path) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = SchemaKind::ALL
        .iter()
        .map(|&kind| {
            (
                root.join("docs/schema").join(kind.file_name()),
                json_schema(kind),
            )
        })
        .collect();
    files.push((
        root.join("docs/schema").join(norm_lint::json::SCHEMA_FILE),
        norm_lint::json::schema(),
    ));
    files.push((root.join("docs/man/norm.1"), man_page()));
    for (dir, pages) in generated_dirs() {
        let dir = root.join(dir);
        files.extend(
            pages
                .into_iter()
                .map(|(name, content)| (dir.join(name), content)),
        );
    }
    files
}

/// The man page of `norm`, from the command line's definition.
fn man_page() -> String {
    let command = <norm_cli::cli::Cli as clap::CommandFactory>::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .unwrap_or_default();
    String::from_utf8_lossy(&page).into_owned()
}

/// Folders whose every file is generated: `(folder, pages)`.
fn generated_dirs() -> [(&'static str, Vec<(String, String)>); 2] {
    [
        ("docs/rules", norm_lint::docs::generated()),
        ("docs/changes", norm_diff::docs::generated()),
    ]
}

fn codegen(check: bool) -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut stale = Vec::new();
    for (path, content) in generated(&root) {
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == content {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else {
            std::fs::create_dir_all(path.parent().context("generated files live in a folder")?)?;
            std::fs::write(&path, content)
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    // A page of a rule that no longer exists is stale too.
    for (dir, pages) in generated_dirs() {
        let dir = root.join(dir);
        let expected: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for name in norm_model::stale_pages(&dir, &pages) {
            if expected.contains(&name.as_str()) {
                continue; // written above
            }
            if check {
                stale.push(dir.join(&name).display().to_string());
            } else {
                std::fs::remove_file(dir.join(&name))?;
            }
        }
    }
    if !stale.is_empty() {
        bail!(
            "stale generated files (run `cargo xtask codegen`):\n  {}",
            stale.join("\n  ")
        );
    }
    Ok(())
}
