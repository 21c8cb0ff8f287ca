//! `norm diff BASE [HEAD]`.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::{Context, Result};
use norm_diff::{ChangeSet, Options};
use norm_git::{Repo, Revision, Snapshot};
use norm_model::{Catalog, Severity, worktree};

use crate::Outcome;
use norm_cli::cli::{DiffArgs, DiffFormat};

/// A loaded side of the diff.
pub struct Side {
    /// The revision as given.
    pub label: String,
    /// Its standards.
    pub catalog: Catalog,
    /// Its lint errors (a revision with errors can still be diffed; the report says so).
    pub lint_errors: usize,
    /// Files of this side that did not load, as `file:line:col: message`.
    pub load_errors: Vec<String>,
}

/// Loads one side, taking unchanged files from `reuse` (the other side) when given.
pub fn load(
    repo: &Repo,
    revision: &Revision,
    reuse: Option<(&Snapshot, &Catalog)>,
) -> Result<(Side, Snapshot)> {
    let snapshot = repo.read_reusing(revision, reuse.map(|(s, _)| s))?;
    let files = (snapshot.blobs.clone(), snapshot.diagnostics.clone());
    let catalog = match reuse {
        Some((_, other)) => Catalog::load_reusing(files, other),
        None => Catalog::load_files(files),
    };
    let lint_errors = norm_lint::lint(&catalog)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let load_errors = catalog
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let (line, column) = d.span.map_or((1, 1), |s| (s.line, s.column));
            format!(
                "{}:{line}:{column}: {}[{}] {}",
                d.file,
                d.severity.as_str(),
                d.rule,
                d.message
            )
        })
        .collect();
    let side = Side {
        label: revision.to_string(),
        catalog,
        lint_errors,
        load_errors,
    };
    Ok((side, snapshot))
}

/// Element paths deprecated in any release of the standards that lost elements, up to the new
/// side's version: what `deprecate_before_remove` accepts as an earlier deprecation.
pub fn deprecated_in_releases(
    repo: &Repo,
    set: &ChangeSet,
) -> Result<BTreeSet<norm_model::ElementPath>> {
    let mut paths = BTreeSet::new();
    let releases = repo.releases()?;
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
            let snapshot = repo.read(&Revision::Release {
                standard: release.standard.clone(),
                version: release.version.to_string(),
            })?;
            let catalog = Catalog::load_files((snapshot.blobs, snapshot.diagnostics));
            let Some(standard) = catalog.standards.get(&sd.id) else {
                continue;
            };
            paths.extend(norm_diff::deprecated_paths(standard));
        }
    }
    Ok(paths)
}

/// Diffs two sides with the head's configuration, consulting the release history only when a
/// removal needs it.
pub fn compare(repo: &Repo, base: &Side, head: &Side, standard: Option<&str>) -> Result<ChangeSet> {
    let mut options = Options {
        config: head.catalog.config(),
        deprecated_earlier: BTreeSet::new(),
    };
    let mut set = norm_diff::diff(&base.catalog, &head.catalog, &options);
    if set.standards.iter().any(|s| {
        s.policy_errors
            .iter()
            .any(|p| p.rule == "removed-without-deprecation")
    }) {
        options.deprecated_earlier = deprecated_in_releases(repo, &set)?;
        set = norm_diff::diff(&base.catalog, &head.catalog, &options);
    }
    if let Some(id) = standard {
        set.standards.retain(|s| s.id == id);
    }
    Ok(set)
}

pub fn run(args: &DiffArgs, out: &mut impl Write) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let root = worktree::find_root(&cwd)?;
    let repo = Repo::open(&root)?;
    let head_rev = args
        .head
        .as_deref()
        .map_or(Revision::WorkTree, Revision::parse);
    let (head, head_snapshot) = load(&repo, &head_rev, None)?;
    let (base, _) = load(
        &repo,
        &Revision::parse(&args.base),
        Some((&head_snapshot, &head.catalog)),
    )?;
    if let Some(id) = &args.standard
        && !base.catalog.standards.contains_key(id)
        && !head.catalog.standards.contains_key(id)
    {
        anyhow::bail!("no standard `{id}` in `{}` or `{}`", base.label, head.label);
    }
    let set = compare(&repo, &base, &head, args.standard.as_deref())?;
    let reproduce = std::iter::once("norm diff".to_owned())
        .chain(std::iter::once(args.base.clone()))
        .chain(args.head.clone())
        .chain(args.standard.as_ref().map(|s| format!("--standard {s}")))
        .collect::<Vec<_>>()
        .join(" ");
    let report = crate::diff_render::Report {
        base: &base,
        head: &head,
        set: &set,
        reproduce: &reproduce,
    };
    match args.format {
        DiffFormat::Text => report.text(out)?,
        DiffFormat::Markdown => report.markdown(out)?,
        DiffFormat::Json => report.json(out)?,
    }
    Ok(Outcome::Clean)
}
