//! `norm lint`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use norm_model::{Catalog, Severity, worktree};

use crate::Outcome;
use crate::{findings, render};
use norm_cli::cli::{LintArgs, LintFormat};

pub fn run(args: &LintArgs, styled: bool, out: &mut impl Write) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let start = args.paths.first().map_or(cwd.clone(), |p| {
        let p = cwd.join(p);
        if p.is_dir() {
            p
        } else {
            p.parent().map(Path::to_path_buf).unwrap_or(p)
        }
    });
    let root = worktree::find_root(&start)?;
    let filters = args
        .paths
        .iter()
        .map(|p| relative_to_root(&root, &cwd.join(p)))
        .collect::<Result<Vec<_>>>()?;

    let catalog = Catalog::load_files(worktree::read_worktree(&root)?);
    let mut report = norm_lint::lint(&catalog);
    if !filters.is_empty() {
        report.diagnostics.retain(|d| {
            filters
                .iter()
                .any(|f| f.is_empty() || d.file == *f || d.file.starts_with(&format!("{f}/")))
        });
        report.errors = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        report.warnings = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
    }

    match args.format {
        LintFormat::Human => render::human(&report, &catalog, styled, out)?,
        LintFormat::Concise => render::concise(&report, out)?,
        LintFormat::Json => render::json(&report, out)?,
        LintFormat::Github => findings::github(&findings::from_lint(&report, &catalog), out)?,
        LintFormat::Sarif => crate::sarif::write(&findings::from_lint(&report, &catalog), out)?,
    }
    let failed = report.errors > 0 || (args.deny_warnings && report.warnings > 0);
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// `path` relative to the repository root, `/`-separated; the path need not exist.
fn relative_to_root(root: &Path, path: &Path) -> Result<String> {
    let absolute: PathBuf = match std::fs::canonicalize(path) {
        Ok(p) => p,
        Err(_) => anyhow::bail!("{} does not exist", path.display()),
    };
    let relative = absolute.strip_prefix(root).with_context(|| {
        format!(
            "{} is outside the repository at {}",
            path.display(),
            root.display()
        )
    })?;
    Ok(relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/"))
}
