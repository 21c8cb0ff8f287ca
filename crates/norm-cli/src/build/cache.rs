//! The cache of rendered versions: `.norm-cache/site/<key>/`, one folder per version holding
//! `entry.json` (its changelog summary, the warnings its rendering gave, so that a build from
//! the cache warns as the first one did, and its files' paths and lengths) and `files.bin`
//! (the files' contents, one after another). Two files an entry, not one a page: a cold build
//! creates each of its eight thousand files once, in the site, and a cached one reads only the
//! few files it writes.
//!
//! It lives with the caller, not in norm-site, because what it saves is mostly not rendering:
//! a hit also skips reading the release's commits, loading and linting both catalogs and
//! comparing them, which only the caller does. A key covers everything a version's files
//! depend on ([`key`]), so an entry is never stale; entries a build did not use are removed.

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use norm_site::{File, Site, Summary, Version};
use serde::{Deserialize, Serialize};

use super::write_file;

/// The layout of an entry: part of every key, so that entries of an older layout are never
/// read, only pruned.
const LAYOUT: u32 = 2;

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
    LAYOUT.hash(&mut h);
    site.digest().hash(&mut h);
    executable().hash(&mut h);
    version.hash(&mut h);
    Some(format!("{:016x}", h.finish()))
}

/// A version as the cache holds it: its summary, its warnings and its files' paths and
/// lengths; the contents stay on disk until [`Entry::contents`] reads them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Its changelog summary.
    pub summary: Summary,
    /// The warnings its rendering gave.
    pub warnings: Vec<String>,
    /// Each file's site-relative path and length, in the order of `files.bin`.
    pub files: Vec<(String, u64)>,
}

const ENTRY: &str = "entry.json";
const CONTENTS: &str = "files.bin";

/// The entry in folder `dir`, when there is a whole one.
pub fn read(dir: &Path) -> Option<Entry> {
    let entry: Entry = serde_json::from_slice(&std::fs::read(dir.join(ENTRY)).ok()?).ok()?;
    let stored = std::fs::metadata(dir.join(CONTENTS)).ok()?.len();
    (stored == entry.files.iter().map(|(_, len)| len).sum::<u64>()).then_some(entry)
}

impl Entry {
    /// The contents of the files of entry folder `dir` that `wanted` picks, in order.
    pub fn contents(&self, dir: &Path, wanted: impl Fn(&str) -> bool) -> Result<Vec<File>> {
        let path = dir.join(CONTENTS);
        let mut file = std::fs::File::open(&path).with_context(|| path.display().to_string())?;
        let mut out = Vec::new();
        let mut skipped = 0;
        for (name, len) in &self.files {
            if !wanted(name) {
                skipped += len;
                continue;
            }
            if skipped > 0 {
                file.seek(SeekFrom::Current(i64::try_from(skipped)?))?;
                skipped = 0;
            }
            let mut bytes = vec![0; usize::try_from(*len)?];
            file.read_exact(&mut bytes)
                .with_context(|| path.display().to_string())?;
            out.push((name.clone(), bytes));
        }
        Ok(out)
    }
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
    let entry = Entry {
        summary: summary.clone(),
        warnings: warnings.to_vec(),
        files: files
            .iter()
            .map(|(path, bytes)| (path.clone(), bytes.len() as u64))
            .collect(),
    };
    let contents = tmp.path().join(CONTENTS);
    std::fs::create_dir_all(tmp.path()).with_context(|| tmp.path().display().to_string())?;
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(&contents).with_context(|| contents.display().to_string())?,
    );
    for (_, bytes) in files {
        out.write_all(bytes)
            .with_context(|| contents.display().to_string())?;
    }
    out.flush()
        .with_context(|| contents.display().to_string())?;
    drop(out);
    write_file(tmp.path(), ENTRY, &serde_json::to_vec(&entry)?)?;
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
    fn a_store_that_fails_leaves_no_temporary_folder() {
        let cache = tempfile::tempdir().unwrap();
        // The entry cannot be written: a file stands where its parent folder must go.
        std::fs::write(cache.path().join("site"), "not a folder").unwrap();
        let entry = cache.path().join("site").join("0123456789abcdef");
        let files = vec![("a.html".to_owned(), b"first".to_vec())];
        assert!(store(&entry, &files, &Summary::default(), &[]).is_err());
        let left: Vec<_> = std::fs::read_dir(cache.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, ["site"]);
    }

    #[test]
    fn a_stored_entry_reads_back_whole_or_by_choice() {
        let cache = tempfile::tempdir().unwrap();
        let entry = cache.path().join("site").join("0123456789abcdef");
        let files = vec![
            ("demo/1.0.0/index.html".to_owned(), b"first".to_vec()),
            ("demo/1.0.0/empty.txt".to_owned(), Vec::new()),
            ("demo/index.html".to_owned(), b"third file".to_vec()),
        ];
        let warnings = ["demo: its records lack a field".to_owned()];
        store(&entry, &files, &Summary::default(), &warnings).unwrap();
        let left: Vec<_> = std::fs::read_dir(cache.path().join("site"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, ["0123456789abcdef"]);
        let read_back = read(&entry).unwrap();
        assert_eq!(read_back.warnings, warnings);
        assert_eq!(read_back.contents(&entry, |_| true).unwrap(), files);
        let outside = read_back
            .contents(&entry, |p| !p.starts_with("demo/1.0.0/"))
            .unwrap();
        assert_eq!(outside, files[2..]);
    }

    #[test]
    fn a_truncated_entry_is_a_miss() {
        let cache = tempfile::tempdir().unwrap();
        let entry = cache.path().join("0123456789abcdef");
        let files = vec![("a.html".to_owned(), b"first".to_vec())];
        store(&entry, &files, &Summary::default(), &[]).unwrap();
        std::fs::write(entry.join(CONTENTS), b"fir").unwrap();
        assert_eq!(read(&entry), None);
        std::fs::write(entry.join(ENTRY), b"{ not json").unwrap();
        assert_eq!(read(&entry), None);
    }
}
