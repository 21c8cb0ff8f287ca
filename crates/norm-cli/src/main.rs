//! `norm`: lint, diff and publish data standards kept as YAML in git.
//!
//! This is the only crate that prints or exits. Exit codes: 0 clean, 1 findings, 2 the command
//! could not run.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

mod build;
mod catalogue;
mod check;
mod diff;
mod diff_render;
mod export;
mod findings;
mod import;
mod init;
mod lint;
mod release;
mod render;
mod rules;
mod sarif;
mod validate;
mod validate_render;
mod validate_xlsx;

use norm_cli::cli::{Cli, Command};

// Loading standards allocates many small nodes from several threads at once, where mimalloc is
// about 10% faster than the system allocator (docs/benchmarks.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's defaults keep freed pages for a second and commit its first arena ahead of use,
/// which made `norm build`'s resident peak almost twice its heap (docs/benchmarks.md, "Fourth
/// round"). norm's work comes in bursts (load, compare, render), so it asks mimalloc to return
/// freed memory after a millisecond and to commit as it fills. Returning it at once (a delay of
/// 0) kept the same peak but made the build fault the same pages in again and again: a third of
/// the large synthetic build's system time (docs/design.md, "Allocator options").
///
/// mimalloc reads these options once, when the first allocation (before `main`) sets it up,
/// so they are set the way mimalloc documents, in the environment, and norm runs itself again
/// with them, once, by `exec` (a millisecond, in the same process id). A user's own value of
/// either is kept, and if the `exec` fails norm runs on untuned.
#[cfg(all(feature = "mimalloc", unix))]
fn tune_allocator() {
    use std::os::unix::process::CommandExt;
    const OPTIONS: [(&str, &str); 2] = [
        ("MIMALLOC_PURGE_DELAY", "1"),
        ("MIMALLOC_ARENA_EAGER_COMMIT", "0"),
    ];
    let unset: Vec<(&str, &str)> = OPTIONS
        .into_iter()
        .filter(|(name, _)| std::env::var_os(name).is_none())
        .collect();
    if unset.len() < OPTIONS.len() {
        return; // tuned already (this is the second run), or by the user
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut args = std::env::args_os();
    let mut command = std::process::Command::new(exe);
    if let Some(arg0) = args.next() {
        command.arg0(arg0);
    }
    // `exec` returns only if it failed.
    let _ = command.args(args).envs(unset).exec();
}

fn main() -> ExitCode {
    #[cfg(all(feature = "mimalloc", unix))]
    tune_allocator();
    let cli = Cli::parse();
    let styled = cli.color.enabled(std::io::stdout().is_terminal());
    let mut out = std::io::stdout().lock();
    // Warnings of `diff` and `check` go to stderr, coloured by the same rule for that stream.
    let mut err = std::io::stderr();
    let warnings = diff_render::Warnings {
        paint: render::Paint(cli.color.enabled(err.is_terminal())),
        out: &mut err,
    };
    let result = match cli.command {
        Command::Lint(args) => lint::run(&args, styled, &mut out),
        Command::Diff(args) => diff::run(&args, render::Paint(styled), &mut out, warnings),
        Command::Check(args) => check::run(&args, styled, &mut out, warnings),
        Command::Release(args) => release::run(&args, &mut out),
        Command::Build(args) => build::run(&args, styled, &mut out),
        Command::Catalogue(args) => catalogue::run(&args, &mut out),
        Command::Serve(args) => build::serve(&args, styled, &mut out),
        Command::Init(args) => init::run(&args, &mut out),
        Command::Import(args) => import::run(&args, &mut out),
        Command::Export(args) => {
            let styled = cli.color.enabled(std::io::stderr().is_terminal());
            export::run(&args, styled, &mut out, &mut std::io::stderr())
        }
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "norm", &mut out);
            Ok(Outcome::Clean)
        }
        Command::Schema { kind } => write!(out, "{}", norm_model::schema::json_schema(kind.into()))
            .map(|()| Outcome::Clean)
            .map_err(Into::into),
        Command::Rules(args) => rules::run(&args, &mut out),
        Command::Validate(args) => validate::run(&args, styled, &mut out),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        // A closed pipe (`norm lint | head`) is the reader's choice, not a failure.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            drop(out);
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {e:#}");
            }
            ExitCode::from(2)
        }
    }
}

/// How a command that ran ended.
pub enum Outcome {
    /// Nothing to report that fails the run.
    Clean,
    /// Findings that fail the run.
    Findings,
}
