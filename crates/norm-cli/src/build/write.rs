//! Drives norm-site: loads and compares each version ([`super::compare`]), takes unchanged
//! versions from the cache ([`super::cache`]), renders the rest in parallel, and writes the
//! site to a temporary folder that replaces the old site only when complete.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use norm_site::{Comparison, File, Page, Site, SiteError, Summary, Version, VersionData};
use rayon::prelude::*;
use serde::Serialize;

use super::cache;
use super::compare::{Inputs, Loader};
use super::links::Links;
use super::reuse::{self, Moves, Previous};

/// The file that marks a folder as a site norm built, so `norm build` never replaces anything
/// else.
pub const MARKER: &str = ".norm-site";

/// Where the site goes and what it is cached in.
pub struct Output {
    /// The site's folder (default `_site/`).
    pub out: PathBuf,
    /// The cache folder; `None` disables the cache.
    pub cache: Option<PathBuf>,
}

/// What a build did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildReport {
    /// Versions rendered.
    pub rendered: usize,
    /// Versions copied from the cache.
    pub cached: usize,
    /// Files written.
    pub files: usize,
    /// Bytes of the default search download (manifest plus the latest shards).
    pub search_bytes: usize,
    /// Things the reader of the build log should know.
    pub warnings: Vec<String>,
}

/// Progress of a build: versions done out of all versions.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Writes `content` to a new file at `path` under `dir`. A file already there is replaced, not
/// written into: it may be a hard link to another file of the build (links.rs).
pub fn write_file(dir: &Path, path: &str, content: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let target = dir.join(path);
    if let Some(p) = target.parent() {
        std::fs::create_dir_all(p).with_context(|| p.display().to_string())?;
    }
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
    };
    let file = match create() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(&target).and_then(|()| create())
        }
        other => other,
    };
    file.and_then(|mut f| f.write_all(content))
        .with_context(|| target.display().to_string())
}

/// Makes the folder `path` and its parents. A parent that is a file is said as such (the
/// system's own "File exists" names neither the file nor what to do).
pub fn create_folder(path: &Path) -> Result<()> {
    if let Some(file) = path.ancestors().find(|a| a.is_file()) {
        anyhow::bail!(
            "{} is a file, not a folder: choose another output folder",
            file.display()
        );
    }
    std::fs::create_dir_all(path).with_context(|| path.display().to_string())
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_none())
}

/// The site's data for one version, borrowed from what the loader loaded.
fn data<'a>(inputs: &'a Inputs) -> VersionData<'a> {
    VersionData {
        catalog: &inputs.head,
        previous: inputs.previous.as_ref().map(|(base, _, _)| &**base),
        changes: inputs.previous.as_ref().map(|(_, c, json)| Comparison {
            set: &c.changes,
            json,
        }),
        latest: Some(inputs.latest.as_ref().unwrap_or(&inputs.head)),
    }
}

/// Loads, compares and renders one version: its files and changelog summary.
fn render_version(
    site: &Site<'_>,
    loader: &Loader,
    version: &Version,
) -> Result<(Vec<File>, Summary, Vec<String>)> {
    let inputs = loader.version(site, version)?;
    let out = site.version(version, &data(&inputs))?;
    let mut files = out
        .pages
        .iter()
        .map(|p| Ok((p.path.clone(), site.render(p)?)))
        .collect::<Result<Vec<File>, SiteError>>()?;
    files.extend(out.files);
    let mut warnings: Vec<String> = out.warning.into_iter().collect();
    warnings.extend(out.notes);
    Ok((files, out.summary, warnings))
}

/// Builds the site into `output.out`.
pub fn build(
    site: &Site<'_>,
    loader: &Loader,
    output: &Output,
    progress: Progress<'_>,
) -> Result<BuildReport> {
    let previous = output
        .cache
        .as_ref()
        .and_then(|cache| Previous::open(cache, &output.out));
    let (report, moves, folders) = publish(&output.out, "norm build", |staging| {
        let moves = Moves::default();
        let (report, folders) = write_site(
            site,
            loader,
            output,
            previous.as_ref(),
            &moves,
            staging,
            progress,
        )?;
        Ok((report, moves, folders))
    })?;
    moves.keep();
    if let Some(cache) = &output.cache {
        // Without a record the next build writes every file again, which is all it costs.
        let _ = reuse::record(cache, &output.out, folders);
    }
    Ok(report)
}

/// Writes a site into `out` through `fill`, which writes it into an empty staging folder:
/// the old site stays in place until the new one is complete, and a failure leaves it
/// untouched. A folder that norm did not write (it has no [`MARKER`]) is never replaced.
/// `command` names the command in that error.
pub fn publish<T>(out: &Path, command: &str, fill: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    if out.exists() && !out.join(MARKER).exists() && !is_empty_dir(out) {
        bail!(
            "{} exists and was not written by `{command}` (it has no `{MARKER}` marker); \
             choose another `--out` folder or remove it yourself",
            out.display()
        );
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_folder(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "_site".into());
    // Removed when dropped, so a build that fails or panics mid-way leaves no staging folder.
    let scratch = cache::Scratch::new(parent.join(format!(".{name}.tmp-{}", std::process::id())));
    let staging = scratch.path();
    std::fs::create_dir_all(staging).with_context(|| staging.display().to_string())?;
    // Dropped before `scratch` on every way out, so that what `fill` borrowed from the old
    // site goes back before the staging folder is removed.
    let report = fill(staging)?;
    write_file(
        staging,
        MARKER,
        format!("This folder was written by `{command}`.\n").as_bytes(),
    )?;
    // Swap the finished site into place: the old one survives until the new one is complete.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        std::fs::rename(out, &old).with_context(|| out.display().to_string())?;
    }
    if let Err(e) = std::fs::rename(staging, out) {
        if old.exists() {
            let _ = std::fs::rename(&old, out);
        }
        return Err(e).with_context(|| out.display().to_string());
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).with_context(|| old.display().to_string())?;
    }
    Ok(report)
}

