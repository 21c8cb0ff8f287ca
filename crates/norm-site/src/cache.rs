//! The cache of rendered releases: `.norm-cache/site/<key>/`, one folder per release holding
//! its files and its changelog summary. A key covers everything a release's pages depend on
//! (see `Build::job_key`), so an entry is never stale; entries a build did not use are removed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::{File, SiteError, Summary, write_file};

/// Cache entries are folders named by key, holding `summary.json` and `files/`.
pub(crate) fn read_cached(dir: &Path) -> Option<(Vec<File>, Summary)> {
    let summary: Summary =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).ok()?).ok()?;
    let root = dir.join("files");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).ok()? {
            let path = entry.ok()?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(&root)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, std::fs::read(&path).ok()?));
            }
        }
    }
    Some((files, summary))
}

/// A folder being written, removed when dropped if it is still there: moved into place it is
/// gone, so what a failed or panicking write left half-done is all that is removed.
pub(crate) struct Scratch(PathBuf);

impl Scratch {
    /// Starts `path` afresh.
    pub(crate) fn new(path: PathBuf) -> Scratch {
        let _ = std::fs::remove_dir_all(&path);
        Scratch(path)
    }

    /// The folder.
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn store_cached(dir: &Path, files: &[File], summary: &Summary) -> Result<(), SiteError> {
    let tmp = Scratch::new(dir.with_extension(format!("tmp-{}", std::process::id())));
    for (path, content) in files {
        write_file(&tmp.path().join("files"), path, content)?;
    }
    let json = serde_json::to_vec(summary).unwrap_or_default();
    write_file(tmp.path(), "summary.json", &json)?;
    // When this fails, another build stored the same entry first: theirs is as good as ours,
    // and dropping `tmp` removes ours.
    let _ = std::fs::rename(tmp.path(), dir);
    Ok(())
}

/// Removes cache entries this build did not use, so the cache does not grow without bound.
pub(crate) fn prune_cache(root: &Path, keep: &BTreeSet<String>) {
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
        assert!(store_cached(&entry, &files, &Summary::default()).is_err());
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
        store_cached(&entry, &files, &Summary::default()).unwrap();
        let left: Vec<_> = std::fs::read_dir(cache.path().join("site"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, ["0123456789abcdef"]);
        assert_eq!(read_cached(&entry).unwrap().0, files);
    }
}
