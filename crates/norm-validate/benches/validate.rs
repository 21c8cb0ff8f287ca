//! `cargo bench -p norm-validate`: validates generated SSDA903-shaped files against this
//! repository's `ssda903` standard, with its rules: a whole local authority's return (about
//! 26,000 rows over the modelled tables) and a million episodes. Reports, for structure alone and
//! for structure plus every rule, the median wall time of several runs, rows a second and the
//! peak resident memory of the process (`VmHWM`), each run in a fresh process so that the peaks
//! do not mix.
//!
//! Without `--bench` (as `cargo test` runs benches) it runs each case once on small files, so the
//! harness itself stays tested. The data follows the modelled rules (episodes end the day the
//! next starts, temporary placements have no provider), so that the figures are those of
//! checking a return, not of reporting a million findings. `NORM_VALIDATE_KEEP=<dir>` keeps the generated files there
//! (with a Table Schema of the episodes, for running frictionless on the same data).
//! `NORM_VALIDATE_LARGE=<MiB>` runs only the large case instead: an `Episodes.csv` of that
//! size (1024 for the gigabyte of issue 14), asserting that memory stayed bounded.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use norm_model::{Catalog, FieldType, Standard, worktree};
use norm_validate::{DataFiles, Encoding, Options};

// The allocator the `norm` binary uses, so that the figures are the command's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CASE: &str = "NORM_VALIDATE_CASE";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn catalog() -> Catalog {
    Catalog::load_files(worktree::read_worktree(&root()).unwrap())
}

/// A small deterministic generator (xorshift), so every run validates the same files.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The codes a generated value of `field` may take: its list's, kept to its pattern.
fn codes(catalog: &Catalog, standard: &Standard, field: &norm_model::Field) -> Vec<String> {
    let Some(reference) = &field.codelist else {
        return Vec::new();
    };
    let (_, list) = catalog.resolve_codelist(standard.id(), reference).unwrap();
    let pattern = field
        .constraints
        .as_ref()
        .and_then(|c| c.pattern.as_ref())
        .map(|p| regex::Regex::new(&format!("^(?:{p})$")).unwrap());
    list.value
        .codes
        .iter()
        .map(|c| c.code.clone())
        .filter(|c| pattern.as_ref().is_none_or(|p| p.is_match(c)))
        .collect()
}

fn date(format: &str, days: i64) -> String {
    let (y, m, d) = norm_model::dates::civil_from_days(days);
    format
        .replace("%Y", &format!("{y:04}"))
        .replace("%m", &format!("{m:02}"))
        .replace("%d", &format!("{d:02}"))
}

/// Writes `Header.csv` (one row a child) and `Episodes.csv` (`episodes` rows, four a child on
/// average, in order of start) into `dir`; returns the number of rows of each.
fn generate(dir: &Path, episodes: usize) -> (usize, usize) {
    let catalog = catalog();
    let standard = &catalog.standards["ssda903"];
    let format = standard
        .meta
        .as_ref()
        .and_then(|m| m.value.data.as_ref())
        .and_then(|d| d.date_format.clone())
        .unwrap_or_else(|| "%Y-%m-%d".to_owned());
    let children = episodes.div_ceil(4);
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let start = norm_model::dates::days_from_civil(2025, 4, 1);
    for name in ["header", "episodes"] {
        let entity = &standard.entity(name).unwrap().value;
        let lists: Vec<Vec<String>> = entity
            .fields
            .iter()
            .map(|f| codes(&catalog, standard, f))
            .collect();
        let file = if name == "header" {
            "Header.csv"
        } else {
            "Episodes.csv"
        };
        // Streamed to the file: the large case writes a gigabyte.
        let mut text = std::io::BufWriter::new(std::fs::File::create(dir.join(file)).unwrap());
        let headers: Vec<String> = entity
            .fields
            .iter()
            .map(|f| f.column.clone().unwrap_or_else(|| f.name.to_uppercase()))
            .collect();
        writeln!(text, "{}", headers.join(",")).unwrap();
        let rows = if name == "header" { children } else { episodes };
        for row in 0..rows {
            let child = if name == "header" { row } else { row / 4 };
            let cells: Vec<String> = entity
                .fields
                .iter()
                .zip(&lists)
                .map(
                    |(field, codes)| match (field.name.as_str(), field.field_type) {
                        ("child", _) => format!("C{child:07}"),
                        ("dob", _) => date(&format, start - 3650 - (child % 5000) as i64),
                        ("decom", _) => {
                            date(&format, start + (row % 4) as i64 * 60 + (child % 30) as i64)
                        }
                        ("dec" | "rec", _) if row % 4 == 3 => String::new(),
                        // Each episode but a child's last ends the day the next starts.
                        ("rec", _) => "X1".to_owned(),
                        ("dec", _) => date(
                            &format,
                            start + (row % 4) as i64 * 60 + (child % 30) as i64 + 60,
                        ),
                        (_, Some(FieldType::Date)) => String::new(),
                        (_, Some(FieldType::Code)) if !codes.is_empty() => {
                            codes[random.below(codes.len())].clone()
                        }
                        ("home_post" | "pl_post", _) => "AB1 2CD".to_owned(),
                        _ => String::new(),
                    },
                )
                .collect();
            let mut cells = cells;
            let at = |name: &str| entity.fields.iter().position(|f| f.name == name);
            // Temporary and Z placements have no provider (rule 213).
            if let (Some(place), Some(provider)) = (at("place"), at("place_provider"))
                && (cells[place].starts_with('T') || cells[place].starts_with('Z'))
            {
                cells[provider].clear();
            }
            writeln!(text, "{}", cells.join(",")).unwrap();
        }
        text.flush().unwrap();
    }
    (children, episodes)
}

