//! The comparison of two revisions: both sides loaded (once per commit), diffed with the head's
//! configuration, with the release history consulted for earlier deprecations.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use norm_diff::{ChangeSet, Options};
use norm_git::{Known, Oid, Repo, Revision, Snapshot};
use norm_model::{Blob, Catalog, Diagnostic, ElementPath, Severity};

use crate::GovernError;

pub use norm_git::Releases;

/// Which standards a comparison reports on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every standard that changed.
    All,
    /// One standard (`--standard`). Each side loads that standard, the standards it names and
    /// the standards that name it ([`norm_model::scope::needed_for`]), so that references
    /// resolve and impact reaches its dependents, and nothing else.
    Standard(String),
}

impl Scope {
    /// The scope a command line implies: `standard` when given, else every standard when
    /// `all`, else the one standard whose releases the revisions name (`ssd@1.0.0 ssd@2.0.0`,
    /// or `ssd@1.0.0` against the working tree), else every standard.
    pub fn implied(revisions: &[&Revision], standard: Option<&str>, all: bool) -> Scope {
        if let Some(id) = standard {
            return Scope::Standard(id.to_owned());
        }
        let mut named = revisions.iter().filter_map(|r| match r {
            Revision::Release { standard, .. } => Some(standard),
            _ => None,
        });
        match named.next() {
            Some(first) if !all && named.all(|s| s == first) => Scope::Standard(first.clone()),
            _ => Scope::All,
        }
    }
}

/// One loaded revision, shared by every comparison that needs its commit.
struct Loaded {
    catalog: Arc<Catalog>,
    /// The standard the catalog was loaded for, when only what it needs was loaded: the lint
    /// errors and load errors reported are then that standard's (and `norm.yaml`'s) alone,
    /// since a partly loaded repository's other standards may point at what was left out.
    only: Option<String>,
    /// What was read, without a second copy of the files' content.
    read: Read,
    load_errors: Vec<String>,
    /// Linted on first use only: a side loaded for its deprecations is never linted.
    lint: OnceLock<norm_lint::Report>,
    /// Its lint errors alone, for a side whose errors are counted but whose report is not
    /// shown (the site's releases, the base of `norm diff`).
    errors: OnceLock<norm_lint::Report>,
}

/// What a revision's reader returned, less the content of the files its catalog holds as
/// text: those are read back from the catalog when the other side of a diff reuses them, or a
/// part of the revision is loaded. Keeping the blobs beside the catalog doubled the memory of
/// every side.
struct Read {
    /// The git object id of each file the catalog holds byte for byte, by path.
    oids: Vec<(String, Oid)>,
    /// Files whose bytes are not their text (not UTF-8, say), kept as read.
    raw: Vec<Blob>,
    /// The reader's diagnostics (symbolic links, oversized files).
    diagnostics: Vec<Diagnostic>,
}

impl Read {
    /// What to keep of a reader's blobs. The loader holds a UTF-8 file's bytes as its text;
    /// only the others are kept as read.
    fn new(blobs: &[Blob], oids: &[Oid], diagnostics: &[Diagnostic]) -> Read {
        Read {
            // A working tree has no object ids; its blobs are matched by path alone.
            oids: blobs
                .iter()
                .zip(
                    oids.iter()
                        .copied()
                        .map(Some)
                        .chain(std::iter::repeat(None)),
                )
                .filter_map(|(b, oid)| oid.map(|oid| (b.path.clone(), oid)))
                .collect(),
            raw: blobs
                .iter()
                .filter(|b| std::str::from_utf8(&b.bytes).is_err())
                .cloned()
                .collect(),
            diagnostics: diagnostics.to_vec(),
        }
    }

