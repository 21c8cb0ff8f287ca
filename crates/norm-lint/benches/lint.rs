//! `cargo bench -p norm-lint`: times `norm lint`'s work on a large synthetic repository (100
//! standards, 2,000 entities, 40,000 fields, 500 code lists, 20,000 codes) against the
//! parse-only floor (loading without rules), and prints medians and their ratio.
//!
//! A bench binary rather than criterion: the question is one ratio on one machine, and medians
//! over a handful of runs answer it without criterion's build cost in every clippy run.

// A benchmark reports on stdout and fails loudly.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use norm_model::synth::{Shape, repository};
use norm_model::{Blob, Catalog};

const RUNS: usize = 9;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Runs `f` on a fresh copy of `blobs` (copied outside the timed region) `RUNS` times.
fn time(blobs: &[Blob], mut f: impl FnMut(Vec<Blob>) -> usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = 0;
    for _ in 0..RUNS {
        let input = blobs.to_vec();
        let start = Instant::now();
        last = std::hint::black_box(f(input));
        times.push(start.elapsed());
    }
    (median(times), last)
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent; keep that quick.
    let shape = if std::env::args().any(|a| a == "--bench") {
        Shape::LARGE
    } else {
        Shape {
            standards: 3,
            entities: 3,
            fields: 8,
            codelists: 2,
            codes: 4,
        }
    };
    let blobs = repository(shape);
    let bytes: usize = blobs.iter().map(|b| b.bytes.len()).sum();
    println!(
        "synthetic repository: {} files, {:.1} MiB, {} threads",
        blobs.len(),
        bytes as f64 / (1024.0 * 1024.0),
        rayon::current_num_threads()
    );

    let (floor, files) = time(&blobs, |b| Catalog::load(b).files.len());
    let (lint, diagnostics) = time(&blobs, |b| {
        let catalog = Catalog::load(b);
        norm_lint::lint(&catalog).diagnostics.len()
    });
    assert_eq!(diagnostics, 0, "the synthetic repository must lint clean");
    println!("load only (floor): median {floor:?} over {RUNS} runs ({files} files)");
    println!("load + lint:       median {lint:?} over {RUNS} runs");
    println!(
        "ratio lint / floor: {:.2}",
        lint.as_secs_f64() / floor.as_secs_f64()
    );
}
