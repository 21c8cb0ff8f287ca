//! Repository automation. `cargo xtask codegen` writes the generated files that are committed
//! (the JSON Schemas, the rule and change-rule pages, the man pages);
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
    files.push((
        root.join("docs/schema")
            .join(norm_export::catalogue::SCHEMA_FILE),
        norm_export::catalogue::schema(),
    ));
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

/// The man pages, from the command line's definition: `norm.1`, and one `norm-<command>.1` for
/// each subcommand, which `norm.1` names in its SUBCOMMANDS section.
fn man_pages() -> Vec<(String, String)> {
    let mut command =
        <norm_cli::cli::Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    // Building gives each subcommand its page name (`norm-lint`) and usage (`norm lint`).
    command.build();
    std::iter::once(command.clone())
        .chain(
            command
                .get_subcommands()
                .filter(|s| !s.is_hide_set())
                .cloned(),
        )
        .map(man_page)
        .collect()
}

/// One page: clap_mangen's rendering, with the `Examples:` block of the help (`after_help`) as
/// an EXAMPLES section in no-fill mode. clap_mangen would put it in EXTRA as running text, which
/// roff fills into one line, so that copied commands are wrong.
fn man_page(command: clap::Command) -> (String, String) {
    let examples = command.get_after_help().map(|h| h.to_string());
    let source = format!("norm {}", command.get_version().unwrap_or_default());
    let man = clap_mangen::Man::new(command.after_help(None::<&str>)).source(source);
    let mut page = Vec::new();
    man.render(&mut page).unwrap_or_default();
    let mut page = String::from_utf8_lossy(&page).into_owned();
    if let Some(examples) = examples {
        let mut roff = clap_mangen::roff::Roff::new();
        roff.control("SH", ["EXAMPLES"]).control("nf", []);
        for line in examples.lines().skip(1) {
            roff.text([clap_mangen::roff::roman(line.trim())]);
        }
        roff.control("fi", []);
        let at = page.find(".SH VERSION").unwrap_or(page.len());
        page.insert_str(at, &roff.to_roff());
    }
    (man.get_filename(), page)
}

/// Folders whose every file is generated: `(folder, pages)`.
fn generated_dirs() -> [(&'static str, Vec<(String, String)>); 3] {
    [
        ("docs/man", man_pages()),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The `name(1)` references of a roff page, with roff's escaped hyphens undone.
    fn references(page: &str) -> Vec<String> {
        let text = page.replace("\\-", "-");
        let mut out = Vec::new();
        for (at, _) in text.match_indices("(1)") {
            let name: String = text[..at]
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
        out
    }

    #[test]
    fn every_man_page_named_is_generated() {
        let pages = man_pages();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"norm.1"), "{names:?}");
        let named: Vec<String> = pages.iter().flat_map(|(_, p)| references(p)).collect();
        assert!(named.contains(&"norm-lint".to_owned()), "{named:?}");
        for name in named {
            assert!(
                names.contains(&format!("{name}.1").as_str()),
                "{name}(1): {names:?}"
            );
        }
    }

    #[test]
    fn man_pages_keep_one_example_per_line() {
        let pages = man_pages();
        let (_, lint) = pages
            .iter()
            .find(|(n, _)| n == "norm-lint.1")
            .expect("norm-lint.1");
        let examples = lint
            .split(".SH EXAMPLES\n.nf\n")
            .nth(1)
            .and_then(|rest| rest.split("\n.fi").next())
            .expect("an EXAMPLES section in no-fill mode");
        assert_eq!(
            examples.replace("\\-", "-").lines().collect::<Vec<_>>(),
            [
                "norm lint",
                "norm lint standards/ssd --format concise",
                "norm lint --format json > lint.json"
            ]
        );
    }
}
