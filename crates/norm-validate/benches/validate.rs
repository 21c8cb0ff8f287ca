//! `cargo bench -p norm-validate`: validates a generated SSDA903 return against this
//! repository's `ssda903` standard, with its rules: a whole local authority's return (about
//! 26,000 rows over all eleven tables, with last year's return beside it) and one of a million
//! rows. Reports, for structure alone and for structure plus every rule, the median wall time
//! of several runs, rows a second and the peak resident memory of the process (`VmHWM`), each
//! run in a fresh process so that the peaks do not mix.
//!
//! Without `--bench` (as `cargo test` runs benches) it runs each case once on small files, so the
//! harness itself stays tested. The data is what a local authority would send (see
//! `ssda903_return`): it passes the rules but for a few seeded faults, so that the figures are
//! those of checking a return, not of reporting findings. `NORM_VALIDATE_KEEP=<dir>` keeps the
//! generated files there. `NORM_VALIDATE_LARGE=<MiB>` runs only the large case instead: a
//! return whose `episodes.csv` is about that size (1024 for the gigabyte of issue 14),
//! asserting that memory stayed bounded.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

mod ssda903_return;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use norm_model::{Catalog, worktree};
use norm_validate::{DataFiles, Encoding, Options};

// The allocator the `norm` binary uses, so that the figures are the command's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CASE: &str = "NORM_VALIDATE_CASE";

/// One child in this many carries a seeded fault.
const FAULT_EVERY: usize = 500;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn catalog() -> Catalog {
    Catalog::load_files(worktree::read_worktree(&root()).unwrap())
}

/// The CSV files of one year's return in `dir`, or only its episodes.
fn files(dir: &Path, episodes_only: bool) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !episodes_only || p.file_stem().is_some_and(|s| s == "episodes"))
        .collect();
    files.sort();
    files
}

/// One timed validation in this process of the return in `dir` (`structure`, `full` with
/// last year's return, or `episodes` alone for structure): prints `seconds cpu_seconds
/// peak_kib issues rules_ran rules_skipped`.
fn run_case(dir: &str, mode: &str) {
    let catalog = catalog();
    let standard = &catalog.standards["ssda903"];
    let dir = Path::new(dir);
    let this = files(&dir.join("this"), mode == "episodes");
    let previous = mode
        .starts_with("full")
        .then(|| files(&dir.join("previous"), false));
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let files = DataFiles::open(&this, Encoding::Utf8).unwrap();
    let previous = previous.map(|p| DataFiles::open(&p, Encoding::Utf8).unwrap());
    let options = Options {
        structure_only: !mode.starts_with("full"),
        // `full-one`: the rules on one connection, as on a single core.
        connections: (mode == "full-one").then_some(1),
    };
    let report = norm_validate::validate(&catalog, standard, files, previous, options).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_before;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    let ran = report.summary.rules.len();
    // Structure only skips every rule by design: no rule is counted as skipped then.
    let skipped = match options.structure_only {
        true => 0,
        false => report.skipped.len(),
    };
    println!(
        "{seconds} {cpu} {peak} {} {ran} {skipped}",
        report.issues.len()
    );
}

/// The CPU time the process has run for, all its threads (the rules run on one a core), from
/// `/proc/self/stat` in clock ticks (1/100 s): on a busy machine the wall time also counts
/// the other jobs'.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's name, which is in parentheses and may hold spaces:
    // utime and stime are the 12th and 13th of them.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// What a case measured: median wall and CPU seconds, the highest peak memory (KiB), and the
/// last run's issues, rules ran and rules skipped.
struct Measured {
    seconds: f64,
    cpu: f64,
    peak: u64,
    issues: usize,
    ran: usize,
    skipped: usize,
}

