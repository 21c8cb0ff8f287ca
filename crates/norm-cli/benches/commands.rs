//! `cargo bench -p norm-cli`: times whole `norm` commands, the binary users run, on the large
//! synthetic repository (100 standards, 2,000 entities, 40,000 fields) committed twice to a
//! temporary git repository, the second commit editing 1% of the fields. Reports the median
//! wall time of several runs and the peak resident memory (GNU time's `%M`, when
//! `/usr/bin/time` exists) against the size of the YAML.
//!
//! `NORM_BENCH_KEEP=1` keeps the generated repository and prints where it is.
//!
//! Without `--bench` (as `cargo test` runs benches) it runs each command once on a small
//! repository, so the harness itself stays tested.

// A benchmark reports on stdout and fails loudly.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use git2::{Repository, Signature};
use norm_model::Blob;
use norm_model::synth::{Shape, repository};

fn commit(git: &Repository, root: &Path, blobs: &[Blob], message: &str) {
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

/// Every 100th generated field description edited.
fn edit(blobs: &[Blob]) -> Vec<Blob> {
    let mut count = 0;
    blobs
        .iter()
        .map(|b| {
            let text = String::from_utf8(b.bytes.clone()).unwrap();
            let lines: Vec<String> = text
                .lines()
                .map(|line| {
                    if line == "    description: A generated field." {
                        count += 1;
                        if count % 100 == 0 {
                            return "    description: An edited field.".to_owned();
                        }
                    }
                    line.to_owned()
                })
                .collect();
            Blob {
                path: b.path.clone(),
                bytes: (lines.join("\n") + "\n").into_bytes(),
            }
        })
        .collect()
}

/// Runs `norm args` in `dir`: wall time, and peak memory in kB when GNU time is there.
fn run(dir: &Path, args: &[&str]) -> (Duration, Option<u64>) {
    // `NORM_BIN` times another build of norm (an earlier commit's, say) on the same repository.
    let norm = std::env::var("NORM_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_norm").to_owned());
    let time = Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M"]).arg(&norm);
        c
    } else {
        Command::new(&norm)
    };
    let start = Instant::now();
    let out = command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let code = out.status.code().unwrap_or(-1);
    // `norm diff` exits 0 with a report; lint and check exit 0 or 1 on findings.
    assert!(
        code == 0 || code == 1,
        "norm {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peak = time.exists().then(|| {
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or(0)
    });
    (elapsed, peak)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let shape = if full {
        Shape::LARGE
    } else {
        Shape {
            standards: 3,
            entities: 2,
            fields: 8,
            codelists: 2,
            codes: 3,
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let git = Repository::init(dir.path()).unwrap();
    let base = repository(shape);
    let yaml: usize = base.iter().map(|b| b.bytes.len()).sum();
    commit(&git, dir.path(), &base, "base");
    commit(&git, dir.path(), &edit(&base), "head");
    println!(
        "synthetic repository: {} files, {:.1} MiB of YAML",
        base.len(),
        yaml as f64 / (1024.0 * 1024.0)
    );
    let middle = format!("std-{:03}", shape.standards / 2);
    let site = dir.path().join("_bench_site");
    let site = site.to_string_lossy();
    let commands: Vec<(String, Vec<&str>)> = vec![
        ("norm lint".into(), vec!["lint", "--format", "json"]),
        (
            "norm diff HEAD~1 HEAD".into(),
            vec!["diff", "HEAD~1", "HEAD", "--format", "json"],
        ),
        (
            format!("norm diff HEAD~1 HEAD --standard {middle}"),
            vec![
                "diff",
                "HEAD~1",
                "HEAD",
                "--standard",
                &middle,
                "--format",
                "json",
            ],
        ),
        (
            "norm build --no-cache".into(),
            vec!["build", "--no-cache", "--out", &site],
        ),
        // After a first build has filled `.norm-cache` and written the site: the releases
        // come from the cache and are moved over from the old site; the working copies (every
        // standard has one here, edited by the second commit) are rendered.
        ("norm build, cached".into(), vec!["build", "--out", &site]),
    ];
    let runs = if full { 5 } else { 1 };
    for (name, args) in commands {
        if args.contains(&"build") && !args.contains(&"--no-cache") {
            run(dir.path(), &args);
        }
        let mut times = Vec::new();
        let mut peak = None;
        for _ in 0..runs {
            let (t, p) = run(dir.path(), &args);
            times.push(t);
            peak = peak.max(p);
        }
        times.sort();
        let median = times[times.len() / 2];
        let memory = peak.map_or(String::new(), |kb| {
            format!(
                ", peak memory {:.0} MB ({:.1}× the YAML)",
                kb as f64 / 1024.0,
                (kb * 1024) as f64 / yaml as f64
            )
        });
        println!("{name}: median {median:.3?} over {runs} runs{memory}");
    }
    // `NORM_BENCH_KEEP=1` keeps the repository, to profile one command on it by hand.
    if std::env::var_os("NORM_BENCH_KEEP").is_some() {
        println!("repository kept at {}", dir.keep().display());
    }
}