/// Writes the site into `staging`, taking unchanged version folders from `previous`; returns
/// the report and each released version's folder with its cache key, for the next build.
fn write_site(
    site: &Site<'_>,
    loader: &Loader,
    output: &Output,
    previous: Option<&Previous>,
    moves: &Moves,
    staging: &Path,
    progress: Progress<'_>,
) -> Result<(BuildReport, BTreeMap<String, String>)> {
    let versions = site.versions();
    // With the cache, files already in the old site are moved over, not written again.
    let old = output
        .cache
        .as_ref()
        .map(|_| output.out.as_path())
        .filter(|out| out.is_dir());
    let links = Links::default();
    let place =
        |path: &str, content: &[u8]| reuse::place(old, staging, path, content, moves, &links);
    let cache_root = output.cache.as_ref().map(|c| c.join("site"));
    let done = AtomicUsize::new(0);
    let cached = AtomicUsize::new(0);
    let total = versions.len();
    progress(0, total);
    type Done = (
        String,
        Summary,
        Option<(String, String)>,
        Vec<String>,
        Vec<String>,
    );
    let results: Vec<Result<Done>> = versions
        .par_iter()
        .map(|version| {
            let key = cache::key(site, version);
            let entry = cache_root
                .as_ref()
                .zip(key.as_ref())
                .map(|(r, k)| r.join(k));
            let folder = format!("{}/{}", version.standard, version.folder);
            // An entry exists only under a key, so a hit comes with both.
            let hit = entry
                .as_deref()
                .zip(key.as_deref())
                .and_then(|(dir, key)| Some((dir, key, cache::read(dir)?)));
            let (paths, summary, warning) = match hit {
                Some((dir, key, hit)) => {
                    cached.fetch_add(1, Ordering::Relaxed);
                    let prefix = format!("{folder}/");
                    let inside: BTreeMap<&str, u64> = hit
                        .files
                        .iter()
                        .filter(|(p, _)| p.starts_with(&prefix))
                        .map(|(p, len)| (p.as_str(), *len))
                        .collect();
                    let taken =
                        previous.is_some_and(|p| p.take(&folder, key, &inside, staging, moves));
                    for (path, content) in
                        hit.contents(dir, |p| !taken || !p.starts_with(&prefix))?
                    {
                        place(&path, &content)?;
                    }
                    let paths = hit.files.into_iter().map(|(p, _)| p).collect();
                    (paths, hit.summary, hit.warnings)
                }
                None => {
                    let (files, summary, warning) = render_version(site, loader, version)?;
                    if let Some(entry) = &entry {
                        cache::store(entry, &files, &summary, &warning)?;
                    }
                    for (path, content) in &files {
                        place(path, content)?;
                    }
                    (
                        files.into_iter().map(|(p, _)| p).collect(),
                        summary,
                        warning,
                    )
                }
            };
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            let key = key.map(|k| (folder, k));
            Ok((version.standard.clone(), summary, key, paths, warning))
        })
        .collect();
    loader.done_with_versions();
    let mut summaries: BTreeMap<String, Vec<Summary>> = BTreeMap::new();
    let mut folders = BTreeMap::new();
    let mut paths = Vec::new();
    let mut report = BuildReport::default();
    for r in results {
        let (standard, summary, key, files, warning) = r?;
        folders.extend(key);
        paths.extend(files);
        for w in warning {
            if !report.warnings.contains(&w) {
                report.warnings.push(w);
            }
        }
        if !summary.folder.is_empty() {
            summaries.entry(standard).or_default().push(summary);
        }
    }
    if let Some(root) = &cache_root {
        let keys: BTreeSet<String> = folders.values().cloned().collect();
        cache::prune(root, &keys);
    }
    report.cached = cached.load(Ordering::Relaxed);
    report.rendered = total - report.cached;
    // The site-wide files are written as the site makes them, and each page as it is
    // rendered: the search index and the catalogue are the largest things a build holds.
    let global = site.global(
        &summaries,
        &paths,
        &|path| std::fs::read_to_string(staging.join(path)).ok(),
        &mut |(path, content)| {
            report.files += 1;
            place(&path, &content)
        },
    )?;
    report.files += paths.len() + global.pages.len();
    drop((summaries, paths));
    report.search_bytes = global.search_bytes;
    global
        .pages
        .par_iter()
        .try_for_each(|p| place(&p.path, site.render(p)?.as_slice()))?;
    report.warnings.extend(global.warnings);
    // The marker, which `publish` writes after this.
    report.files += 1;
    Ok((report, folders))
}

/// The page at `path`, looked up in the pages the site returns (`--dump-context`). Version
/// pages are only gathered for the standard the path names.
pub fn find_page(site: &Site<'_>, loader: &Loader, path: &str) -> Result<Page> {
    let path = path.trim_start_matches('/');
    let global = site.global(&BTreeMap::new(), &[], &|_| None, &mut |_| anyhow::Ok(()))?;
    if let Some(page) = global.pages.into_iter().find(|p| p.path == path) {
        return Ok(page);
    }
    for version in site.versions() {
        if !path.starts_with(&format!("{}/", version.standard)) {
            continue;
        }
        let inputs = loader.version(site, &version)?;
        let out = site.version(&version, &data(&inputs))?;
        if let Some(page) = out.pages.into_iter().find(|p| p.path == path) {
            return Ok(page);
        }
    }
    Err(SiteError::UnknownPage(path.to_owned()).into())
}
