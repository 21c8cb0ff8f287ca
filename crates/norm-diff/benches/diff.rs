//! `cargo bench -p norm-diff`: times `norm diff`'s work between two commits of the large
//! synthetic repository (100 standards, 40,000 fields) that differ in 1% of fields, git reads
//! included: open the repository, read both trees from the object database, load both, diff.

// A benchmark reports on stdout and fails loudly.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::{Duration, Instant};

// The allocator of the `norm` binary, so the figure is the one users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use git2::{Repository, Signature};
use norm_diff::{Options, diff};
use norm_git::{Repo, Revision};
use norm_model::Catalog;
use norm_model::synth::{Shape, repository};

fn commit(git: &Repository, root: &std::path::Path, blobs: &[norm_model::Blob], message: &str) {
    for blob in blobs {
        let path = root.join(&blob.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &blob.bytes).unwrap();
    }
    let mut index = git.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = Signature::now("Bench", "bench@example.org").unwrap();
    let parent = git.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    git.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .unwrap();
}

/// Edits every `every`-th field: its description, and on every other edit its `max_length`.
fn edit(blobs: &[norm_model::Blob], every: usize) -> (Vec<norm_model::Blob>, usize) {
    let mut count = 0;
    let mut edited = 0;
    let out = blobs
        .iter()
        .map(|b| {
            let text = String::from_utf8(b.bytes.clone()).unwrap();
            let mut lines = Vec::new();
            for line in text.lines() {
                if line == "    description: A generated field." {
                    count += 1;
                    if count % every == 0 {
                        edited += 1;
                        lines.push("    description: An edited field.".to_owned());
                        continue;
                    }
                }
                if line.contains("max_length: 100") && count % (2 * every) == 0 && count > 0 {
                    lines.push(line.replace("max_length: 100", "max_length: 90"));
                    continue;
                }
                lines.push(line.to_owned());
            }
            norm_model::Blob {
                path: b.path.clone(),
                bytes: (lines.join("\n") + "\n").into_bytes(),
            }
        })
        .collect();
    (out, edited)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let shape = if full {
        Shape::LARGE
    } else {
        Shape {
            standards: 2,
            entities: 2,
            fields: 8,
            codelists: 2,
            codes: 3,
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let git = Repository::init(dir.path()).unwrap();
    let base = repository(shape);
    commit(&git, dir.path(), &base, "base");
    let (head, edited) = edit(&base, 100);
    commit(&git, dir.path(), &head, "head");
    let fields = shape.standards * shape.entities * shape.fields;
    println!(
        "synthetic repository: {} files; {edited} of {fields} fields edited between the commits",
        base.len()
    );

    let runs = if full { 7 } else { 1 };
    let mut times = Vec::new();
    let mut changes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let repo = Repo::open(dir.path()).unwrap();
        let head = repo.read(&Revision::parse("HEAD")).unwrap();
        let new = Catalog::load(head.blobs.clone());
        let base = repo
            .read_reusing(&Revision::parse("HEAD~1"), &head.known())
            .unwrap();
        let old = Catalog::load_reusing(base.blobs, &new);
        let set = diff(
            &old,
            &new,
            &Options {
                config: new.config(),
                ..Options::default()
            },
        );
        times.push(start.elapsed());
        changes = set.standards.iter().map(|s| s.changes.len()).sum();
    }
    times.sort();
    if full {
        // Where the time goes, in one more run.
        let t = Instant::now();
        let repo = Repo::open(dir.path()).unwrap();
        let head = repo.read(&Revision::parse("HEAD")).unwrap();
        let head_blobs = head.blobs.clone();
        let base_blobs = repo
            .read_reusing(&Revision::parse("HEAD~1"), &head.known())
            .unwrap()
            .blobs;
        let read = t.elapsed();
        let t = Instant::now();
        let new = Catalog::load(head_blobs);
        let load_head = t.elapsed();
        let t = Instant::now();
        let old = Catalog::load_reusing(base_blobs, &new);
        let load_base = t.elapsed();
        let t = Instant::now();
        let _ = diff(
            &old,
            &new,
            &Options {
                config: new.config(),
                ..Options::default()
            },
        );
        println!(
            "phases: git reads {read:?}, load head {load_head:?}, load base reusing head {load_base:?}, diff {:?}",
            t.elapsed()
        );
    }
    let median: Duration = times[times.len() / 2];
    assert!(
        changes >= edited,
        "every edit is reported ({changes} changes for {edited} edits)"
    );
    println!(
        "open + read both revisions + load + diff: median {median:?} over {runs} runs ({changes} changes)"
    );
}