    /// The content of every file read, by object id, for reading another revision.
    fn known<'c>(&'c self, catalog: &'c Catalog) -> Known<'c> {
        let raw: HashMap<&str, &[u8]> = self
            .raw
            .iter()
            .map(|b| (b.path.as_str(), b.bytes.as_slice()))
            .collect();
        self.oids
            .iter()
            .filter_map(|(path, oid)| {
                let bytes = raw
                    .get(path.as_str())
                    .copied()
                    .or_else(|| text_of(catalog, path).map(str::as_bytes))?;
                Some((*oid, bytes))
            })
            .collect()
    }

    /// The revision as read, rebuilt from the catalog's text and the raw blobs.
    fn snapshot(&self, catalog: &Catalog) -> Snapshot {
        let mut blobs: Vec<Blob> = catalog
            .files
            .iter()
            .filter(|f| !self.raw.iter().any(|b| b.path == f.path))
            .map(|f| Blob {
                path: f.path.clone(),
                bytes: f.text.as_bytes().to_vec(),
            })
            .chain(self.raw.iter().cloned())
            .collect();
        blobs.sort_by(|a, b| a.path.cmp(&b.path));
        Snapshot {
            blobs,
            diagnostics: self.diagnostics.clone(),
            commit: None,
            oids: Vec::new(),
        }
    }
}

/// The text of the catalog's file at `path`.
fn text_of<'c>(catalog: &'c Catalog, path: &str) -> Option<&'c str> {
    catalog
        .files
        .binary_search_by(|f| f.path.as_str().cmp(path))
        .ok()
        .map(|i| &*catalog.files[i].text)
}

/// One side of a comparison: a revision as given, and what loaded from it.
#[derive(Clone)]
pub struct Side {
    label: String,
    loaded: Arc<Loaded>,
}

impl Side {
    /// The revision as given (`main`, `ssd@1.2.0`, `WORKTREE`).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Its standards, with the reader's diagnostics (symbolic links, oversized files) merged
    /// into the loader's.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.loaded.catalog
    }

    /// The lint report of this side, computed on first use.
    pub fn lint(&self) -> &norm_lint::Report {
        self.loaded
            .lint
            .get_or_init(|| norm_lint::lint(&self.loaded.catalog))
    }

    /// Its lint errors: a revision with errors can still be compared, and the report says so.
    /// For a side loaded for one standard, that standard's lint errors.
    pub fn lint_errors(&self) -> usize {
        let loaded = &self.loaded;
        let report = match loaded.lint.get() {
            Some(whole) => whole,
            None => loaded
                .errors
                .get_or_init(|| norm_lint::errors(&loaded.catalog)),
        };
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && self.in_scope(&d.file))
            .count()
    }

    /// Whether a problem in `file` concerns what this side was loaded for.
    fn in_scope(&self, file: &str) -> bool {
        in_scope(self.loaded.only.as_deref(), file)
    }

    /// Files of this side that did not load, as `file:line:col: error[rule] message`.
    pub fn load_errors(&self) -> &[String] {
        &self.loaded.load_errors
    }
}

/// What two revisions' comparison reports.
#[derive(Clone)]
pub struct Comparison {
    /// The old side.
    pub base: Side,
    /// The new side.
    pub head: Side,
    /// The classified changes of the standards in scope, with verdicts, policy errors (after
    /// the release history's deprecations), impact and accepted breaks.
    pub changes: ChangeSet,
    /// Element paths deprecated in earlier releases, as `deprecate_before_remove` saw them
    /// (empty unless an element was removed).
    pub deprecated_earlier: BTreeSet<ElementPath>,
}

impl Comparison {
    /// The report `norm diff --format json` prints (architecture.md): both labels, their lint
    /// error counts and load errors, and the standards' changes.
    pub fn json(&self) -> serde_json::Value {
        let (base, head) = (&self.base, &self.head);
        serde_json::json!({
            "base": base.label(),
            "head": head.label(),
            "lint_errors": { "base": base.lint_errors(), "head": head.lint_errors() },
            "load_errors": { "base": base.load_errors(), "head": head.load_errors() },
            "standards": self.changes.standards,
        })
    }
}

/// Which loaded revision a cache entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    WorkTree,
    Commit(Oid),
}

