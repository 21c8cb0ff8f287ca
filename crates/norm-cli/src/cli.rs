//! The command line, as clap derives it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use norm_model::schema::SchemaKind;

mod data;

pub use data::*;

/// Lint, diff and publish data standards kept as YAML in git.
///
/// norm works on the repository that contains the current folder: the nearest folder upwards
/// that holds norm.yaml. Exit codes: 0 clean, 1 findings, 2 the command could not run.
#[derive(Debug, Parser)]
#[command(name = "norm", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Color {
    /// When printing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl Color {
    /// Whether to colour, given whether stdout is a terminal.
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check standards for errors, with file, line and column for each finding.
    ///
    /// Loads every standard of the repository (references cross standards, so all are read)
    /// and reports the findings in the given files or folders, or in all of them.
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm lint\n",
        "  norm lint standards/ssd --format concise\n",
        "  norm lint --format json > lint.json",
    ))]
    Lint(LintArgs),

    /// Classify the changes between two revisions by semver bump, with a verdict on each
    /// standard's version, policy errors and who is affected.
    ///
    /// BASE and HEAD are git revisions (a tag, branch, commit, origin/main, HEAD~1) or releases
    /// written STANDARD@VERSION; HEAD defaults to the working tree. Revisions with lint errors
    /// can still be compared. Exits 0 whenever it produced a report.
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm diff main\n",
        "  norm diff ssda903@5.0.0 ssda903@6.0.0 --standard ssda903\n",
        "  norm diff origin/main --format markdown > comment.md",
    ))]
    Diff(DiffArgs),

    /// The pull request gate: lint, diff against the base, change policy and review rules.
    ///
    /// Fails (exit 1) on lint errors, a version bump below what the changes need, changes
    /// without a bump (when `governance.require_version_bump`), a policy error that is not an
    /// accepted break, or a consultation period that has not passed since --opened-at. Prints
    /// the review the change needs and the consumers to notify.
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm check\n",
        "  norm check --base origin/main --opened-at 2026-11-20 --format markdown",
    ))]
    Check(CheckArgs),

    /// Release standards: check or raise the version, write the changelog, commit and tag.
    ///
    /// If the current version has not been released, norm checks that it covers the changes
    /// since the previous release (and stops, suggesting the bump, if not). If it has, norm
    /// raises it by --bump (auto: what the changes need). Then it writes a new section at the
    /// top of standards/<id>/CHANGELOG.md, commits, and tags <id>/v<version>. It refuses a
    /// dirty working tree, a detached HEAD and an existing tag, and never moves a tag.
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm release ssd --dry-run\n",
        "  norm release ssd cin-census",
    ))]
    Release(ReleaseArgs),

    /// Render the documentation site: every release of every standard, and the working tree
    /// where it differs from the last release.
    ///
    /// Lints first; errors stop the build. Each release gets its own pages (overview, entities,
    /// code lists, validation rules, changes), downloads (JSON bundle, JSON Schema per entity,
    /// CSV data dictionary, and every `norm export` format) and search index; the site also has
    /// a changelog per standard, a consultation page, an Atom feed and a sitemap. Releases whose
    /// pages are already in .norm-cache/ are copied, not rendered again. The site is written to
    /// a temporary folder and moved into place only when complete. A repository's own templates/
    /// folder overrides the default theme file by file.
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm build\n",
        "  norm build --out public --base-url https://example.org/standards/\n",
        "  norm build --dump-context ssd/1.2.0/entities/ssd_person.html",
    ))]
    Build(BuildArgs),

    /// Render one catalogue site from other norm sites: every body's standards, statuses and
    /// latest versions, links to their own sites, and one search across all of them.
    ///
    /// Each SOURCE is a norm site: an http(s) address (of the site, or of its catalogue.json)
    /// or a local folder that `norm build` wrote. norm reads each site's catalogue.json and the
    /// search index of each standard's latest release. Nothing is written unless every source
    /// is read: a network or HTTP error names the source and leaves the previous output as it
    /// was. Needs no repository.
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm catalogue https://example.org/standards/ https://example.net/data-standards/\n",
        "  norm catalogue ../d2i/_site ../region/_site --out _catalogue --title \"Regional standards\"",
    ))]
    Catalogue(CatalogueArgs),

    /// Build the site, serve it on 127.0.0.1 and rebuild when a standard or template changes.
    ///
    /// For previewing an edit before opening a pull request: the working tree appears as
    /// `unreleased`, and open pages reload themselves after each rebuild (the preview adds a
    /// small script; the built files have none). Stop it with Ctrl-C.
    #[command(after_help = concat!(
        "Example:\n",
        "  norm serve --port 8000",
    ))]
    Serve(ServeArgs),

    /// Write a standard in a form other tools consume: a data package, CSVW, JSON Schema,
    /// OpenAPI and more.
    ///
    /// Reads the working tree, or with --standard ID@VERSION that release from git. Proposed
    /// elements are left out. Everything of the standard that the format cannot say is printed
    /// as a note on stderr, so nothing is dropped in silence. Files go to
    /// export/<id>/<format>/ (a folder an earlier export wrote is replaced whole, and only
    /// when the new export is complete).
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm export datapackage --standard ssda903\n",
        "  norm export openapi --standard ssd@1.0.0 --out -\n",
        "  norm export csvw --out exports",
    ))]
    Export(ExportArgs),

    /// Create a governed standards repository: norm.yaml, an example standard, GitHub
    /// workflows and forms, README and CONTRIBUTING. Never overwrites a file.
    ///
    /// The repository's web address (norm.yaml's site.repository, and on GitHub the Pages
    /// address and the CODEOWNERS organisation) comes from --repository, else from the `origin`
    /// remote of the folder's git repository; without either, init writes placeholders and
    /// says so.
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm init my-standards && cd my-standards && git init\n",
        "  norm init --repository https://github.com/your-org/standards",
    ))]
    Init(InitArgs),

    /// Read a standard from another format: the SSD, column maps, XSD, Table Schema, JSON
    /// Schema or a data dictionary sheet.
    ///
    /// Writes standards/<id>/ (standard.yaml, entities, code lists) into the repository at hand
    /// or --into DIR (making a norm.yaml there if there is none), never overwriting a file
    /// (--force replaces the standard's folder whole). Prints the mapping report (every value
    /// not mapped exactly, with its place in the source) and lints the result, counting the
    /// findings by rule and by cause. --history replays the source's revisions or years as one
    /// commit and release tag each, at the versions norm computes.
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm import ssd ../ssd-data-model --dry-run\n",
        "  norm import table-schema datapackage.json --standard my-data\n",
        "  norm import ssd ../ssd-data-model --history --into ssd-history",
    ))]
    Import(ImportArgs),

    /// Print a shell completion script.
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm completions bash > ~/.local/share/bash-completion/completions/norm\n",
        "  norm completions zsh > \"${fpath[1]}/_norm\"\n",
        "  norm completions fish > ~/.config/fish/completions/norm.fish",
    ))]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the JSON Schema of a file of the format.
    ///
    /// Editors validate and explain YAML with these schemas; each file under standards/ names
    /// its schema in a `# yaml-language-server: $schema=...` first line.
    #[command(after_help = concat!(
        "Example:\n",
        "  norm schema entity > entity.schema.json",
    ))]
    Schema {
        /// Which file's schema.
        #[arg(value_enum)]
        kind: SchemaArg,
    },

    /// List the lint rules, or explain one.
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm rules\n",
        "  norm rules dangling-reference",
    ))]
    Rules(RulesArgs),

    /// Check data files against a standard: their structure, then the standard's validation
    /// rules.
    ///
    /// FILE is a CSV file (one entity) or an XLSX or ODS workbook (one sheet per entity). A file
    /// or sheet is matched to an entity by the entity's `data.names`, else its name, else its
    /// headers. Without --standard, the standard whose entities match every file is used.
    /// Exits 0 when no error was found (queries allowed), 1 on errors, 2 when the files could
    /// not be read or matched.
    #[command(after_help = concat!(
        "Examples:\n",
        "  norm validate examples/ssda903/*.csv\n",
        "  norm validate return.xlsx --standard ssda903@5.0.0 --format xlsx --output report.xlsx\n",
        "  norm validate Header.csv Episodes.csv --previous last/Episodes.csv --format json",
    ))]
    Validate(ValidateArgs),
}

