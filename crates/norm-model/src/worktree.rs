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
    /// `norm.yaml` is a folder, a named pipe or anything else that is not a file.
    #[error("{} is not a file: norm.yaml holds the repository's configuration", .0.display())]
    ConfigNotAFile(PathBuf),
    /// No `standards/` folder next to `norm.yaml`.
    #[error(
        "no `standards/` folder in {}: each standard lives in standards/<id>/ (`norm init` in an \
         empty folder shows the layout)",
        .0.display()
    )]
    NoStandards(PathBuf),
    /// `standards` exists but is a file, a link or anything else that is not a folder.
    #[error(
        "{} is not a folder: each standard lives in standards/<id>/; links are not followed",
        .0.display()
    )]
    StandardsNotAFolder(PathBuf),
    /// `standards/` holds no standard folder.
    #[error(
        "there are no standards in {}: add one as standards/<id>/standard.yaml, or run \
         `norm init` in an empty folder for an example to start from",
        .0.display()
    )]
    NoStandardsInside(PathBuf),
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
    for dir in start.ancestors() {
        let config = dir.join(CONFIG_FILE);
        // The type alone: a named pipe is never opened here.
        match fs::metadata(&config) {
            Ok(m) if m.is_file() => return Ok(dir.to_path_buf()),
            Ok(_) => return Err(WorktreeError::ConfigNotAFile(config)),
            Err(_) => {}
        }
    }
    Err(WorktreeError::NoRoot(start))
}

/// Reads `norm.yaml` and every file under `standards/` as blobs. Symbolic links are never
/// followed (a git revision stores a link, not its target, so following them would make the
/// working tree and history disagree); each one is reported. Files above the size limit, folders
/// with a `.yaml` name and anything that is not a regular file (a named pipe, socket or device)
/// are reported and not read. A missing, empty or non-folder `standards/` is an error: no
/// command has anything to do without standards.
pub fn read_worktree(root: &Path) -> Result<(Vec<Blob>, Vec<Diagnostic>), WorktreeError> {
    let mut blobs = Vec::new();
    let mut diagnostics = Vec::new();
    read_file(root, Path::new(CONFIG_FILE), &mut blobs, &mut diagnostics)?;
    let standards = root.join("standards");
    let metadata = match fs::symlink_metadata(&standards) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(WorktreeError::NoStandards(root.to_path_buf()));
        }
        Err(source) => {
            return Err(WorktreeError::Io {
                path: standards,
                source,
            });
        }
    };
    if !metadata.is_dir() {
        return Err(WorktreeError::StandardsNotAFolder(standards));
    }
    walk(root, Path::new("standards"), &mut blobs, &mut diagnostics)?;
    let has_standard = fs::read_dir(&standards)
        .map_err(|source| WorktreeError::Io {
            path: standards.clone(),
            source,
        })?
        .flatten()
        .any(|e| e.file_type().is_ok_and(|t| t.is_dir()));
    if !has_standard {
        return Err(WorktreeError::NoStandardsInside(standards));
    }
    Ok((blobs, diagnostics))
}

/// The error for a folder at `path` (relative to the root, `/`-separated) whose `.yaml` name
/// says it should be a standards file, or `None` for any other folder. Both the working tree and
/// git revisions report such folders instead of reading what is inside them.
pub fn yaml_named_folder(path: &str) -> Option<Diagnostic> {
    (path.ends_with(".yaml") || path.ends_with(".yml")).then(|| {
        Diagnostic::error(
            "unreadable-file",
            path,
            "is a folder, but a `.yaml` name is for a standards file; not read",
        )
        .with_help(Some(
            "rename the folder, or replace it with the file it was meant to be".into(),
        ))
    })
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
        // The entry's own type: a link is not followed, and nothing is opened to learn it.
        if entry.file_type().map_err(io_err)?.is_dir() {
            match yaml_named_folder(&slash_path(&relative)) {
                Some(d) => diagnostics.push(d),
                None => walk(root, &relative, blobs, diagnostics)?,
            }
        } else {
            read_file(root, &relative, blobs, diagnostics)?;
        }
    }
    Ok(())
}

/// What a file that is neither a regular file, a folder nor a link is, in words.
#[cfg_attr(not(unix), expect(unused_variables))]
fn special_file(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device file";
        }
    }
    "not a regular file"
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
    if !metadata.is_file() {
        // Checked before opening: reading a named pipe would wait for a writer for ever.
        diagnostics.push(
            Diagnostic::error(
                "unreadable-file",
                path,
                format!("is {}; not read", special_file(&metadata.file_type())),
            )
            .with_help(Some(
                "replace it with the YAML file it stands in for".into(),
            )),
        );
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
