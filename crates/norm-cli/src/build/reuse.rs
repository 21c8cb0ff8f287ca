//! The previous build's unchanged version folders, moved into the new site instead of being
//! written again. A cached build of a repository with fifty releases otherwise creates eight
//! thousand files it had made the time before, and creating and removing files is most of
//! its time on a disk (docs/benchmarks.md).
//!
//! A folder is taken only when the last build that used the cache recorded it
//! (`.norm-cache/site.json`) under the key this build computes for the version, and it is
//! still as that build left it: the same files, of the same lengths, none modified since. A
//! page edited by hand in `_site/` is therefore written again, never carried over.
//! Folders taken are moved back if the build fails before the new site is in place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::links::{Links, holds, parent_made};

/// The record's file in the cache folder.
const RECORD: &str = "site.json";

/// What the last build with the cache wrote.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Record {
    /// The site's folder, canonical.
    out: PathBuf,
    /// When that build finished, in nanoseconds since the epoch: a file changed since is
    /// newer.
    written: u64,
    /// Each version folder (`ssda903/6.0.0`) and the cache key its files were made under.
    folders: BTreeMap<String, String>,
}

/// The site a build replaces, as the cache recorded it.
#[derive(Debug)]
pub struct Previous {
    out: PathBuf,
    record: Record,
    written: SystemTime,
}

impl Previous {
    /// The previous build of the site at `out`; `None` without a record of that folder.
    pub fn open(cache: &Path, out: &Path) -> Option<Previous> {
        let record: Record =
            serde_json::from_slice(&std::fs::read(cache.join(RECORD)).ok()?).ok()?;
        let out = std::fs::canonicalize(out).ok()?;
        let written = SystemTime::UNIX_EPOCH + Duration::from_nanos(record.written);
        (record.out == out).then_some(Previous {
            out,
            record,
            written,
        })
    }

    /// Moves version folder `folder` of the previous site to the same place in `staging`
    /// when it was made under `key` and holds exactly `files` (site-relative paths and
    /// lengths), unmodified since; says whether it did.
    pub fn take(
        &self,
        folder: &str,
        key: &str,
        files: &BTreeMap<&str, u64>,
        staging: &Path,
        moves: &Moves,
    ) -> bool {
        if self.record.folders.get(folder).map(String::as_str) != Some(key) {
            return false;
        }
        let from = self.out.join(folder);
        if !self.intact(&from, folder, files) {
            return false;
        }
        let to = staging.join(folder);
        let placed = parent_made(&to) && std::fs::rename(&from, &to).is_ok();
        if placed {
            moves.push(from, to);
        }
        placed
    }

    /// Whether folder `dir` (site path `folder`) holds exactly `files`, none of them changed
    /// since the record was written. Anything but plain files and folders fails the test.
    fn intact(&self, dir: &Path, folder: &str, files: &BTreeMap<&str, u64>) -> bool {
        let mut seen = 0;
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                return false;
            };
            for entry in entries {
                let Ok(entry) = entry else { return false };
                let path = entry.path();
                // The kind comes with the listing; only files need a look at their lengths
                // and times.
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(path);
                    continue;
                }
                let Ok(meta) = entry.metadata() else {
                    return false;
                };
                let Ok(rel) = path.strip_prefix(dir) else {
                    return false;
                };
                let site_path = format!("{folder}/{}", rel.to_string_lossy().replace('\\', "/"));
                let unchanged = meta.is_file()
                    && files.get(site_path.as_str()) == Some(&meta.len())
                    && meta.modified().is_ok_and(|m| m <= self.written);
                if !unchanged {
                    return false;
                }
                seen += 1;
            }
        }
        seen == files.len()
    }
}

/// Puts `content` at site path `path` of `staging`: moved over from the old site at `old`
/// when the file there has exactly these bytes, else written. Reading a small file is cheaper
/// than creating one: on ext4 each new file costs a search for a free inode that was not
/// freed a moment ago, which the old site's removal has just done to thousands.
pub fn place(
    old: Option<&Path>,
    staging: &Path,
    path: &str,
    content: &[u8],
    moves: &Moves,
    links: &Links,
) -> anyhow::Result<()> {
    if let Some(old) = old {
        let (from, to) = (old.join(path), staging.join(path));
        if holds(&from, content) && parent_made(&to) && std::fs::rename(&from, &to).is_ok() {
            moves.push(from, to);
            links.record(path, content);
            return Ok(());
        }
    }
    links.put(staging, path, content)?;
    Ok(())
}