/// Arguments of `norm init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the repository in (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// The web address of the repository the standards will live in, such as
    /// https://github.com/your-org/standards (default: the `origin` remote's).
    #[arg(long, value_name = "URL")]
    pub repository: Option<String>,
}

/// Arguments of `norm lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or folders to report on (default: the whole repository).
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Output formats of `norm lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// rustc-style snippets with the offending line and a caret.
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// `{"diagnostics": [...], "errors": N, "warnings": N}`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`), which show as
    /// annotations on the pull request.
    Github,
}

/// Arguments of `norm diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old side: a git revision or STANDARD@VERSION.
    pub base: String,

    /// The new side (default: the working tree).
    pub head: Option<String>,

    /// Report on this standard only.
    #[arg(long)]
    pub standard: Option<String>,

    /// Report on every standard that changed, even when BASE and HEAD name releases of one
    /// standard (`norm diff ssd@1.0.0 ssd@2.0.0` reports only `ssd` without it).
    #[arg(long, conflicts_with = "standard")]
    pub all: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

/// Arguments of `norm check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The revision to compare with (default: the repository's default branch: origin/HEAD's
    /// target, else init.defaultBranch, main or master, on origin before locally).
    #[arg(long)]
    pub base: Option<String>,

    /// When the pull request was opened (YYYY-MM-DD), to enforce consultation periods.
    #[arg(long)]
    pub opened_at: Option<String>,

    /// Today's date (YYYY-MM-DD), for reproducible checks; defaults to the system date.
    #[arg(long, hide = true)]
    pub today: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

