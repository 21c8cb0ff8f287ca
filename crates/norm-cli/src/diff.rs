//! `norm diff BASE [HEAD]`.

use std::io::Write;

use anyhow::{Context, Result};
use norm_git::{Repo, Revision};
use norm_govern::{Comparer, Scope};
use norm_model::worktree;

use crate::Outcome;
use crate::diff_render::Warnings;
use crate::render::Paint;
use norm_cli::cli::{DiffArgs, DiffFormat};

pub fn run(
    args: &DiffArgs,
    paint: Paint,
    out: &mut impl Write,
    warnings: Warnings<'_, impl Write>,
) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let root = worktree::find_root(&cwd)?;
    let comparer = Comparer::new(Repo::open(&root)?);
    let head_rev = args
        .head
        .as_deref()
        .map_or(Revision::WorkTree, Revision::parse);
    let base_rev = Revision::parse(&args.base);
    let scope = Scope::implied(&[&base_rev, &head_rev], args.standard.as_deref(), args.all);
    let comparison = comparer.compare(&base_rev, &head_rev, &scope)?;
    let reproduce = std::iter::once("norm diff".to_owned())
        .chain(std::iter::once(args.base.clone()))
        .chain(args.head.clone())
        .chain(args.standard.as_ref().map(|s| format!("--standard {s}")))
        .chain(args.all.then(|| "--all".to_owned()))
        .collect::<Vec<_>>()
        .join(" ");
    let report = crate::diff_render::Report {
        comparison: &comparison,
        reproduce: &reproduce,
        paint,
    };
    match args.format {
        DiffFormat::Text => report.text(out, warnings)?,
        DiffFormat::Markdown => report.markdown(out, crate::diff_render::COMMENT_LIMIT)?,
        DiffFormat::Json => report.json(out)?,
    }
    Ok(Outcome::Clean)
}
