//! `norm validate FILE...`.

use std::io::Write;

use anyhow::{Context, Result, bail};
use norm_git::{Repo, Revision};
use norm_model::{Catalog, worktree};
use norm_validate::{DataFiles, Encoding, Options};

use crate::Outcome;
use crate::validate_render as render;
use norm_cli::cli::{EncodingArg, ValidateArgs, ValidateFormat};

pub fn run(args: &ValidateArgs, styled: bool, out: &mut impl Write) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let root = match worktree::find_root(&cwd) {
        // The reader here is often a data manager with a return, not a curator: say where the
        // standards come from rather than how to start a repository of one's own.
        Err(worktree::WorktreeError::NoRoot(dir)) => bail!(
            "{} is not inside a standards repository (there is no norm.yaml in it or above it), \
             and `norm validate` reads the standard from one: run it from the folder of the \
             repository that holds the standard, giving the data files' paths, for example \
             `cd norm && norm validate ~/returns/*.csv`",
            dir.display()
        ),
        other => other?,
    };
    let (id, catalog) = match args.standard.as_deref() {
        Some(text) if text.contains('@') => {
            let revision = Revision::parse(text);
            let Revision::Release { standard, .. } = &revision else {
                bail!("--standard {text}: write a release as ID@VERSION, such as ssda903@5.0.0");
            };
            let snapshot = Repo::open(&root)?
                .read(&revision)
                .with_context(|| format!("reading {text} from git"))?;
            (Some(standard.clone()), Catalog::load(snapshot.blobs))
        }
        other => (
            other.map(str::to_owned),
            Catalog::load_files(worktree::read_worktree(&root)?),
        ),
    };
    let encoding = match args.encoding {
        EncodingArg::Utf8 => Encoding::Utf8,
        EncodingArg::Windows1252 => Encoding::Windows1252,
    };
    let files = DataFiles::open(&args.files, encoding)?;
    let standard = match &id {
        Some(id) => catalog.standards.get(id).with_context(|| {
            let ids: Vec<&str> = catalog.standards.keys().map(String::as_str).collect();
            format!("no standard `{id}`; the standards are {}", ids.join(", "))
        })?,
        None => norm_validate::standard_for(&catalog, &files)?,
    };
    let previous = match args.previous.as_slice() {
        [] => None,
        paths => Some(DataFiles::open(paths, encoding)?),
    };
    let options = Options {
        structure_only: args.structure_only,
        ..Options::default()
    };
    let report = norm_validate::validate(&catalog, standard, files, previous, options)?;
    let mut bytes = Vec::new();
    match args.format {
        ValidateFormat::Human => {
            render::human(&report, styled && args.output.is_none(), &mut bytes)?
        }
        ValidateFormat::Json => render::json(&report, &mut bytes)?,
        ValidateFormat::Csv => render::csv(&report, &mut bytes)?,
        ValidateFormat::Junit => render::junit(&report, &mut bytes)?,
        ValidateFormat::Github => render::github(&report, &mut bytes)?,
        ValidateFormat::Xlsx => {
            if args.output.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                bail!("--format xlsx writes a workbook: give --output report.xlsx");
            }
            bytes = crate::validate_xlsx::workbook(&report, standard)?;
        }
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None => out.write_all(&bytes)?,
    }
    Ok(if report.has_errors() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
