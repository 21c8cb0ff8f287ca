//! Reads the old/new fixture pairs of `tests/pairs/`.
//!
//! A pair is one text file: comment lines start with `#`; `--- old PATH` or `--- new PATH` starts
//! a file of that side.

use std::path::Path;

use norm_model::{Blob, Catalog};

/// The catalogs of a pair, asserting that both load cleanly.
pub fn load_pair(path: &Path) -> (Catalog, Catalog) {
    let text = std::fs::read_to_string(path).expect("pair file is readable");
    let (mut old, mut new) = (Vec::new(), Vec::new());
    let mut current: Option<(bool, String, String)> = None;
    let mut flush = |current: &mut Option<(bool, String, String)>| {
        if let Some((is_old, path, body)) = current.take() {
            let blob = Blob {
                path,
                bytes: body.into_bytes(),
            };
            if is_old {
                old.push(blob)
            } else {
                new.push(blob)
            }
        }
    };
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("--- ") {
            flush(&mut current);
            let (side, path) = header.split_once(' ').expect("`--- old|new PATH`");
            current = Some((side == "old", path.to_owned(), String::new()));
        } else if let Some((_, _, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    flush(&mut current);
    let (old, new) = (Catalog::load(old), Catalog::load(new));
    for catalog in [&old, &new] {
        assert!(
            catalog.diagnostics.is_empty(),
            "{}: {:?}",
            path.display(),
            catalog.diagnostics
        );
    }
    (old, new)
}

/// Every pair file, sorted by name.
pub fn pairs() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pairs");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/pairs exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}
