//! `norm build` and `norm serve`.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use norm_git::{GitError, Repo, Revision};
use norm_govern::Comparer;
use norm_model::{Catalog, Severity, worktree};
use norm_site::{ReleaseInput, Site, SiteError, SiteInput, SiteOptions, StandardInput};

mod cache;
mod compare;
mod links;
mod reuse;
mod write;

pub use cache::Scratch;
use compare::Loader;
use write::Output;
pub use write::{create_folder, publish, write_file};

use crate::Outcome;
use norm_cli::cli::{BuildArgs, ServeArgs};

/// The files under `prefix`, sorted, for comparing one standard across two revisions.
fn files_under<'a>(
    blobs: &'a [norm_model::catalog::Blob],
    prefix: &str,
) -> Vec<(&'a str, &'a [u8])> {
    let mut v: Vec<(&str, &[u8])> = blobs
        .iter()
        .filter(|b| b.path.starts_with(prefix))
        .map(|b| (b.path.as_str(), b.bytes.as_slice()))
        .collect();
    v.sort();
    v
}

/// What a build needs besides the options: the site's inputs and what loads each version.
struct Prepared {
    root: PathBuf,
    input: SiteInput,
    loader: Loader,
    notes: Vec<String>,
}

/// Reads the working tree, lints it, and lists every standard's releases.
fn prepare(root: &Path, styled: bool, out: &mut impl Write) -> Result<Option<Prepared>> {
    let mut notes = Vec::new();
    let repo = match Repo::open(root) {
        Ok(repo) => Some(repo),
        Err(GitError::NotARepository(_)) => {
            notes.push(
                "not a git repository: building the working tree only, as `unreleased`".into(),
            );
            None
        }
        Err(e) => return Err(e.into()),
    };
    let blobs = worktree::read_worktree(root)?.0;
    // The releases `norm diff` knows (tags, and version changes on the default branch), so that
    // every version's changes page is the comparison that command makes.
    let comparer = repo.map(Comparer::new);
    // In a repository the comparer loads the working tree, once for the lint, the pages and
    // the comparisons alike.
    let (catalog, report) = match &comparer {
        Some(c) => {
            let side = c.side(&Revision::WorkTree, None)?;
            (side.catalog().clone(), side.lint().clone())
        }
        None => {
            let catalog = Catalog::load_files(worktree::read_worktree(root)?);
            let report = norm_lint::lint(&catalog);
            (Arc::new(catalog), report)
        }
    };
    if report.errors > 0 {
        let mut errors = report.clone();
        errors.diagnostics.retain(|d| d.severity == Severity::Error);
        crate::render::human(&errors, &catalog, styled, out)?;
        writeln!(
            out,
            "\nThe site was not built: fix the {} lint error{} above first (`norm lint` shows warnings too).",
            report.errors,
            if report.errors == 1 { "" } else { "s" }
        )?;
        return Ok(None);
    }
    let updated = comparer
        .as_ref()
        .and_then(|c| c.repo().commit("HEAD").ok().map(|c| c.time().seconds()))
        .unwrap_or(0);
    let releases = match &comparer {
        Some(c) => c.releases()?,
        None => Arc::default(),
    };
    let mut ids: Vec<String> = catalog.standards.keys().cloned().collect();
    ids.extend(releases.keys().cloned());
    ids.sort();
    ids.dedup();
    // Several standards are often released at one commit: read each commit once.
    let mut snapshots: HashMap<String, norm_git::Snapshot> = HashMap::new();
    let mut standards = Vec::new();
    for id in ids {
        let list = releases.get(&id).cloned().unwrap_or_default();
        let unreleased = match (catalog.standards.get(&id), list.last(), &comparer) {
            (None, _, _) => false,
            (Some(_), None, _) | (Some(_), _, None) => true,
            (Some(standard), Some(last), Some(comparer)) => {
                let commit = last.commit.to_string();
                let snapshot = match snapshots.entry(commit.clone()) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(comparer.repo().read(&Revision::Git(commit))?)
                    }
                };
                let prefix = format!("standards/{}/", standard.dir);
                files_under(&blobs, &prefix) != files_under(&snapshot.blobs, &prefix)
            }
        };
        standards.push(StandardInput {
            releases: list
                .iter()
                .map(|r| ReleaseInput {
                    version: r.version.to_string(),
                    commit: r.commit.to_string(),
                    time: r.time,
                })
                .collect(),
            unreleased,
            id,
        });
    }
    let worktree = catalog;
    Ok(Some(Prepared {
        root: root.to_path_buf(),
        loader: Loader::new(comparer, worktree.clone()),
        input: SiteInput {
            worktree,
            standards,
            updated,
        },
        notes,
    }))
}

/// Where the site goes and how it looks.
struct Options {
    site: SiteOptions,
    output: Output,
}

