//! `norm export FORMAT`: writes standards in the forms other ecosystems consume, from the
//! working tree or from a release read from git.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use norm_export::{Export, Options};
use norm_git::{Repo, Revision};
use norm_govern::Comparer;
use norm_model::{Catalog, Severity, worktree};

use crate::Outcome;
use crate::build::{Scratch, create_folder, write_file};
use norm_cli::cli::{DialectArg, ExportArgs};

/// The file that marks a folder as one `norm export` wrote, so it may replace it.
const MARKER: &str = ".norm-export";

/// The catalog to export and the standards in it to write: `--standard ID@VERSION` reads the
/// release from git, `--standard ID` and no `--standard` the working tree.
fn load(root: &Path, standard: Option<&str>) -> Result<(Catalog, Vec<String>)> {
    let revision = standard.map(Revision::parse);
    let catalog = match &revision {
        Some(revision @ Revision::Release { .. }) => {
            let comparer = Comparer::new(Repo::open(root)?).loading_whole_catalogs();
            Catalog::clone(comparer.side(revision, None)?.catalog())
        }
        _ => Catalog::load_files(norm_model::Files::from(worktree::read_worktree(root)?)),
    };
    let ids = match revision {
        Some(Revision::Release { standard, .. }) => vec![standard],
        Some(_) => vec![standard.unwrap_or_default().to_owned()],
        None => catalog.standards.keys().cloned().collect(),
    };
    Ok((catalog, ids))
}

/// Writes `export` into `dir` atomically: into a staging folder beside it, then swapped in.
/// An existing `dir` is replaced only when it is empty or an earlier export wrote it.
fn write_dir(dir: &Path, export: &Export) -> Result<()> {
    let empty = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    if dir.exists() && !empty && !dir.join(MARKER).exists() {
        bail!(
            "{} exists and was not written by `norm export` (it has no `{MARKER}` marker): choose another `--out` folder or remove it yourself",
            dir.display()
        );
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_folder(parent)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let scratch = Scratch::new(parent.join(format!(".{name}.tmp-{}", std::process::id())));
    let notes = export.notes();
    for (path, bytes) in export.files.iter().chain([&notes]) {
        write_file(scratch.path(), path, bytes)?;
    }
    write_file(
        scratch.path(),
        MARKER,
        b"This folder was written by `norm export`.\n",
    )?;
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if dir.exists() {
        std::fs::rename(dir, &old).with_context(|| dir.display().to_string())?;
    }
    std::fs::rename(scratch.path(), dir).with_context(|| dir.display().to_string())?;
    if old.exists() {
        std::fs::remove_dir_all(&old).with_context(|| old.display().to_string())?;
    }
    Ok(())
}

/// The lint errors in the files of the standards `ids` and in `norm.yaml`: an export of a
/// standard whose files do not load or do not hold together would be partial, in silence.
fn blocking_errors(catalog: &Catalog, ids: &[String]) -> norm_lint::Report {
    let dirs: Vec<String> = ids
        .iter()
        .filter_map(|id| catalog.standards.get(id))
        .map(|s| format!("standards/{}/", s.dir))
        .collect();
    let mut report = norm_lint::lint(catalog);
    report.diagnostics.retain(|d| {
        d.severity == Severity::Error
            && (d.file == worktree::CONFIG_FILE || dirs.iter().any(|dir| d.file.starts_with(dir)))
    });
    report.errors = report.diagnostics.len();
    report.warnings = 0;
    report
}

pub fn run(
    args: &ExportArgs,
    styled: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let root = worktree::find_root(&cwd)?;
    let (catalog, ids) = load(&root, args.standard.as_deref())?;
    let errors = blocking_errors(&catalog, &ids);
    if errors.errors > 0 {
        crate::render::human(&errors, &catalog, styled, err)?;
        writeln!(
            err,
            "\nNothing was exported: fix the {} lint error{} above first.",
            errors.errors,
            if errors.errors == 1 { "" } else { "s" }
        )?;
        return Ok(Outcome::Findings);
    }
    let format = args.format.0;
    let options = Options {
        dialect: match args.dialect {
            DialectArg::Postgres => norm_export::Dialect::Postgres,
            DialectArg::Mssql => norm_export::Dialect::Mssql,
        },
        base_url: None,
    };
    let stdout = args.out.as_deref() == Some(Path::new("-"));
    if stdout && ids.len() != 1 {
        bail!("`--out -` prints one standard: name it with `--standard`");
    }
    for id in &ids {
        let export = norm_export::export(format, &catalog, id, &options)
            .with_context(|| format!("exporting `{id}` as {format}"))?;
        for loss in &export.losses {
            writeln!(err, "note: {}: {}", loss.path, loss.message)?;
        }
        if stdout {
            match export.files.as_slice() {
                [(_, bytes)] => out.write_all(bytes)?,
                files => bail!(
                    "the {format} export of `{id}` is {} files, so it cannot go to standard output: give `--out` a folder",
                    files.len()
                ),
            }
            continue;
        }
        let dir = match &args.out {
            Some(dir) if ids.len() == 1 => cwd.join(dir),
            Some(dir) => cwd.join(dir).join(id),
            None => root.join("export").join(id).join(format.as_str()),
        };
        write_dir(&dir, &export)
            .with_context(|| format!("writing the {format} export to {}", dir.display()))?;
        let shown: PathBuf = dir
            .strip_prefix(&cwd)
            .map_or(dir.clone(), Path::to_path_buf);
        writeln!(
            out,
            "Exported `{id}` as {format} into {}: {} file{}, {} note{} on what {format} cannot say.",
            shown.display(),
            export.files.len(),
            if export.files.len() == 1 { "" } else { "s" },
            export.losses.len(),
            if export.losses.len() == 1 { "" } else { "s" },
        )?;
    }
    Ok(Outcome::Clean)
}
