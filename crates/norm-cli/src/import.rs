//! `norm import FORMAT SOURCE...`: reads another format into one standard (norm_import), writes
//! it into the repository without overwriting anything, prints the mapping report, and lints
//! the result, counting findings by rule and by cause. `--history` is in `import/history.rs`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use norm_cli::cli::{ImportArgs, ImportFormat, ImportReport};
use norm_import::sheet::{Role, parse_columns};
use norm_import::write::{self, File};
use norm_import::{Format, Imported, Note, Place, Target};
use norm_model::schema::{SchemaKind, json_schema};
use norm_model::{Blob, Catalog, LoaderRule, Severity, worktree};
use serde::Serialize;

use crate::Outcome;

mod history;

/// The `norm.yaml` written into a folder that has none: enough for `norm lint` and `norm
/// build`; consumers are the curator's to add.
const NEW_CONFIG: &str = "# yaml-language-server: $schema=docs/schema/config.schema.json\n\
site:\n  title: Data standards\nlint:\n  extends: recommended\n";

/// Rules whose findings on an imported standard are the importer's doing, not the source's:
/// the loader's (the written YAML does not load as written) and those about what the importer
/// chooses (file names, names, the version).
fn caused_by_importer(rule: &str) -> bool {
    LoaderRule::ALL.iter().any(|r| r.as_str() == rule)
        || matches!(
            rule,
            "file-name-mismatch" | "naming-convention" | "invalid-version"
        )
}

/// The library's name of a format given on the command line.
fn format_of(format: ImportFormat) -> Format {
    {
        match format {
            ImportFormat::Ssd => Format::Ssd,
            ImportFormat::ColumnMap => Format::ColumnMap,
            ImportFormat::Xsd => Format::Xsd,
            ImportFormat::TableSchema => Format::TableSchema,
            ImportFormat::JsonSchema => Format::JsonSchema,
            ImportFormat::Sheet => Format::Sheet,
        }
    }
}

/// The repository written into.
pub(crate) struct Destination {
    pub(crate) root: PathBuf,
    /// Whether `norm.yaml` (and the schemas its modelines name) must be written first.
    pub(crate) new_config: bool,
    pub(crate) catalog: Catalog,
}

impl Destination {
    /// The repository at hand, or `into`. A folder that does not exist yet is an empty
    /// repository to be, made only when the import is written: a source that fails to read,
    /// or a dry run, leaves nothing behind.
    fn find(into: Option<&Path>) -> Result<Destination> {
        let root =
            match into {
                Some(dir) if !dir.exists() => std::path::absolute(dir)
                    .with_context(|| format!("reading {}", dir.display()))?,
                Some(dir) => std::fs::canonicalize(dir)
                    .with_context(|| format!("reading {}", dir.display()))?,
                None => {
                    let cwd = std::env::current_dir().context("reading the current folder")?;
                    worktree::find_root(&cwd)?
                }
            };
        let new_config = !root.join(worktree::CONFIG_FILE).exists();
        let catalog = if new_config {
            Catalog::default()
        } else {
            Catalog::load_files(worktree::read_worktree(&root)?)
        };
        Ok(Destination {
            root,
            new_config,
            catalog,
        })
    }

    /// The repository's files with `standards/<id>/` replaced by `files`: what the repository
    /// will hold once they are written.
    pub(crate) fn with(&self, id: &str, files: &[File]) -> Result<Catalog> {
        let (mut blobs, _) = if self.new_config {
            (Vec::new(), Vec::new())
        } else {
            worktree::read_worktree(&self.root)?
        };
        let folder = format!("standards/{id}/");
        blobs.retain(|b| !b.path.starts_with(&folder));
        if self.new_config {
            blobs.push(Blob {
                path: worktree::CONFIG_FILE.into(),
                bytes: NEW_CONFIG.into(),
            });
        }
        blobs.extend(files.iter().map(|f| Blob {
            path: format!("{folder}{}", f.path),
            bytes: f.text.clone().into_bytes(),
        }));
        Ok(Catalog::load(blobs))
    }

    /// `norm.yaml` and the schemas of the modelines, when the folder had no `norm.yaml`.
    pub(crate) fn write_config(&self) -> Result<Vec<String>> {
        if !self.new_config {
            return Ok(Vec::new());
        }
        let mut written = vec![worktree::CONFIG_FILE.to_owned()];
        write_new(&self.root.join(worktree::CONFIG_FILE), NEW_CONFIG)?;
        for kind in SchemaKind::ALL {
            let path = format!("docs/schema/{}", kind.file_name());
            let full = self.root.join(&path);
            if !full.exists() {
                write_new(&full, &json_schema(kind))?;
                written.push(path);
            }
        }
        Ok(written)
    }

