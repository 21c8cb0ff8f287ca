//! `norm release STANDARD...`: checks or raises the version, writes the changelog section,
//! commits and tags `<id>/v<version>` (planned and applied by `norm_govern::release`).

use std::io::Write;

use anyhow::{Context, Result};
use norm_git::Repo;
use norm_govern::Comparer;
use norm_govern::release::{self, BumpChoice, Request};
use norm_model::config::Bump;
use norm_model::worktree;

use crate::Outcome;
use norm_cli::cli::{BumpArg, ReleaseArgs};

pub fn run(args: &ReleaseArgs, out: &mut impl Write) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let root = worktree::find_root(&cwd)?;
    let comparer = Comparer::new(Repo::open(&root)?);
    let date = match args.today.as_deref() {
        Some(d) => norm_govern::gate::parse_date(d).map(norm_model::dates::format_date)?,
        None => norm_model::dates::format_date(crate::check::today()),
    };
    let bump = match args.bump {
        BumpArg::Auto => BumpChoice::Auto,
        BumpArg::Major => BumpChoice::Exactly(Bump::Major),
        BumpArg::Minor => BumpChoice::Exactly(Bump::Minor),
        BumpArg::Patch => BumpChoice::Exactly(Bump::Patch),
    };
    let request = Request {
        standards: &args.standards,
        bump,
        date: &date,
        write: !args.dry_run,
    };
    for plan in release::plan(&comparer, &request)? {
        if args.dry_run {
            writeln!(
                out,
                "would release `{}` {} and tag `{}`:",
                plan.id, plan.version, plan.tag
            )?;
            if plan.new_yaml.is_some() {
                writeln!(
                    out,
                    "  set `version: {}` in standards/{}/standard.yaml",
                    plan.version, plan.id
                )?;
            }
            writeln!(out, "  write standards/{}/CHANGELOG.md:\n", plan.id)?;
            writeln!(out, "{}", plan.changelog)?;
            continue;
        }
        plan.apply(&comparer)?;
        writeln!(
            out,
            "released `{}` {} (tag `{}`)",
            plan.id, plan.version, plan.tag
        )?;
    }
    Ok(Outcome::Clean)
}