/// One timed validation in this process: prints `seconds cpu_seconds peak_kib issues rules`.
fn run_case(dir: &str, files: &str, structure_only: bool) {
    let catalog = catalog();
    let standard = &catalog.standards["ssda903"];
    let paths: Vec<PathBuf> = files.split(',').map(|f| Path::new(dir).join(f)).collect();
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let files = DataFiles::open(&paths, Encoding::Utf8).unwrap();
    let report =
        norm_validate::validate(&catalog, standard, files, None, Options { structure_only })
            .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_before;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    println!(
        "{seconds} {cpu} {peak} {} {}",
        report.issues.len(),
        report.summary.rules.len()
    );
}

/// The CPU time this thread has run for (`/proc/self/schedstat`, in nanoseconds): on a busy
/// machine the wall time also counts the other jobs'.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The median wall and CPU seconds of `runs` runs of one case, each in a fresh process, with
/// the highest peak memory (KiB) and the last run's issues and rules.
fn measure(mode: &str, files: &str, dir: &Path, runs: usize) -> (f64, f64, u64, String) {
    let mut times = Vec::new();
    let mut cpus = Vec::new();
    let mut peak = 0_u64;
    let mut last = String::new();
    for _ in 0..runs {
        let out = Command::new(std::env::current_exe().unwrap())
            .env(CASE, format!("{mode}:{files}:{}", dir.display()))
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
        last = format!("{} | {}", fields[3], fields[4]);
    }
    (median(times), median(cpus), peak, last)
}

fn row(label: &str, rows: usize, check: &str, measured: &(f64, f64, u64, String)) {
    let (seconds, cpu, peak, last) = measured;
    println!(
        "| {label} | {rows} | {check} | {seconds:.3} s | {cpu:.3} s | {:.0} k | {:.0} MB | {last} |",
        rows as f64 / cpu / 1000.0,
        *peak as f64 / 1024.0
    );
}

/// `NORM_VALIDATE_LARGE=<MiB>`: an `Episodes.csv` of about that size, validated once for
/// structure and once with every rule, each asserting that memory stayed bounded: by the key
/// sets (under 40 bytes a row: 16-byte slots, at most half full) and SQLite's page caches,
/// never by the file.
fn large(base: &Path, mebibytes: usize) {
    let dir = base.join("large");
    std::fs::create_dir_all(&dir).unwrap();
    // A generated episode takes about 68 bytes.
    let (_, episodes) = generate(&dir, mebibytes * 1024 * 1024 / 68);
    let bytes = std::fs::metadata(dir.join("Episodes.csv")).unwrap().len();
    let label = format!("{:.2} GB `Episodes.csv`", bytes as f64 / 1e9);
    let keys = 40 * episodes as u64 / 1024;
    let base_kib = 64 * 1024;
    let structure = measure("structure", "Episodes.csv", &dir, 1);
    row(&label, episodes, "structure", &structure);
    assert!(
        structure.2 < base_kib + keys,
        "structure: {} KiB, over 64 MiB + 40 bytes a row ({} KiB), for a file of {} KiB",
        structure.2,
        base_kib + keys,
        bytes / 1024
    );
    let full = measure("full", "Episodes.csv", &dir, 1);
    row(&label, episodes, "structure + rules", &full);
    let cache = 2 * u64::from(norm_validate::engine::CACHE_KIB);
    assert!(
        full.2 < base_kib + keys + cache,
        "with rules: {} KiB, over the structure's bound and SQLite's caches ({} KiB)",
        full.2,
        base_kib + keys + cache
    );
}

fn main() {
    if let Ok(case) = std::env::var(CASE) {
        let mut parts = case.splitn(3, ':');
        let (mode, files, dir) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        run_case(dir, files, mode == "structure");
        return;
    }
    let bench = std::env::args().any(|a| a == "--bench");
    let keep = std::env::var_os("NORM_VALIDATE_KEEP").map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let base = keep.clone().unwrap_or_else(|| temp.path().to_owned());
    let sizes: [(&str, usize, usize); 2] = if bench {
        [
            ("a whole LA return", 19_500, 7),
            ("1M episodes", 1_000_000, 3),
        ]
    } else {
        [("small", 200, 1), ("small", 400, 1)]
    };
    println!(
        "| files | rows | check | median wall | median CPU | rows/s (CPU) | peak memory | issues | rules ran |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let large_mib = std::env::var("NORM_VALIDATE_LARGE").ok().map(|mib| {
        mib.parse::<usize>()
            .expect("NORM_VALIDATE_LARGE is a size in MiB")
    });
    if let Some(mib) = large_mib {
        large(&base, mib);
        return;
    }
    for (i, (label, episodes, runs)) in sizes.into_iter().enumerate() {
        let dir = base.join(format!("case{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let (children, episodes) = generate(&dir, episodes);
        let both = ("Header.csv,Episodes.csv", children + episodes);
        // Episodes alone, structure only: what frictionless checks of the same file.
        let alone = ("Episodes.csv", episodes);
        for (mode, (files, rows)) in [("structure", both), ("full", both), ("structure", alone)] {
            let check = match (mode, files) {
                ("full", _) => "structure + rules",
                (_, "Episodes.csv") => "structure, Episodes.csv alone",
                _ => "structure",
            };
            row(label, rows, check, &measure(mode, files, &dir, runs));
        }
    }
    if keep.is_some() {
        println!("files kept in {}", base.display());
    }
}