/// Arguments of `norm build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The folder to write the site to (default: _site in the repository root). An existing
    /// folder is replaced only if norm built it.
    #[arg(long)]
    pub out: Option<PathBuf>,

    /// The address the site is published at, for the feed, the sitemap and canonical links
    /// (default: `site.base_url` in norm.yaml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Print the context of one page as JSON instead of building, for template authors.
    #[arg(long, value_name = "PAGE")]
    pub dump_context: Option<String>,

    /// Render every release again instead of reusing .norm-cache/.
    #[arg(long)]
    pub no_cache: bool,
}

/// Arguments of `norm serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on, on 127.0.0.1.
    #[arg(long, default_value_t = 8000)]
    pub port: u16,

    /// The folder to build into (default: _site in the repository root).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Arguments of `norm release`.
#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// The standards to release.
    #[arg(required = true)]
    pub standards: Vec<String>,

    /// How to raise a version that was already released.
    #[arg(long, value_enum, default_value_t = BumpArg::Auto)]
    pub bump: BumpArg,

    /// Print what would happen; change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// The release date (YYYY-MM-DD) for the changelog; defaults to the system date.
    #[arg(long, hide = true)]
    pub today: Option<String>,
}

/// How `norm release` raises a released version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BumpArg {
    /// What the changes need (at least a patch).
    Auto,
    /// The major number.
    Major,
    /// The minor number.
    Minor,
    /// The patch number.
    Patch,
}

/// Output formats of `norm check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Lint findings, the diff and the gate's verdict, for the terminal.
    Human,
    /// The pull request comment: a verdict banner over the diff report.
    Markdown,
    /// For tools.
    Json,
    /// SARIF 2.1.0: lint findings and gate failures, for code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

/// Output formats of `norm diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For the terminal: by standard, then by bump, with file:line.
    Text,
    /// The pull request comment: summary table, sections, impact.
    Markdown,
    /// For tools.
    Json,
}

/// The files that have a schema.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaArg {
    /// standards/<id>/standard.yaml
    Standard,
    /// standards/<id>/entities/<name>.yaml
    Entity,
    /// standards/<id>/codelists/<name>.yaml
    Codelist,
    /// standards/<id>/rules/<code>.yaml
    Rule,
    /// norm.yaml
    Config,
}

impl From<SchemaArg> for SchemaKind {
    fn from(arg: SchemaArg) -> Self {
        match arg {
            SchemaArg::Standard => SchemaKind::Standard,
            SchemaArg::Entity => SchemaKind::Entity,
            SchemaArg::Codelist => SchemaKind::Codelist,
            SchemaArg::Rule => SchemaKind::Rule,
            SchemaArg::Config => SchemaKind::Config,
        }
    }
}

/// Arguments of `norm rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// The rule to explain.
    pub rule: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

/// Output formats of `norm rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// For reading.
    Text,
    /// For tools.
    Json,
}