/// Records the site just written at `out`: its version folders and their keys.
pub fn record(cache: &Path, out: &Path, folders: BTreeMap<String, String>) -> anyhow::Result<()> {
    let written = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let record = Record {
        out: std::fs::canonicalize(out)?,
        written: u64::try_from(written.as_nanos())?,
        folders,
    };
    std::fs::create_dir_all(cache)?;
    // Written aside and renamed, so a reader never sees half a record.
    let tmp = cache.join(format!("{RECORD}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec(&record)?)?;
    std::fs::rename(&tmp, cache.join(RECORD))?;
    Ok(())
}

/// The folders a build moved from the old site into its staging folder: moved back when
/// dropped, unless [`Moves::keep`] says the new site is in place.
#[derive(Debug, Default)]
pub struct Moves(Mutex<Vec<(PathBuf, PathBuf)>>);

impl Moves {
    fn push(&self, from: PathBuf, to: PathBuf) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((from, to));
    }

    /// The new site is in place: the moves stand.
    pub fn keep(self) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

impl Drop for Moves {
    fn drop(&mut self) {
        let moves = std::mem::take(self.0.get_mut().unwrap_or_else(PoisonError::into_inner));
        for (from, to) in moves.into_iter().rev() {
            let _ = std::fs::rename(to, from);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// An old site with one version folder, recorded under key `k1`.
    fn recorded() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let (out, cache) = (dir.path().join("_site"), dir.path().join(".norm-cache"));
        std::fs::create_dir_all(out.join("demo/1.0.0/downloads")).unwrap();
        std::fs::write(out.join("demo/1.0.0/index.html"), "index").unwrap();
        std::fs::write(out.join("demo/1.0.0/downloads/demo.json"), "{}").unwrap();
        let folders = BTreeMap::from([("demo/1.0.0".to_owned(), "k1".to_owned())]);
        record(&cache, &out, folders).unwrap();
        (dir, out, cache)
    }

    fn files() -> BTreeMap<&'static str, u64> {
        BTreeMap::from([
            ("demo/1.0.0/index.html", 5),
            ("demo/1.0.0/downloads/demo.json", 2),
        ])
    }

    #[test]
    fn an_unchanged_folder_is_taken_and_goes_back_unless_kept() {
        let (dir, out, cache) = recorded();
        let staging = dir.path().join("staging");
        let previous = Previous::open(&cache, &out).unwrap();
        let index = |root: &Path| std::fs::read_to_string(root.join("demo/1.0.0/index.html"));
        let moves = Moves::default();
        // Another key is another rendering: not taken.
        assert!(!previous.take("demo/1.0.0", "k2", &files(), &staging, &moves));
        assert!(previous.take("demo/1.0.0", "k1", &files(), &staging, &moves));
        assert_eq!(index(&staging).unwrap(), "index");
        assert!(!out.join("demo/1.0.0").exists());
        // A build that fails drops its moves: the folder goes back.
        drop(moves);
        assert_eq!(index(&out).unwrap(), "index");
        assert!(!staging.join("demo/1.0.0").exists());
        // One whose site is in place keeps them.
        let moves = Moves::default();
        assert!(previous.take("demo/1.0.0", "k1", &files(), &staging, &moves));
        moves.keep();
        assert_eq!(index(&staging).unwrap(), "index");
        assert!(!out.join("demo/1.0.0").exists());
    }

    #[test]
    fn a_folder_changed_since_is_not_taken() {
        let taken =
            |dir: &tempfile::TempDir, out: &Path, cache: &Path, files: &BTreeMap<&str, u64>| {
                let previous = Previous::open(cache, out).unwrap();
                let staging = dir.path().join("staging");
                previous.take("demo/1.0.0", "k1", files, &staging, &Moves::default())
            };
        // Edited in place, to the same length: only its time tells. (The pause puts the
        // edit past the coarse clock that stamps files.)
        let (dir, out, cache) = recorded();
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(out.join("demo/1.0.0/index.html"), "INDEX").unwrap();
        assert!(!taken(&dir, &out, &cache, &files()));
        // A file added, or one missing.
        let (dir, out, cache) = recorded();
        let mut more = files();
        more.insert("demo/1.0.0/other.html", 0);
        assert!(!taken(&dir, &out, &cache, &more));
        std::fs::remove_file(out.join("demo/1.0.0/downloads/demo.json")).unwrap();
        assert!(!taken(&dir, &out, &cache, &files()));
        assert!(out.join("demo/1.0.0/index.html").is_file());
    }

    #[test]
    fn a_file_with_the_same_bytes_is_moved_and_any_other_is_written() {
        let (dir, out, _) = recorded();
        let staging = dir.path().join("staging");
        let moves = Moves::default();
        let links = Links::default();
        let put = |path: &str, content: &[u8]| {
            place(Some(&out), &staging, path, content, &moves, &links).unwrap();
        };
        put("demo/1.0.0/index.html", b"index");
        put("demo/1.0.0/downloads/demo.json", b"[]");
        put("demo/new.html", b"new");
        assert!(!out.join("demo/1.0.0/index.html").exists());
        assert_eq!(
            std::fs::read(out.join("demo/1.0.0/downloads/demo.json")).unwrap(),
            b"{}"
        );
        assert_eq!(
            std::fs::read(staging.join("demo/1.0.0/downloads/demo.json")).unwrap(),
            b"[]"
        );
        assert_eq!(
            std::fs::read(staging.join("demo/new.html")).unwrap(),
            b"new"
        );
        // A failed build puts the moved file back.
        drop(moves);
        assert_eq!(
            std::fs::read(out.join("demo/1.0.0/index.html")).unwrap(),
            b"index"
        );
    }

    #[test]
    fn a_record_of_another_folder_or_an_unreadable_one_is_no_previous_site() {
        let (dir, out, cache) = recorded();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        assert!(Previous::open(&cache, &elsewhere).is_none());
        std::fs::write(cache.join(RECORD), "{ not json").unwrap();
        assert!(Previous::open(&cache, &out).is_none());
    }

    #[test]
    fn a_build_that_fails_after_taking_a_folder_leaves_the_old_site_whole() {
        let (dir, out, cache) = recorded();
        std::fs::write(out.join(super::super::write::MARKER), "").unwrap();
        let previous = Previous::open(&cache, &out).unwrap();
        let result = super::super::publish(&out, "norm build", |staging| {
            let moves = Moves::default();
            assert!(previous.take("demo/1.0.0", "k1", &files(), staging, &moves));
            // What follows the taking fails, as a global page's template might.
            let failed: anyhow::Result<()> = Err(anyhow::anyhow!("the global pages failed"));
            failed.map(|()| moves)
        });
        assert!(result.is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("demo/1.0.0/downloads/demo.json")).unwrap(),
            "{}"
        );
        let beside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            beside.iter().all(|n| !n.starts_with("._site")),
            "{beside:?}"
        );
    }
}