/// A cache entry's key: the revision, and the standard it was loaded for when not whole.
type SlotKey = (Key, Option<String>);

/// A cache entry: filled by the first caller, waited for by the others.
type Slot = Arc<Mutex<Option<Arc<Loaded>>>>;

/// Compares revisions of one repository, loading each commit once however many comparisons
/// need it (the site compares every release with the one before it).
///
/// It may be shared between threads: git is read under a lock, catalogs are loaded and
/// compared outside it.
pub struct Comparer {
    repo: Mutex<Repo>,
    /// The branch whose history holds the untagged releases.
    release_branch: Option<String>,
    releases: Mutex<Option<Arc<Releases>>>,
    loaded: Mutex<HashMap<SlotKey, Slot>>,
    /// Whether comparisons of one standard load whole catalogs too (the site, which renders
    /// them anyway).
    whole: bool,
    /// The whole revision loaded last: another whole revision loaded without a side to reuse
    /// takes its unchanged files from it, so that the catalogs of a repository's commits share
    /// their elements instead of each holding a copy (the site loads every release's commit).
    last_whole: Mutex<Option<Arc<Loaded>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere leaves the caches as they were before the panicking insert: still valid.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Comparer {
    /// A comparer reading `repo`, whose untagged releases are the version changes on the
    /// repository's default branch up to where `HEAD` left it ([`Repo::default_branch`],
    /// [`Repo::releases_on`]); on a repository without one, on the history of `HEAD`.
    pub fn new(repo: Repo) -> Comparer {
        let release_branch = repo.default_branch();
        Comparer::with_release_branch(repo, release_branch)
    }

    /// A comparer whose untagged releases come from the history of `branch` up to its merge
    /// base with `HEAD` (`norm check --base`), or from the history of `HEAD` for `None`.
    pub fn with_release_branch(repo: Repo, branch: Option<String>) -> Comparer {
        Comparer {
            repo: Mutex::new(repo),
            release_branch: branch,
            releases: Mutex::default(),
            loaded: Mutex::default(),
            whole: false,
            last_whole: Mutex::default(),
        }
    }

    /// This comparer, loading whole catalogs even for comparisons of one standard: for a
    /// caller that needs every standard of each commit anyway (the site renders them all),
    /// so that each commit is loaded once. The change sets are the same either way.
    pub fn loading_whole_catalogs(mut self) -> Comparer {
        self.whole = true;
        self
    }

    /// The repository, for what is not a comparison (its branch, its tags, committing). Hold
    /// the guard briefly: every read of the comparer waits for it.
    pub fn repo(&self) -> MutexGuard<'_, Repo> {
        lock(&self.repo)
    }

    /// Drops every revision loaded so far (they are loaded again if asked for): for a caller
    /// done with its comparisons, such as the site once every version is rendered.
    pub fn forget_loaded(&self) {
        lock(&self.loaded).clear();
        *lock(&self.last_whole) = None;
    }

    /// Every release of every standard, read once.
    pub fn releases(&self) -> Result<Arc<Releases>, GovernError> {
        let mut cached = lock(&self.releases);
        if let Some(releases) = &*cached {
            return Ok(releases.clone());
        }
        let releases = Arc::new(self.repo().releases_on(self.release_branch.as_deref())?);
        *cached = Some(releases.clone());
        Ok(releases)
    }

    /// Loads `revision`, taking files unchanged since `reuse` (the other side) from it.
    pub fn side(&self, revision: &Revision, reuse: Option<&Side>) -> Result<Side, GovernError> {
        self.side_for(revision, reuse, None)
    }

