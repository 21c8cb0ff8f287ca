//! The cache of rendered versions: `.norm-cache/site/<key>/`, one folder per version holding
//! its files, its changelog summary and the warnings its rendering gave (so that a build from
//! the cache warns as the first one did).
//!
//! It lives with the caller, not in norm-site, because what it saves is mostly not rendering:
//! a hit also skips reading the release's commits, loading and linting both catalogs and
//! comparing them, which only the caller does. A key covers everything a version's files
//! depend on ([`key`]), so an entry is never stale; entries a build did not use are removed.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::Result;
use norm_site::{File, Site, Summary, Version};

use super::write_file;

/// What identifies this norm: a rebuilt norm may render differently under the same version
/// number, and the executable's size and time tell builds apart without reading it.
fn executable() -> Option<(u64, Option<std::time::SystemTime>)> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

/// The cache key of one version of `site`; `None` for the working tree, whose files are not
/// named by a commit and are always rendered.
pub fn key(site: &Site<'_>, version: &Version) -> Option<String> {
    version.commit.as_ref()?;
    let mut h = std::hash::DefaultHasher::new();
    site.digest().hash(&mut h);
    executable().hash(&mut h);
    version.hash(&mut h);
    Some(format!("{:016x}", h.finish()))
}

/// A version as the cache holds it: its files, its summary and its warnings.
pub type Entry = (Vec<File>, Summary, Vec<String>);

/// Cache entries are folders named by key, holding `summary.json`, `warnings.json` and
/// `files/`.
pub fn read(dir: &Path) -> Option<Entry> {
    let summary: Summary =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).ok()?).ok()?;
    let warnings: Vec<String> =
        serde_json::from_slice(&std::fs::read(dir.join("warnings.json")).ok()?).ok()?;
    let root = dir.join("files");
    let files = norm_site::walk(&root)
        .into_iter()
        .map(|rel| {
            std::fs::read(root.join(&rel))
                .ok()
                .map(|bytes| (rel, bytes))
        })
        .collect::<Option<Vec<File>>>()?;
    Some((files, summary, warnings))
}

/// A folder being written, removed when dropped if it is still there: moved into place it is
/// gone, so what a failed or panicking write left half-done is all that is removed.
pub struct Scratch(PathBuf);

impl Scratch {
    /// Starts `path` afresh.
    pub fn new(path: PathBuf) -> Scratch {
        let _ = std::fs::remove_dir_all(&path);
        Scratch(path)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Stores one version's files, summary and warnings under `dir`, atomically: a reader sees
/// the whole entry or none.
pub fn store(dir: &Path, files: &[File], summary: &Summary, warnings: &[String]) -> Result<()> {
    let tmp = Scratch::new(dir.with_extension(format!("tmp-{}", std::process::id())));
    for (path, content) in files {
        write_file(&tmp.path().join("files"), path, content)?;
    }
    write_file(tmp.path(), "summary.json", &serde_json::to_vec(summary)?)?;
    write_file(tmp.path(), "warnings.json", &serde_json::to_vec(warnings)?)?;
    // When this fails, another build stored the same entry first: theirs is as good as ours,
    // and dropping `tmp` removes ours.
    let _ = std::fs::rename(tmp.path(), dir);
    Ok(())
}

/// Removes cache entries this build did not use, so the cache does not grow without bound.
pub fn prune(root: &Path, keep: &BTreeSet<String>) {
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !keep.contains(&name) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_store_that_fails_mid_way_leaves_no_temporary_folder() {
        let cache = tempfile::tempdir().unwrap();
        let entry = cache.path().join("site").join("0123456789abcdef");
        // The second file cannot be written: the first is a file where it needs a folder.
        let files = vec![
            ("a.html".to_owned(), b"first".to_vec()),
            ("a.html/b.html".to_owned(), b"second".to_vec()),
        ];
        assert!(store(&entry, &files, &Summary::default(), &[]).is_err());
        let left: Vec<_> = std::fs::read_dir(cache.path().join("site"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_store_that_succeeds_leaves_only_the_entry() {
        let cache = tempfile::tempdir().unwrap();
        let entry = cache.path().join("site").join("0123456789abcdef");
        let files = vec![("a.html".to_owned(), b"first".to_vec())];
        let warnings = ["demo: its records lack a field".to_owned()];
        store(&entry, &files, &Summary::default(), &warnings).unwrap();
        let left: Vec<_> = std::fs::read_dir(cache.path().join("site"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, ["0123456789abcdef"]);
        let (read_files, _, read_warnings) = read(&entry).unwrap();
        assert_eq!((read_files, read_warnings), (files, warnings.to_vec()));
    }
}
