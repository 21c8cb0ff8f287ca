//! The cache of rendered releases: `.norm-cache/site/<key>/`, one folder per release holding
//! its files and its changelog summary. A key covers everything a release's pages depend on
//! (see `Build::job_key`), so an entry is never stale; entries a build did not use are removed.

use std::collections::BTreeSet;
use std::path::Path;

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

pub(crate) fn store_cached(dir: &Path, files: &[File], summary: &Summary) -> Result<(), SiteError> {
    let tmp = dir.with_extension(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    for (path, content) in files {
        write_file(&tmp.join("files"), path, content)?;
    }
    let json = serde_json::to_vec(summary).unwrap_or_default();
    write_file(&tmp, "summary.json", &json)?;
    if std::fs::rename(&tmp, dir).is_err() {
        // Another build stored the same entry first: theirs is as good as ours.
        let _ = std::fs::remove_dir_all(&tmp);
    }
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
