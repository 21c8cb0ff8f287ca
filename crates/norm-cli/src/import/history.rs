//! `norm import --history`: each source revision (a commit, a year) becomes one commit of the
//! standard's folder, at the version the one comparison requires over the previous commit (the
//! 0.y rules before 1.0.0), tagged `<id>/v<version>` as `norm release` tags, so that `norm diff`
//! and `norm build` see a release history.

use std::io::Write;

use anyhow::{Context, Result, bail};
use norm_cli::cli::{ImportArgs, ImportReport};
use norm_git::{Repo, Revision as GitRevision};
use norm_govern::{Comparer, Scope};
use norm_import::write;
use norm_import::{Format, Imported, Target};
use norm_model::config::Bump;
use serde::Serialize;

use super::{Destination, LintSummary, checked_id, lint_summary};
use crate::Outcome;

/// One replayed revision.
#[derive(Debug, Serialize)]
struct Step {
    /// The source revision or year.
    label: String,
    version: String,
    /// The bump the changes since the previous step required (`None` for the first).
    required: Option<Bump>,
    /// How many changes `norm diff` finds since the previous step.
    changes: usize,
    tag: Option<String>,
    notes: usize,
}

#[derive(Debug, Serialize)]
struct Report {
    format: Format,
    standard: String,
    dry_run: bool,
    steps: Vec<Step>,
    /// The lint of the last revision.
    lint: Option<LintSummary>,
}

pub(super) fn run(
    args: &ImportArgs,
    format: Format,
    destination: &Destination,
    target: &Target<'_>,
    out: &mut impl Write,
) -> Result<Outcome> {
    let revisions = norm_import::history(format, &args.sources, target)?;
    let Some(first) = revisions.first() else {
        bail!("the source has no revisions to replay");
    };
    let id = checked_id(&first.imported)?;
    let mut report = Report {
        format,
        standard: id.clone(),
        dry_run: args.dry_run,
        steps: Vec::new(),
        lint: None,
    };
    if args.dry_run {
        for revision in &revisions {
            report.steps.push(Step {
                label: revision.label.clone(),
                version: String::new(),
                required: None,
                changes: 0,
                tag: None,
                notes: revision.imported.notes.len(),
            });
        }
        return render(&report, out);
    }
    let repo = Repo::open(&destination.root).with_context(|| {
        format!(
            "--history commits into a git repository: run `git init` in {}",
            destination.root.display()
        )
    })?;
    repo.signature()?;
    // Tags are never moved: a standard released here already cannot take a replayed history.
    // Checked before anything is written, as every refusal of the import is.
    let tagged = repo
        .releases()?
        .get(&id)
        .is_some_and(|r| r.iter().any(|r| r.tag.is_some()));
    if tagged {
        bail!(
            "`{id}` already has release tags in {}: --history starts a standard's history, so \
             import it under another id with --standard",
            destination.root.display()
        );
    }
    let first_files = write::files(&first.imported)?;
    destination.refuse_existing(&id, &first_files, args.force)?;
    let mut paths = destination.write_config()?;
    paths.push(format!("standards/{id}"));
    let mut previous: Option<semver::Version> = None;
    let mut last = None;
    for revision in revisions {
        let mut imported: Imported = revision.imported;
        imported.standard.id = id.clone();
        let (version, required, changes) = match &previous {
            None => {
                let version = imported
                    .standard
                    .version
                    .clone()
                    .unwrap_or_else(|| "0.1.0".into());
                (
                    semver::Version::parse(&version).with_context(|| {
                        format!("the source gives version `{version}`, which is not semver")
                    })?,
                    None,
                    0,
                )
            }
            Some(previous) => {
                imported.standard.version = Some(previous.to_string());
                destination.replace_standard(&id, &write::files(&imported)?)?;
                let comparer = Comparer::new(Repo::open(&destination.root)?);
                let diff = comparer
                    .compare(
                        &GitRevision::Git("HEAD".into()),
                        &GitRevision::WorkTree,
                        &Scope::Standard(id.clone()),
                    )?
                    .changes
                    .standards
                    .into_iter()
                    .next();
                let (bump, count) =
                    diff.map_or((Bump::None, 0), |d| (d.required_bump, d.changes.len()));
                if count == 0 {
                    // Nothing norm compares changed: the revision adds no release.
                    report.steps.push(Step {
                        label: revision.label,
                        version: previous.to_string(),
                        required: Some(Bump::None),
                        changes: 0,
                        tag: None,
                        notes: imported.notes.len(),
                    });
                    continue;
                }
                (
                    norm_govern::release::raise(previous, bump.max(Bump::Patch)),
                    Some(bump),
                    count,
                )
            }
        };
        imported.standard.version = Some(version.to_string());
        let files = write::files(&imported)?;
        destination.replace_standard(&id, &files)?;
        let tag = format!("{id}/v{version}");
        let message = format!("Import {id} {version} from {}", revision.label);
        repo.commit_paths(&paths, &message, &tag)?;
        report.steps.push(Step {
            label: revision.label,
            version: version.to_string(),
            required,
            changes,
            tag: Some(tag),
            notes: imported.notes.len(),
        });
        previous = Some(version);
        last = Some(files);
    }
    if let Some(files) = last {
        report.lint = Some(lint_summary(&destination.with(&id, &files)?, &id));
    }
    let errors = report.lint.as_ref().map_or(0, |l| l.errors);
    match args.report {
        ImportReport::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
        ImportReport::Human => {
            render(&report, out)?;
        }
    }
    Ok(if errors > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn render(report: &Report, out: &mut impl Write) -> Result<Outcome> {
    writeln!(
        out,
        "{} {} revisions of `{}` from {}:",
        if report.dry_run {
            "would replay"
        } else {
            "replayed"
        },
        report.steps.len(),
        report.standard,
        report.format
    )?;
    for step in &report.steps {
        match (&step.tag, step.required) {
            (Some(tag), Some(bump)) => writeln!(
                out,
                "  {:<8} {}: {} changes, {} bump required ({tag})",
                step.version,
                step.label,
                step.changes,
                norm_govern::gate::word(bump)
            )?,
            (Some(tag), None) => {
                writeln!(
                    out,
                    "  {:<8} {}: first release ({tag})",
                    step.version, step.label
                )?;
            }
            (None, _) if report.dry_run => {
                writeln!(out, "  {} ({} notes)", step.label, step.notes)?;
            }
            (None, _) => writeln!(
                out,
                "  {:<8} {}: no changes, no release",
                step.version, step.label
            )?,
        }
    }
    if let Some(lint) = &report.lint {
        super::lint(lint, out)?;
    }
    Ok(Outcome::Clean)
}