fn options(root: &Path, out: Option<&Path>, base_url: Option<&str>, cache: bool) -> Options {
    let cwd = std::env::current_dir().unwrap_or_else(|_| root.to_path_buf());
    let templates = root.join("templates");
    Options {
        site: SiteOptions {
            base_url: base_url.map(str::to_owned),
            templates: templates.is_dir().then_some(templates),
        },
        output: Output {
            out: out.map_or_else(|| root.join("_site"), |o| cwd.join(o)),
            cache: cache.then(|| root.join(".norm-cache")),
        },
    }
}

/// A progress bar on a terminal; nothing in CI or when stderr is redirected.
fn progress_bar() -> indicatif::ProgressBar {
    let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !interactive {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} rendering versions {pos}/{len} {wide_bar}",
    ) {
        bar.set_style(style);
    }
    bar
}

fn build_once(prepared: &Prepared, options: &Options, out: &mut impl Write) -> Result<()> {
    let bar = progress_bar();
    let started = std::time::Instant::now();
    let target = &options.output.out;
    let site = Site::new(&prepared.input, &options.site)
        .with_context(|| format!("building the site into {}", target.display()))?;
    let report = write::build(&site, &prepared.loader, &options.output, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .with_context(|| format!("building the site into {}", target.display()))?;
    bar.finish_and_clear();
    for note in prepared.notes.iter().chain(&report.warnings) {
        writeln!(out, "warning: {note}")?;
    }
    if !site.overridden().is_empty() {
        writeln!(
            out,
            "using the repository's own templates: {}",
            site.overridden().join(", ")
        )?;
    }
    let shown = target.strip_prefix(&prepared.root).unwrap_or(target);
    writeln!(
        out,
        "Built {} version{} ({} rendered, {} from the cache) into {}: {} files, search index {:.1} kB, in {:.2} s.",
        report.rendered + report.cached,
        if report.rendered + report.cached == 1 {
            ""
        } else {
            "s"
        },
        report.rendered,
        report.cached,
        shown.display(),
        report.files,
        report.search_bytes as f64 / 1000.0,
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

fn root() -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    Ok(worktree::find_root(&cwd)?)
}

pub fn run(args: &BuildArgs, styled: bool, out: &mut impl Write) -> Result<Outcome> {
    let root = root()?;
    let Some(prepared) = prepare(&root, styled, out)? else {
        return Ok(Outcome::Findings);
    };
    let options = options(
        &root,
        args.out.as_deref(),
        args.base_url.as_deref(),
        !args.no_cache,
    );
    if let Some(page) = &args.dump_context {
        let site = Site::new(&prepared.input, &options.site)?;
        let page = write::find_page(&site, &prepared.loader, page)?;
        writeln!(out, "{}", serde_json::to_string_pretty(&page.context)?)?;
        return Ok(Outcome::Clean);
    }
    build_once(&prepared, &options, out)?;
    Ok(Outcome::Clean)
}

/// The newest modification time of the files a build reads.
fn newest_input(root: &Path) -> Option<SystemTime> {
    let mut newest = None;
    let mut stack = vec![
        root.join("standards"),
        root.join("templates"),
        root.join("norm.yaml"),
    ];
    while let Some(path) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            stack.extend(
                std::fs::read_dir(&path)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path()),
            );
        }
        newest = newest.max(meta.modified().ok());
    }
    newest
}

pub fn serve(args: &ServeArgs, styled: bool, out: &mut impl Write) -> Result<Outcome> {
    let root = root()?;
    let mut options = options(&root, args.out.as_deref(), Some(""), true);
    // Links must stay relative when previewing, whatever norm.yaml's base URL says.
    options.site.base_url = None;
    let reload = norm_site::serve::Reload::default();
    let rebuild = |out: &mut dyn Write| -> Result<()> {
        let mut buffer = Vec::new();
        match prepare(&root, styled, &mut buffer)? {
            Some(prepared) => {
                build_once(&prepared, &options, &mut buffer)?;
                reload.bump();
            }
            None => writeln!(buffer, "The preview still shows the last good build.")?,
        }
        out.write_all(&buffer)?;
        out.flush()?;
        Ok(())
    };
    // Listening first: a busy port is said at once, not after a build that cannot be served.
    let server = norm_site::serve::Server::preview(
        options.output.out.clone(),
        args.port,
        reload.clone(),
    )
    .map_err(|e| match e {
        SiteError::Io { path, source } if source.kind() == std::io::ErrorKind::AddrInUse => {
            anyhow::anyhow!(
                "{path} is already in use (another `norm serve`?): choose another port with \
                     `--port`, such as `norm serve --port {}`",
                args.port.saturating_add(1)
            )
        }
        other => other.into(),
    })?;
    rebuild(out)?;
    writeln!(
        out,
        "Serving {} at {} (rebuilds when standards/, templates/ or norm.yaml change, and open pages reload; Ctrl-C stops).",
        options.output.out.display(),
        server.url()
    )?;
    out.flush()?;
    let mut seen = newest_input(&root);
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = newest_input(&root);
        if now != seen {
            seen = now;
            writeln!(out, "change detected, rebuilding…")?;
            if let Err(e) = rebuild(out) {
                writeln!(out, "error: {e:#}")?;
            }
        }
    }
}