/// Runs one case `runs` times, each in a fresh process.
fn measure(mode: &str, dir: &Path, runs: usize) -> Measured {
    let mut times = Vec::new();
    let mut cpus = Vec::new();
    let mut peak = 0_u64;
    let mut last = Vec::new();
    for _ in 0..runs {
        let out = Command::new(std::env::current_exe().unwrap())
            .env(CASE, format!("{mode}:{}", dir.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let fields: Vec<&str> = text.split_whitespace().collect();
        times.push(fields[0].parse::<f64>().unwrap());
        cpus.push(fields[1].parse::<f64>().unwrap());
        peak = peak.max(fields[2].parse().unwrap());
        last = fields[3..6]
            .iter()
            .map(|f| f.parse::<usize>().unwrap())
            .collect();
    }
    Measured {
        seconds: median(times),
        cpu: median(cpus),
        peak,
        issues: last[0],
        ran: last[1],
        skipped: last[2],
    }
}

fn row(label: &str, rows: usize, check: &str, m: &Measured) {
    println!(
        "| {label} | {rows} | {check} | {:.3} s | {:.2} s | {} | {:.0} MB | {} | {} | {} |",
        m.seconds,
        m.cpu,
        // Under a clock tick of CPU, no rate can be told.
        match m.cpu > 0.0 {
            true => format!("{:.0} k", rows as f64 / m.cpu / 1000.0),
            false => "-".to_owned(),
        },
        m.peak as f64 / 1024.0,
        m.issues,
        m.ran,
        m.skipped
    );
}

/// The rows of `episodes.csv` in `dir/this`.
fn episodes(dir: &Path) -> usize {
    let text = std::fs::read(dir.join("this/episodes.csv")).unwrap();
    text.iter().filter(|&&b| b == b'\n').count() - 1
}

/// `NORM_VALIDATE_LARGE=<MiB>`: a return whose `episodes.csv` is about that size, validated
/// once for structure and once with every rule, each asserting that memory stayed bounded: by
/// the key sets (under 40 bytes a row: 16-byte slots, at most half full) and SQLite's page
/// caches, never by the files.
fn large(base: &Path, mebibytes: usize) {
    let dir = base.join("large");
    // A generated child takes about 165 bytes of `episodes.csv`.
    let written = ssda903_return::generate(&dir, mebibytes * 1024 * 1024 / 165, FAULT_EVERY);
    let bytes = std::fs::metadata(dir.join("this/episodes.csv"))
        .unwrap()
        .len();
    let label = format!("{:.2} GB `episodes.csv`", bytes as f64 / 1e9);
    let keys = 40 * (written.this + written.previous) as u64 / 1024;
    let base_kib = 64 * 1024;
    let structure = measure("structure", &dir, 1);
    row(&label, written.this, "structure", &structure);
    assert!(
        structure.peak < base_kib + keys,
        "structure: {} KiB, over 64 MiB + 40 bytes a row ({} KiB), for a file of {} KiB",
        structure.peak,
        base_kib + keys,
        bytes / 1024
    );
    let full = measure("full", &dir, 1);
    row(&label, written.this, "structure + rules", &full);
    let cache = 2 * u64::from(norm_validate::engine::CACHE_KIB);
    assert!(
        full.peak < base_kib + keys + cache,
        "with rules: {} KiB, over the structure's bound and SQLite's caches ({} KiB)",
        full.peak,
        base_kib + keys + cache
    );
}

fn main() {
    if let Ok(case) = std::env::var(CASE) {
        let (mode, dir) = case.split_once(':').unwrap();
        run_case(dir, mode);
        return;
    }
    let bench = std::env::args().any(|a| a == "--bench");
    let keep = std::env::var_os("NORM_VALIDATE_KEEP").map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let base = keep.clone().unwrap_or_else(|| temp.path().to_owned());
    // (label, children, runs): about 6.1 rows a child this year.
    let sizes: [(&str, usize, usize); 2] = if bench {
        [("a whole LA return", 4_250, 7), ("1M rows", 163_000, 3)]
    } else {
        [("small", 100, 1), ("small", 600, 1)]
    };
    println!(
        "| return | rows | check | median wall | median CPU | rows/s (CPU) | peak memory | issues | rules ran | rules skipped |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let large_mib = std::env::var("NORM_VALIDATE_LARGE").ok().map(|mib| {
        mib.parse::<usize>()
            .expect("NORM_VALIDATE_LARGE is a size in MiB")
    });
    if let Some(mib) = large_mib {
        large(&base, mib);
        return;
    }
    for (i, (label, children, runs)) in sizes.into_iter().enumerate() {
        let dir = base.join(format!("case{i}"));
        let written = ssda903_return::generate(&dir, children, FAULT_EVERY);
        let label = format!(
            "{label} ({children} children; last year {} rows)",
            written.previous
        );
        let mut findings = Vec::new();
        for mode in ["structure", "full", "full-one", "episodes"] {
            let (check, rows) = match mode {
                "full" => ("structure + rules", written.this),
                "full-one" => ("structure + rules, one connection", written.this),
                // What frictionless checks of the same file.
                "episodes" => ("structure, `episodes.csv` alone", episodes(&dir)),
                _ => ("structure", written.this),
            };
            let measured = measure(mode, &dir, runs);
            row(&label, rows, check, &measured);
            findings.push((measured.issues, measured.ran, measured.skipped));
        }
        assert_eq!(
            findings[1], findings[2],
            "the rules on one connection and on several disagree"
        );
    }
    if keep.is_some() {
        println!("files kept in {}", base.display());
    }
}
