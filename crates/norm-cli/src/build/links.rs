//! Files of a build with the same bytes as one it already wrote become hard links to that one.
//!
//! Half of our site's files repeat another: each version's code lists are written beside both
//! its CSVW and its Data Package metadata, which point at them, and a code list that did not
//! change between two releases is the same file in both. A hard link costs a
//! directory entry, where a new file costs an inode, and on ext4 finding a free inode after
//! mass deletions is most of a build's time on disk (docs/benchmarks.md). Readers see
//! ordinary files: a web server, `tar --hard-dereference` (GitHub Pages' upload) and `cp`
//! copy the content, and the build never writes into a file it has written, so editing one
//! copy by hand changes the others, and the next build writes them all again.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hasher};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

/// Files above this size are written, not looked up: a large download is seldom repeated,
/// and hashing every byte of the site would cost more than the links save.
const LARGEST: usize = 64 * 1024;

/// The files written so far, by a hash of their length and bytes, each as its site path.
#[derive(Debug, Default)]
pub struct Links(Mutex<HashMap<u64, Box<str>>>);

/// Whether the file at site path `path` with `content` can repeat another. A page carries its
/// own address and its version's navigation, so no two pages are alike: leaving them out
/// keeps the table to the downloads, where the repeats are (a third of the entries of a large
/// site otherwise, for nothing).
fn may_repeat(path: &str, content: &[u8]) -> bool {
    content.len() <= LARGEST && !path.ends_with(".html")
}

fn key(content: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    hasher.write_usize(content.len());
    hasher.write(content);
    hasher.finish()
}

impl Links {
    /// Puts `content` at site path `path` of `staging`: as a hard link to a file of this build
    /// with the same bytes when there is one (a hash proves nothing: the bytes are compared),
    /// else written, and recorded for the files to come. Says whether it linked.
    pub fn put(&self, staging: &Path, path: &str, content: &[u8]) -> anyhow::Result<bool> {
        let key = may_repeat(path, content).then(|| key(content));
        if let Some(key) = key {
            let from = self.lock().get(&key).map(|from| staging.join(&**from));
            let to = staging.join(path);
            let linked = from.is_some_and(|from| {
                holds(&from, content) && parent_made(&to) && std::fs::hard_link(&from, &to).is_ok()
            });
            if linked {
                return Ok(true);
            }
        }
        super::write_file(staging, path, content)?;
        if let Some(key) = key {
            self.insert(key, path);
        }
        Ok(false)
    }

    /// Records that site path `path` holds `content` (moved there, not written), for the
    /// files with the same bytes to come.
    pub fn record(&self, path: &str, content: &[u8]) {
        if may_repeat(path, content) {
            self.insert(key(content), path);
        }
    }

    fn insert(&self, key: u64, path: &str) {
        self.lock().entry(key).or_insert_with(|| path.into());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Box<str>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether the file at `path` holds exactly `content`.
pub(super) fn holds(path: &Path, content: &[u8]) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == content.len() as u64)
        && std::fs::read(path).is_ok_and(|bytes| bytes == content)
}

/// Makes the folder `to` goes in; says whether it is there.
pub(super) fn parent_made(to: &Path) -> bool {
    to.parent()
        .is_some_and(|parent| std::fs::create_dir_all(parent).is_ok())
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::os::unix::fs::MetadataExt;

    use super::*;

    #[test]
    fn a_file_with_the_bytes_of_one_written_is_a_link_to_it_and_others_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let links = Links::default();
        let (root, first) = (dir.path(), dir.path().join("a/list.csv"));
        crate::build::write_file(root, "a/list.csv", b"code,label\n").unwrap();
        links.record("a/list.csv", b"code,label\n");
        let same = root.join("b/c/list.csv");
        assert!(links.put(root, "b/c/list.csv", b"code,label\n").unwrap());
        let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
        assert_eq!(inode(&same), inode(&first));
        assert_eq!(std::fs::read(&same).unwrap(), b"code,label\n");
        // Other bytes, even of the same length, are not linked.
        assert!(!links.put(root, "d.csv", b"code,LABEL\n").unwrap());
        // A recorded file changed since is not linked to.
        std::fs::write(&first, b"code,other\n").unwrap();
        assert!(!links.put(root, "e.csv", b"code,label\n").unwrap());
        // Pages are never looked up.
        crate::build::write_file(root, "a.html", b"<p>page</p>").unwrap();
        links.record("a.html", b"<p>page</p>");
        assert!(!links.put(root, "b.html", b"<p>page</p>").unwrap());
    }

    #[test]
    fn writing_a_linked_path_again_leaves_its_twin_alone() {
        let dir = tempfile::tempdir().unwrap();
        let links = Links::default();
        crate::build::write_file(dir.path(), "a.csv", b"one\n").unwrap();
        links.record("a.csv", b"one\n");
        assert!(links.put(dir.path(), "b.csv", b"one\n").unwrap());
        crate::build::write_file(dir.path(), "b.csv", b"two\n").unwrap();
        assert_eq!(std::fs::read(dir.path().join("a.csv")).unwrap(), b"one\n");
        assert_eq!(std::fs::read(dir.path().join("b.csv")).unwrap(), b"two\n");
    }
}