    /// Loads `revision` whole, or with `only` a standard, just what that standard needs.
    fn side_for(
        &self,
        revision: &Revision,
        reuse: Option<&Side>,
        only: Option<&str>,
    ) -> Result<Side, GovernError> {
        let label = revision.to_string();
        let (key, commit) = match revision {
            Revision::WorkTree => (Key::WorkTree, None),
            Revision::Git(rev) => {
                let oid = self.repo().commit(rev)?.id();
                (Key::Commit(oid), Some(oid))
            }
            Revision::Release { standard, version } => {
                let releases = self.releases()?;
                if !releases.contains_key(standard) {
                    self.require_standard(&releases, standard)?;
                }
                let oid = self
                    .repo()
                    .find_release(&releases, standard, version)?
                    .commit;
                (Key::Commit(oid), Some(oid))
            }
        };
        let only = only.filter(|_| !self.whole).map(str::to_owned);
        let slot = lock(&self.loaded)
            .entry((key, only.clone()))
            .or_default()
            .clone();
        let mut slot = lock(&slot);
        if let Some(loaded) = &*slot {
            return Ok(Side {
                label,
                loaded: loaded.clone(),
            });
        }
        let last = match (reuse, &only) {
            (None, None) => lock(&self.last_whole).clone(),
            _ => None,
        };
        let other = reuse.map(|s| &s.loaded).or(last.as_ref());
        // A part of a revision already loaded whole is taken from it: the files are not read
        // again and the elements not parsed again (the site loads both for every version).
        let whole = match &only {
            Some(_) => {
                let slot = lock(&self.loaded).get(&(key, None)).cloned();
                slot.and_then(|slot| lock(&slot).clone())
            }
            None => None,
        };
        let snapshot = match &whole {
            Some(w) => w.read.snapshot(&w.catalog),
            None => {
                let known = other.map(|o| o.read.known(&o.catalog)).unwrap_or_default();
                let repo = self.repo();
                match commit {
                    Some(oid) => repo.read_at(oid, &label, &known)?,
                    None => repo.read_reusing(revision, &known)?,
                }
            }
        };
        let Snapshot {
            mut blobs,
            diagnostics,
            oids,
            ..
        } = snapshot;
        let read = Read::new(&blobs, &oids, &diagnostics);
        if let Some(id) = &only {
            let needed = norm_model::scope::needed_for(&blobs, id);
            norm_model::scope::retain_standards(&mut blobs, &needed);
        }
        // The reader's diagnostics go in with the files, so that the catalog holds them exactly
        // as `norm lint`'s does, not merged in afterwards.
        let files = (blobs, diagnostics);
        let catalog = match whole.as_ref().or(other) {
            Some(o) => Catalog::load_reusing(files, &o.catalog),
            None => Catalog::load_files(files),
        };
        let load_errors = catalog
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && in_scope(only.as_deref(), &d.file))
            .map(ToString::to_string)
            .collect();
        let loaded = Arc::new(Loaded {
            load_errors,
            catalog: Arc::new(catalog),
            only,
            read,
            lint: OnceLock::new(),
            errors: OnceLock::new(),
        });
        *slot = Some(loaded.clone());
        if loaded.only.is_none() {
            *lock(&self.last_whole) = Some(loaded.clone());
        }
        Ok(Side { label, loaded })
    }

    /// Fails with the list of standards when `id` is neither released nor in the working tree.
    fn require_standard(&self, releases: &Releases, id: &str) -> Result<(), GovernError> {
        let standards = self.repo().root().join("standards");
        let mut known: Vec<String> = releases.keys().cloned().collect();
        known.extend(
            std::fs::read_dir(&standards)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| e.path().join("standard.yaml").is_file())
                .filter_map(|e| e.file_name().into_string().ok()),
        );
        known.sort();
        known.dedup();
        if known.iter().any(|k| k == id) {
            return Ok(());
        }
        Err(GovernError::UnknownStandard {
            id: id.to_owned(),
            known,
        })
    }

    /// Compares `base` with `head`: the one comparison behind `norm diff`, `norm check`,
    /// `norm release` and the site's changes pages.
    pub fn compare(
        &self,
        base: &Revision,
        head: &Revision,
        scope: &Scope,
    ) -> Result<Comparison, GovernError> {
        let only = match scope {
            Scope::All => None,
            Scope::Standard(id) => Some(id.as_str()),
        };
        let head = self.side_for(head, None, only)?;
        let base = self.side_for(base, Some(&head), only)?;
        self.compare_sides(base, head, scope)
    }

    /// Compares two loaded sides (see [`Comparer::compare`]).
    pub fn compare_sides(
        &self,
        base: Side,
        head: Side,
        scope: &Scope,
    ) -> Result<Comparison, GovernError> {
        if let Scope::Standard(id) = scope
            && !base.catalog().standards.contains_key(id)
            && !head.catalog().standards.contains_key(id)
        {
            return Err(GovernError::NoSuchStandard {
                id: id.clone(),
                base: base.label,
                head: head.label,
            });
        }
        let mut options = Options {
            config: head.catalog().config(),
            deprecated_earlier: BTreeSet::new(),
        };
        let mut changes = norm_diff::diff(base.catalog(), head.catalog(), &options);
        // The release history is read only when a removal needs it.
        if has_undeprecated_removal(&changes) {
            options.deprecated_earlier = self.deprecated_in_releases(&changes)?;
            changes = norm_diff::diff(base.catalog(), head.catalog(), &options);
        }
        if let Scope::Standard(id) = scope {
            changes.standards.retain(|s| &s.id == id);
        }
        Ok(Comparison {
            base,
            head,
            changes,
            deprecated_earlier: options.deprecated_earlier,
        })
    }

    /// Release `version` of `standard` against the release before it: exactly what
    /// `norm diff S@prev S@version --standard S` reports. `None` for its first release.
    pub fn release_changes(
        &self,
        standard: &str,
        version: &semver::Version,
    ) -> Result<Option<Comparison>, GovernError> {
        let releases = self.releases()?;
        let this = self
            .repo()
            .find_release(&releases, standard, &version.to_string())?;
        let Some(previous) = releases
            .get(standard)
            .and_then(|list| list.iter().rfind(|r| r.version < this.version))
        else {
            return Ok(None);
        };
        let release = |version: &semver::Version| Revision::Release {
            standard: standard.to_owned(),
            version: version.to_string(),
        };
        self.compare(
            &release(&previous.version),
            &release(&this.version),
            &Scope::Standard(standard.to_owned()),
        )
        .map(Some)
    }

    /// Element paths deprecated in any release of the standards that lost elements, up to the
    /// new side's version: what `deprecate_before_remove` accepts as an earlier deprecation.
    fn deprecated_in_releases(
        &self,
        set: &ChangeSet,
    ) -> Result<BTreeSet<ElementPath>, GovernError> {
        let mut paths = BTreeSet::new();
        let releases = self.releases()?;
        for sd in set.standards.iter().filter(|s| {
            s.policy_errors
                .iter()
                .any(|p| p.rule == "removed-without-deprecation")
        }) {
            let limit = sd
                .new_version
                .as_deref()
                .and_then(|v| semver::Version::parse(v).ok());
            for release in releases.get(&sd.id).into_iter().flatten() {
                if limit.as_ref().is_some_and(|l| release.version >= *l) {
                    continue;
                }
                let side = self.side(
                    &Revision::Release {
                        standard: release.standard.clone(),
                        version: release.version.to_string(),
                    },
                    None,
                )?;
                if let Some(standard) = side.catalog().standards.get(&sd.id) {
                    paths.extend(norm_diff::deprecated_paths(standard));
                }
            }
        }
        Ok(paths)
    }
}

/// Whether a problem in `file` concerns a side loaded for `only` (every file, when whole).
fn in_scope(only: Option<&str>, file: &str) -> bool {
    only.is_none_or(|id| {
        file.strip_prefix("standards/")
            .is_none_or(|rest| rest.split('/').next() == Some(id))
    })
}

fn has_undeprecated_removal(set: &ChangeSet) -> bool {
    set.standards.iter().any(|s| {
        s.policy_errors
            .iter()
            .any(|p| p.rule == "removed-without-deprecation")
    })
}
