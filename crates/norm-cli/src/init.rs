//! `norm init [DIR]`: scaffolds a governed standards repository that passes `norm lint`,
//! `norm check` and `norm release` as created.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use norm_model::schema::{SchemaKind, json_schema};

use crate::Outcome;

/// How a new repository installs norm in its workflows.
const INSTALL: &str = "cargo install --locked --git https://github.com/example/norm norm-cli";

/// This repository's own workflows, adapted: they install norm instead of building it here.
fn workflow(ours: &str) -> String {
    ours.replace("cargo build --release --locked", INSTALL)
        .replace("./target/release/norm", "norm")
        .replace(
            "cargo run --release --locked --",
            &format!("{INSTALL} && norm"),
        )
}

/// Every file `norm init` writes: `(path, content)`.
fn files() -> Vec<(String, String)> {
    let mut files = vec![
        ("norm.yaml".to_owned(), include_str!("init/norm.yaml").to_owned()),
        ("standards/example/standard.yaml".into(), include_str!("init/example/standard.yaml").into()),
        ("standards/example/entities/record.yaml".into(), include_str!("init/example/record.yaml").into()),
        (
            "standards/example/codelists/record_status.yaml".into(),
            include_str!("init/example/record_status.yaml").into(),
        ),
        ("README.md".into(), include_str!("init/README.md").into()),
        ("CONTRIBUTING.md".into(), include_str!("init/CONTRIBUTING.md").into()),
        (
            ".github/workflows/standards.yml".into(),
            workflow(include_str!("../../../.github/workflows/standards.yml")),
        ),
        (
            ".github/workflows/release.yml".into(),
            workflow(include_str!("../../../.github/workflows/release.yml")),
        ),
        (
            ".github/workflows/pages.yml".into(),
            workflow(include_str!("../../../.github/workflows/pages.yml")),
        ),
        (
            ".github/ISSUE_TEMPLATE/change-request.yml".into(),
            include_str!("../../../.github/ISSUE_TEMPLATE/change-request.yml").replace(
                "options: [csc-codes, ssd, cin-census, ssda903, annex-a, early-help, other]",
                "options: [example, other]",
            ),
        ),
        (
            ".github/PULL_REQUEST_TEMPLATE.md".into(),
            include_str!("../../../.github/PULL_REQUEST_TEMPLATE.md").into(),
        ),
        (
            ".github/CODEOWNERS".into(),
            "# One owner team per standard: they approve changes to it.\n/standards/example/  @your-org/example-curators\n/norm.yaml           @your-org/standards-board\n".into(),
        ),
        (".gitignore".into(), "/_site\n/.norm-cache\n".into()),
    ];
    files.extend(
        SchemaKind::ALL
            .iter()
            .map(|&k| (format!("docs/schema/{}", k.file_name()), json_schema(k))),
    );
    files
}

pub fn run(dir: &Path, out: &mut impl Write) -> Result<Outcome> {
    let files = files();
    let existing: Vec<&str> = files
        .iter()
        .filter(|(path, _)| dir.join(path).exists())
        .map(|(path, _)| path.as_str())
        .collect();
    if !existing.is_empty() {
        bail!(
            "{} already holds {}; norm init never overwrites files: choose an empty folder",
            dir.display(),
            existing.join(", ")
        );
    }
    for (path, content) in &files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&full, content).with_context(|| format!("writing {}", full.display()))?;
    }
    writeln!(
        out,
        "created a standards repository in {} ({} files)\nnext: `git init`, commit, then `norm lint` and `norm release example`",
        dir.display(),
        files.len()
    )?;
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflows_install_norm_instead_of_building_it() {
        let standards = workflow(include_str!("../../../.github/workflows/standards.yml"));
        assert!(standards.contains(INSTALL));
        assert!(!standards.contains("./target/release/norm"));
        let release = workflow(include_str!("../../../.github/workflows/release.yml"));
        assert!(!release.contains("cargo run"));
        let pages = workflow(include_str!("../../../.github/workflows/pages.yml"));
        assert!(pages.contains(INSTALL) && pages.contains("norm build --out _site"));
        assert!(!pages.contains("./target/release/norm"));
    }
}