    /// Refuses to write over anything: a file of `files` that exists is named.
    pub(crate) fn refuse_existing(&self, id: &str, files: &[File], force: bool) -> Result<()> {
        let folder = self.root.join("standards").join(id);
        if force || !folder.exists() {
            return Ok(());
        }
        let clash = files
            .iter()
            .find(|f| folder.join(&f.path).exists())
            .map_or_else(
                || format!("standards/{id}/"),
                |f| format!("standards/{id}/{}", f.path),
            );
        bail!(
            "{} already exists; norm import never overwrites: pass --force to replace \
             standards/{id}/ whole",
            self.root.join(clash).display()
        )
    }

    /// Writes `files` as `standards/<id>/`, replacing the folder whole: they are staged in a
    /// sibling folder, then swapped in, so that a failure leaves the old folder as it was.
    pub(crate) fn replace_standard(&self, id: &str, files: &[File]) -> Result<()> {
        let standards = self.root.join("standards");
        let folder = standards.join(id);
        let staged = standards.join(format!(".{id}.norm-import"));
        let old = standards.join(format!(".{id}.norm-import-old"));
        for leftover in [&staged, &old] {
            if leftover.exists() {
                std::fs::remove_dir_all(leftover)
                    .with_context(|| format!("removing {}", leftover.display()))?;
            }
        }
        let staging = files
            .iter()
            .try_for_each(|f| write_new(&staged.join(&f.path), &f.text));
        if let Err(e) = staging {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e);
        }
        let existed = folder.exists();
        if existed {
            std::fs::rename(&folder, &old)
                .with_context(|| format!("moving {} aside", folder.display()))?;
        }
        if let Err(e) = std::fs::rename(&staged, &folder) {
            if existed {
                let _ = std::fs::rename(&old, &folder);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e)
                .with_context(|| format!("moving the new {} into place", folder.display()));
        }
        if existed {
            std::fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
        }
        Ok(())
    }
}

/// Writes a file that must not exist yet, making its folder.
fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// Lint findings of one rule on the imported standard.
#[derive(Debug, Serialize)]
pub(crate) struct RuleCount {
    rule: &'static str,
    severity: Severity,
    count: usize,
    /// `source` or `importer`.
    cause: &'static str,
}

/// The lint of an imported standard, counted.
#[derive(Debug, Serialize)]
pub(crate) struct LintSummary {
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    /// Errors caused by the importer rather than the source: a bug of norm if not zero.
    pub(crate) importer_errors: usize,
    by_rule: Vec<RuleCount>,
}

/// Lints `catalog` and counts the findings in `standards/<id>/` by rule and cause.
pub(crate) fn lint_summary(catalog: &Catalog, id: &str) -> LintSummary {
    let report = norm_lint::lint(catalog);
    let folder = format!("standards/{id}/");
    let mut counts: BTreeMap<(&'static str, Severity), usize> = BTreeMap::new();
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.file.starts_with(&folder))
    {
        *counts.entry((d.rule, d.severity)).or_default() += 1;
    }
    let by_rule: Vec<RuleCount> = counts
        .into_iter()
        .map(|((rule, severity), count)| RuleCount {
            rule,
            severity,
            count,
            cause: if caused_by_importer(rule) {
                "importer"
            } else {
                "source"
            },
        })
        .collect();
    let total = |severity: Severity, cause: Option<&str>| {
        by_rule
            .iter()
            .filter(|r| r.severity == severity && cause.is_none_or(|c| c == r.cause))
            .map(|r| r.count)
            .sum()
    };
    LintSummary {
        errors: total(Severity::Error, None),
        warnings: total(Severity::Warning, None),
        importer_errors: total(Severity::Error, Some("importer")),
        by_rule,
    }
}

/// What `norm import` reports.
#[derive(Debug, Serialize)]
struct Report<'a> {
    format: Format,
    standard: &'a str,
    dry_run: bool,
    entities: usize,
    fields: usize,
    references: usize,
    codelists: usize,
    /// The files written (or that would be), relative to the repository.
    files: Vec<String>,
    notes: &'a [Note],
    lint: LintSummary,
}

/// `--columns`, which only the `sheet` format reads.
fn columns(args: &ImportArgs, format: Format) -> Result<Vec<(Role, String)>> {
    let Some(text) = &args.columns else {
        return Ok(Vec::new());
    };
    if format != Format::Sheet {
        bail!("--columns names the columns of a data dictionary: it is for `norm import sheet`");
    }
    parse_columns(text).map_err(|e| anyhow::anyhow!("--columns {text}: {e}"))
}

