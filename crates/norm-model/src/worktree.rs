//! Reading a repository's working tree into blobs.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::catalog::{Blob, MAX_FILE_BYTES};
use crate::diagnostic::Diagnostic;

/// The configuration file that marks a repository root.
pub const CONFIG_FILE: &str = "norm.yaml";

/// Why a repository could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WorktreeError {
    /// No `norm.yaml` in the folder or above it.
    #[error(
        "no {CONFIG_FILE} found in {} or any folder above it; run `norm init` to start a \
         standards repository here",
        .0.display()
    )]
    NoRoot(PathBuf),
    /// A folder could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

/// The repository root: the nearest folder at or above `start` that holds `norm.yaml`.
pub fn find_root(start: &Path) -> Result<PathBuf, WorktreeError> {
    let start = fs::canonicalize(start).map_err(|source| WorktreeError::Io {
        path: start.to_path_buf(),
        source,
    })?;
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
        .ok_or(WorktreeError::NoRoot(start))
}

/// Reads `norm.yaml` and every file under `standards/` as blobs. Symbolic links are never
/// followed (a git revision stores a link, not its target, so following them would make the
/// working tree and history disagree); each one is reported. Files above the size limit are
/// reported and not read.
pub fn read_worktree(root: &Path) -> Result<(Vec<Blob>, Vec<Diagnostic>), WorktreeError> {
    let mut blobs = Vec::new();
    let mut diagnostics = Vec::new();
    read_file(root, Path::new(CONFIG_FILE), &mut blobs, &mut diagnostics)?;
    let standards = root.join("standards");
    if standards.is_dir() {
        walk(root, Path::new("standards"), &mut blobs, &mut diagnostics)?;
    }
    Ok((blobs, diagnostics))
}

fn walk(
    root: &Path,
    dir: &Path,
    blobs: &mut Vec<Blob>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), WorktreeError> {
    let full = root.join(dir);
    let io_err = |source| WorktreeError::Io {
        path: full.clone(),
        source,
    };
    let mut entries: Vec<_> = fs::read_dir(&full)
        .map_err(io_err)?
        .collect::<Result<_, _>>()
        .map_err(io_err)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let relative = dir.join(entry.file_name());
        let file_type = entry.file_type().map_err(io_err)?;
        if file_type.is_dir() {
            walk(root, &relative, blobs, diagnostics)?;
        } else if file_type.is_file() {
            read_file(root, &relative, blobs, diagnostics)?;
        } else if file_type.is_symlink() {
            diagnostics.push(symlink_diagnostic(root, &relative));
        }
    }
    Ok(())
}

fn symlink_diagnostic(root: &Path, relative: &Path) -> Diagnostic {
    let target = fs::read_link(root.join(relative)).unwrap_or_default();
    let resolved = root
        .join(relative)
        .parent()
        .map(|p| p.join(&target))
        .and_then(|p| fs::canonicalize(p).ok());
    let outside = resolved.is_none_or(|p| !p.starts_with(root));
    let message = if outside {
        format!(
            "symbolic link to {} points outside the repository; not followed",
            target.display()
        )
    } else {
        format!(
            "symbolic link to {}; links are not followed",
            target.display()
        )
    };
    Diagnostic::error("unreadable-file", slash_path(relative), message).with_help(Some(
        "copy the file into the repository instead of linking to it".into(),
    ))
}

fn read_file(
    root: &Path,
    relative: &Path,
    blobs: &mut Vec<Blob>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), WorktreeError> {
    let full = root.join(relative);
    let path = slash_path(relative);
    let metadata = fs::symlink_metadata(&full).map_err(|source| WorktreeError::Io {
        path: full.clone(),
        source,
    })?;
    if metadata.is_symlink() {
        diagnostics.push(symlink_diagnostic(root, relative));
        return Ok(());
    }
    if metadata.len() > MAX_FILE_BYTES as u64 {
        // Do not even read it; the loader states the limit for blobs that come from git.
        let mut d = Diagnostic::error(
            "unreadable-file",
            path,
            format!(
                "file is {:.1} MiB, above the {} MiB limit for a standards file; not read",
                metadata.len() as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        );
        d.help = Some("split the content into smaller files, one entity or code list each".into());
        diagnostics.push(d);
        return Ok(());
    }
    let bytes = fs::read(&full).map_err(|source| WorktreeError::Io { path: full, source })?;
    blobs.push(Blob { path, bytes });
    Ok(())
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
