//! `cargo bench -p norm-site`: times the site's rendering (issue D's targets).
//!
//! 1. The large synthetic repository (100 standards, 2,000 entities, 40,000 fields, 500 code
//!    lists, 20,000 codes) as one working tree: every page, download and search shard.
//! 2. One standard with 50 releases, each release's catalog loaded from its files, compared
//!    with the previous one and rendered.
//!
//! The bench plays the caller's part as `norm build` does (versions in parallel, files written
//! to a folder), without git and without the cache, which `norm build`'s own timing covers
//! (docs/benchmarks.md). Medians of a few runs; a bench binary like the lint and diff
//! benchmarks.

// A benchmark reports on stdout and fails loudly.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use norm_model::synth::{Shape, repository};
use norm_model::{Blob, Catalog};
use norm_site::{Comparison, ReleaseInput, Site, SiteInput, SiteOptions, StandardInput};
use rayon::prelude::*;

// The allocator of the `norm` binary, so the figures are the ones users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn input(worktree: Vec<Blob>, standards: Vec<StandardInput>) -> SiteInput {
    SiteInput {
        worktree: Arc::new(Catalog::load(worktree)),
        standards,
        updated: 1_750_000_000,
    }
}

fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let target = dir.join(path);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(target, bytes).unwrap();
}

/// Renders and writes the site of `input`, loading releases from `files` by commit. Returns
/// the number of files and the default search download.
fn build(input: &SiteInput, files: &HashMap<String, Vec<Blob>>, out: &Path) -> (usize, usize) {
    let _ = std::fs::remove_dir_all(out);
    let options = SiteOptions {
        base_url: Some("https://example.org/".into()),
        templates: None,
    };
    let site = Site::new(input, &options).unwrap();
    let catalogs: HashMap<&str, Catalog> = files
        .par_iter()
        .map(|(c, b)| (c.as_str(), Catalog::load(b.clone())))
        .collect();
    let catalog = |commit: Option<&str>| commit.map_or(&*input.worktree, |c| &catalogs[c]);
    let done: Vec<_> = site
        .versions()
        .par_iter()
        .map(|version| {
            let head = catalog(version.commit.as_deref());
            let old = version.previous.as_ref().map(|p| catalog(Some(&p.commit)));
            let set = old.map(|old| {
                let options = norm_diff::Options {
                    config: head.config(),
                    deprecated_earlier: Default::default(),
                };
                norm_diff::diff(old, head, &options)
            });
            let data = norm_site::VersionData {
                catalog: head,
                previous: old,
                changes: set.as_ref().map(|set| Comparison { set, json: "{}" }),
                latest: site
                    .latest_release(version)
                    .map(|r| catalog(Some(&r.commit))),
            };
            let v = site.version(version, &data).unwrap();
            let mut paths = Vec::new();
            for page in &v.pages {
                write(out, &page.path, &site.render(page).unwrap());
                paths.push(page.path.clone());
            }
            for (path, bytes) in &v.files {
                write(out, path, bytes);
                paths.push(path.clone());
            }
            (version.standard.clone(), v.summary, paths)
        })
        .collect();
    let mut summaries: BTreeMap<String, Vec<norm_site::Summary>> = BTreeMap::new();
    let mut paths = Vec::new();
    for (id, summary, p) in done {
        summaries.entry(id).or_default().push(summary);
        paths.extend(p);
    }
    let global = site
        .global(
            &summaries,
            &paths,
            &|p| std::fs::read_to_string(out.join(p)).ok(),
            &mut |(path, bytes)| {
                write(out, &path, &bytes);
                Ok::<_, std::convert::Infallible>(())
            },
        )
        .unwrap();
    for page in &global.pages {
        write(out, &page.path, &site.render(page).unwrap());
    }
    (norm_site::walk(out).len(), global.search_bytes)
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
    let none = HashMap::new();
    let mut times = Vec::new();
    let mut report = (0, 0);
    for _ in 0..runs {
        let start = Instant::now();
        report = build(&large, &none, &dir.path().join("large"));
        times.push(start.elapsed());
    }
    println!(
        "large repository ({} standards): {} files, default search download {:.1} kB, median {:.2} s (target 2 s)",
        ids.len(),
        report.0,
        report.1 as f64 / 1000.0,
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
    for _ in 0..runs {
        let start = Instant::now();
        build(
            &history(release(&base, releases)),
            &files,
            &dir.path().join("h"),
        );
        cold.push(start.elapsed());
    }
    println!(
        "one standard, {releases} releases: loaded, compared and rendered, median {:.2} s (target 3 s)",
        median(cold).as_secs_f64(),
    );
}