pub fn run(args: &ImportArgs, out: &mut impl Write) -> Result<Outcome> {
    let format = format_of(args.kind);
    let columns = columns(args, format)?;
    let destination = Destination::find(args.into.as_deref())?;
    let target = Target {
        standard: args.standard.as_deref(),
        catalog: &destination.catalog,
        columns: &columns,
    };
    if args.history {
        return history::run(args, format, &destination, &target, out);
    }
    let mut imported = norm_import::import(format, &args.sources, &target)?;
    sort_notes(&mut imported.notes);
    let id = checked_id(&imported)?;
    let files = write::files(&imported)?;
    destination.refuse_existing(&id, &files, args.force)?;
    let lint = lint_summary(&destination.with(&id, &files)?, &id);
    let mut written = Vec::new();
    if !args.dry_run {
        written = destination.write_config()?;
        destination.replace_standard(&id, &files)?;
    } else if destination.new_config {
        written.push(worktree::CONFIG_FILE.to_owned());
    }
    written.extend(files.iter().map(|f| format!("standards/{id}/{}", f.path)));
    let report = Report {
        format,
        standard: &id,
        dry_run: args.dry_run,
        entities: imported.entities.len(),
        fields: imported.entities.iter().map(|e| e.fields.len()).sum(),
        references: imported
            .entities
            .iter()
            .flat_map(|e| &e.fields)
            .filter(|f| f.references.is_some())
            .count(),
        codelists: imported.codelists.len(),
        files: written,
        notes: &imported.notes,
        lint,
    };
    match args.report {
        ImportReport::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
        ImportReport::Human => human(&report, &destination.root, out)?,
    }
    Ok(if report.lint.errors > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Orders the mapping report by place: file, then line and column.
pub(crate) fn sort_notes(notes: &mut [Note]) {
    notes.sort_by_cached_key(|n| match &n.place {
        Place::File { file } => (file.clone(), String::new(), 0, 0),
        Place::Line { file, line, column } => {
            (file.clone(), String::new(), *line, column.unwrap_or(0))
        }
        Place::Cell { file, sheet, cell } => {
            // `B10` after `B9`: by row number, then by column letters.
            let split = cell
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(cell.len());
            let (letters, row) = cell.split_at(split);
            let column = letters.bytes().fold(0usize, |n, b| {
                n * 26 + usize::from(b.to_ascii_uppercase().saturating_sub(b'A')) + 1
            });
            (
                file.clone(),
                sheet.clone(),
                row.parse().unwrap_or(0),
                column,
            )
        }
    });
}

/// The standard's id, which names its folder: refused when it is not kebab-case.
pub(crate) fn checked_id(imported: &Imported) -> Result<String> {
    let id = &imported.standard.id;
    if !norm_model::reference::is_standard_id(id) {
        bail!(
            "`{id}` is not a standard id (kebab-case, such as `my-data`): give one with --standard"
        );
    }
    Ok(id.clone())
}

fn human(report: &Report<'_>, root: &Path, out: &mut impl Write) -> Result<()> {
    writeln!(
        out,
        "{} `{}` from {}: {} entities, {} fields, {} references, {} code lists",
        if report.dry_run {
            "would import"
        } else {
            "imported"
        },
        report.standard,
        report.format,
        report.entities,
        report.fields,
        report.references,
        report.codelists,
    )?;
    writeln!(
        out,
        "{} {} files in {}:",
        if report.dry_run {
            "would write"
        } else {
            "wrote"
        },
        report.files.len(),
        root.display()
    )?;
    for file in &report.files {
        writeln!(out, "  {file}")?;
    }
    notes(report.notes, out)?;
    lint(&report.lint, out)
}

/// The mapping report, by place.
pub(crate) fn notes(notes: &[Note], out: &mut impl Write) -> Result<()> {
    if notes.is_empty() {
        writeln!(out, "mapping report: every value was mapped exactly")?;
        return Ok(());
    }
    writeln!(out, "mapping report ({} notes):", notes.len())?;
    for note in notes {
        writeln!(out, "  {}: {} [{}]", note.place, note.message, note.kind)?;
    }
    Ok(())
}

pub(crate) fn lint(lint: &LintSummary, out: &mut impl Write) -> Result<()> {
    writeln!(
        out,
        "lint of the result: {} errors, {} warnings ({} errors caused by the importer)",
        lint.errors, lint.warnings, lint.importer_errors
    )?;
    for r in &lint.by_rule {
        writeln!(
            out,
            "  {:<28} {:<8} {:>5}  caused by the {}",
            r.rule,
            r.severity.as_str(),
            r.count,
            r.cause
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_ordered_by_place() {
        let note = |place: Place| Note {
            place,
            kind: "k",
            message: String::new(),
        };
        let cell = |c: &str| Place::Cell {
            file: "a.xlsx".into(),
            sheet: "Fields".into(),
            cell: c.into(),
        };
        let line = |l: usize| Place::Line {
            file: "b.yml".into(),
            line: l,
            column: Some(1),
        };
        let mut notes = vec![
            note(line(10)),
            note(cell("B10")),
            note(line(9)),
            note(cell("AA9")),
            note(cell("B9")),
        ];
        sort_notes(&mut notes);
        let places: Vec<String> = notes.iter().map(|n| n.place.to_string()).collect();
        assert_eq!(
            places,
            [
                "a.xlsx, sheet Fields, cell B9",
                "a.xlsx, sheet Fields, cell AA9",
                "a.xlsx, sheet Fields, cell B10",
                "b.yml:9:1",
                "b.yml:10:1",
            ]
        );
    }
}
