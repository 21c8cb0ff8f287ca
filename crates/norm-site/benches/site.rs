//! `cargo bench -p norm-site`: times `norm build`'s rendering (issue D's targets).
//!
//! 1. The large synthetic repository (100 standards, 2,000 entities, 40,000 fields, 500 code
//!    lists, 20,000 codes) as one working tree: every page, download and search shard.
//! 2. One standard with 50 releases: from cold (each release's catalog loaded from its files and
//!    rendered, no cache), then again with only the working tree changed (releases from the
//!    cache).
//!
//! Medians of a few runs; a bench binary like the lint and diff benchmarks.

// A benchmark reports on stdout and fails loudly.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use norm_model::synth::{Shape, repository};
use norm_model::{Blob, Catalog};
use norm_site::{ReleaseInput, SiteError, SiteInput, SiteOptions, Source, StandardInput};

// The allocator of the `norm` binary, so the figures are the ones users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Revisions as files, parsed when first asked for (as the git source does).
struct Files {
    blobs: HashMap<String, Vec<Blob>>,
    loaded: Mutex<HashMap<String, Arc<Catalog>>>,
}

impl Source for Files {
    fn catalog(&self, commit: &str) -> Result<Arc<Catalog>, SiteError> {
        if let Some(c) = self.loaded.lock().unwrap().get(commit) {
            return Ok(c.clone());
        }
        let catalog = Arc::new(Catalog::load(self.blobs[commit].clone()));
        self.loaded
            .lock()
            .unwrap()
            .insert(commit.to_owned(), catalog.clone());
        Ok(catalog)
    }
}

fn input(worktree: Vec<Blob>, standards: Vec<StandardInput>) -> SiteInput {
    SiteInput {
        worktree: Arc::new(Catalog::load(worktree)),
        standards,
        updated: 1_750_000_000,
    }
}

fn build(
    input: &SiteInput,
    source: &Files,
    out: &std::path::Path,
    cache: Option<&std::path::Path>,
) -> norm_site::BuildReport {
    let options = SiteOptions {
        out: out.to_path_buf(),
        base_url: Some("https://example.org/".into()),
        templates: None,
        cache: cache.map(std::path::Path::to_path_buf),
    };
    norm_site::build(input, source, &options, &|_, _| {}).unwrap()
}

/// The files of version `minor` of one standard: each release edits one field's description
/// and adds a field to another entity.
fn release(base: &[Blob], minor: usize) -> Vec<Blob> {
    base.iter()
        .map(|b| {
            let mut text = String::from_utf8(b.bytes.clone()).unwrap();
            if b.path.ends_with("standard.yaml") {
                text = text.replacen("version: 1.0.0", &format!("version: 1.{minor}.0"), 1);
            }
            for i in 0..minor {
                let entity = format!("entities/e{:03}.yaml", i % 20);
                if b.path.ends_with(&entity) {
                    text.push_str(&format!(
                        "  - name: added_{i}\n    item: ADD{i:04}\n    title: Added {i}\n    description: Added in 1.{}.0.\n    type: string\n",
                        i + 1
                    ));
                }
            }
            Blob {
                path: b.path.clone(),
                bytes: text.into_bytes(),
            }
        })
        .collect()
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (shape, releases, runs) = if full {
        (Shape::LARGE, 50, 5)
    } else {
        // `cargo test --benches`: prove it runs, quickly.
        (
            Shape {
                standards: 2,
                entities: 3,
                fields: 6,
                codelists: 2,
                codes: 4,
            },
            3,
            1,
        )
    };
    let dir = tempfile::tempdir().unwrap();

    // 1. The large repository as one working tree.
    let blobs = repository(shape);
    let ids: Vec<String> = Catalog::load(blobs.clone())
        .standards
        .keys()
        .cloned()
        .collect();
    let large = input(
        blobs,
        ids.iter()
            .map(|id| StandardInput {
                id: id.clone(),
                releases: Vec::new(),
                unreleased: true,
            })
            .collect(),
    );
    let none = Files {
        blobs: HashMap::new(),
        loaded: Mutex::default(),
    };
    let mut times = Vec::new();
    let mut report = None;
    for _ in 0..runs {
        let start = Instant::now();
        report = Some(build(&large, &none, &dir.path().join("large"), None));
        times.push(start.elapsed());
    }
    let report = report.unwrap();
    println!(
        "large repository ({} standards): {} files, default search download {:.1} kB, median {:.2} s (target 2 s)",
        ids.len(),
        report.files,
        report.search_bytes as f64 / 1000.0,
        median(times).as_secs_f64()
    );

    // 2. One standard with many releases.
    let one = repository(Shape {
        standards: 1,
        entities: 20,
        fields: 20,
        codelists: 5,
        codes: 40,
    });
    let base = one;
    let id = Catalog::load(base.clone())
        .standards
        .keys()
        .next()
        .unwrap()
        .clone();
    let mut files = HashMap::new();
    let mut list = Vec::new();
    for minor in 0..releases {
        let commit = format!("c{minor:03}");
        files.insert(commit.clone(), release(&base, minor));
        list.push(ReleaseInput {
            version: format!("1.{minor}.0"),
            commit,
            time: 1_700_000_000 + minor as i64 * 86_400,
        });
    }
    let history = |worktree: Vec<Blob>| {
        input(
            worktree,
            vec![StandardInput {
                id: id.clone(),
                releases: list.clone(),
                unreleased: true,
            }],
        )
    };
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for run in 0..runs {
        let cache = dir.path().join(format!("cache-{run}"));
        let source = Files {
            blobs: files.clone(),
            loaded: Mutex::default(),
        };
        let start = Instant::now();
        let first = build(
            &history(release(&base, releases)),
            &source,
            &dir.path().join("h"),
            Some(&cache),
        );
        cold.push(start.elapsed());
        assert_eq!(first.cached, 0);
        // Only the working tree changed: a new source, so nothing is loaded but what is asked.
        let source = Files {
            blobs: files.clone(),
            loaded: Mutex::default(),
        };
        let mut edited = release(&base, releases);
        edited[0].bytes.extend_from_slice(b"# edited\n");
        let start = Instant::now();
        let second = build(
            &history(edited),
            &source,
            &dir.path().join("h"),
            Some(&cache),
        );
        warm.push(start.elapsed());
        assert_eq!(second.cached, releases);
    }
    println!(
        "one standard, {releases} releases: cold median {:.2} s (target 3 s); working tree only changed: median {:.3} s",
        median(cold).as_secs_f64(),
        median(warm).as_secs_f64()
    );
}
