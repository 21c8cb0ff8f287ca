//! `norm release STANDARD...`: checks or raises the version, writes the changelog section,
//! commits and tags `<id>/v<version>`.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Context, Result, bail};
use norm_diff::{StandardDiff, Verdict};
use norm_git::{Repo, Revision};
use norm_model::config::Bump;
use norm_model::worktree;

use crate::Outcome;
use norm_cli::cli::{BumpArg, ReleaseArgs};
use norm_govern::{Comparer, Scope};

/// `version` raised by `bump`.
fn raise(version: &semver::Version, bump: Bump) -> semver::Version {
    match bump {
        Bump::Major => semver::Version::new(version.major + 1, 0, 0),
        Bump::Minor => semver::Version::new(version.major, version.minor + 1, 0),
        Bump::Patch | Bump::None => {
            semver::Version::new(version.major, version.minor, version.patch + 1)
        }
    }
}

/// `text` (a standard.yaml) with its top-level `version:` set to `version`, comments kept.
fn set_version(text: &str, version: &semver::Version) -> Option<String> {
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let Some(rest) = line.strip_prefix("version:").filter(|_| !done) else {
                return line.to_owned();
            };
            done = true;
            let value_start = rest.len() - rest.trim_start().len();
            let value = rest.trim_start();
            let end = value.find([' ', '#']).unwrap_or(value.len());
            let quote = if value.starts_with('"') { "\"" } else { "" };
            format!(
                "version:{}{quote}{version}{quote}{}",
                &rest[..value_start],
                &value[end..]
            )
        })
        .collect();
    done.then(|| lines.join("\n") + if text.ends_with('\n') { "\n" } else { "" })
}

/// The changelog section of a release: classified changes, renames, impact, and room for a
/// human summary.
fn changelog_section(
    id: &str,
    version: &semver::Version,
    date: &str,
    previous: Option<&semver::Version>,
    sd: Option<&StandardDiff>,
) -> String {
    let mut out = format!(
        "## {version} ({date})\n\n<!-- Summary for readers: what this release means for them. -->\n\n"
    );
    let Some(sd) = sd.filter(|s| !s.changes.is_empty()) else {
        let _ = match previous {
            Some(p) => writeln!(out, "No changes to the content of `{id}` since {p}.\n"),
            None => writeln!(out, "First release of `{id}`.\n"),
        };
        return out;
    };
    for (title, pick) in [
        (
            "Breaking",
            &(|c: &norm_diff::Change| c.bump == Bump::Major) as &dyn Fn(&norm_diff::Change) -> bool,
        ),
        ("Added and changed", &|c| c.bump == Bump::Minor),
        ("Editorial", &|c| c.bump == Bump::Patch),
        ("Proposed (not part of the release)", &|c| {
            c.bump == Bump::None
        }),
    ] {
        let changes: Vec<&norm_diff::Change> = sd.changes.iter().filter(|c| pick(c)).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}\n");
        for c in changes {
            let _ = write!(out, "- {} (`{}`)", c.message, c.rule);
            if let Some(reason) = &c.accepted {
                let _ = write!(out, "; accepted: {reason}");
            }
            out.push('\n');
            if !c.impact.consumers.is_empty() {
                let _ = writeln!(out, "  - affects: {}", c.impact.consumers.join(", "));
            }
        }
        out.push('\n');
    }
    out
}

/// Adds `section` at the top of a changelog, under its title.
fn prepend(changelog: Option<&str>, id: &str, section: &str) -> String {
    let title = format!("# Changelog of `{id}`\n\n");
    let body = changelog.map_or("", |text| text.strip_prefix(title.as_str()).unwrap_or(text));
    format!("{title}{section}{body}")
}

/// What releasing one standard will do.
struct Plan {
    id: String,
    version: semver::Version,
    new_yaml: Option<String>,
    changelog: String,
}

pub fn run(args: &ReleaseArgs, out: &mut impl Write) -> Result<Outcome> {
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let root = worktree::find_root(&cwd)?;
    let comparer = Comparer::new(Repo::open(&root)?);
    let repo = comparer.repo();
    if !args.dry_run {
        let dirty = repo.dirty_paths()?;
        if !dirty.is_empty() {
            bail!(
                "the working tree has uncommitted changes ({}); commit or stash them, then release",
                dirty.join(", ")
            );
        }
    }
    if repo.branch()?.is_none() {
        bail!(
            "HEAD is detached: check out the branch to release from (for example `git switch main`)"
        );
    }
    let date = match args.today.as_deref() {
        Some(d) => crate::check::parse_date(d).map(crate::check::format_date)?,
        None => crate::check::format_date(crate::check::today()),
    };
    drop(repo);
    let head = comparer.side(&Revision::WorkTree, None)?;
    let releases = comparer.releases()?;
    let mut plans = Vec::new();
    for id in &args.standards {
        let Some(standard) = head.catalog().standards.get(id) else {
            bail!("no standard `{id}` in standards/");
        };
        let version = standard.version().with_context(|| {
            format!("`{id}` has no valid semver `version` in standards/{id}/standard.yaml")
        })?;
        // `norm release` releases by tagging: once a standard has tags, its tags are its
        // releases; before its first tag, the history's releases older than the current
        // version are the base to check against.
        let all = releases.get(id).map(Vec::as_slice).unwrap_or_default();
        let tagged: Vec<&norm_git::Release> = all.iter().filter(|r| r.tag.is_some()).collect();
        let (previous, released) = if tagged.is_empty() {
            (all.iter().rfind(|r| r.version < version), false)
        } else {
            (
                tagged.last().copied(),
                tagged.iter().any(|r| r.version == version),
            )
        };
        let sd = match previous {
            Some(p) => {
                let rev = Revision::Release {
                    standard: id.clone(),
                    version: p.version.to_string(),
                };
                let base = comparer.side(&rev, Some(&head))?;
                comparer
                    .compare_sides(base, head.clone(), &Scope::Standard(id.clone()))?
                    .changes
                    .standards
                    .into_iter()
                    .next()
            }
            None => None,
        };
        let (version, new_yaml) = if released {
            let Some(sd) = sd.as_ref().filter(|s| !s.changes.is_empty()) else {
                bail!("nothing to release: `{id}` {version} is released and nothing changed since");
            };
            let required = sd.required_bump;
            let bump = match args.bump {
                BumpArg::Auto => required.max(Bump::Patch),
                BumpArg::Major => Bump::Major,
                BumpArg::Minor => Bump::Minor,
                BumpArg::Patch => Bump::Patch,
            };
            if bump < required {
                bail!(
                    "`{id}`'s changes since {version} need a {required:?} bump, not {bump:?}: run with `--bump auto`"
                );
            }
            let next = raise(&version, bump);
            let path = root.join(format!("standards/{id}/standard.yaml"));
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let yaml = set_version(&text, &next)
                .with_context(|| format!("no `version:` line in {}", path.display()))?;
            (next, Some(yaml))
        } else {
            if let Some(sd) = &sd
                && matches!(sd.verdict, Verdict::Insufficient | Verdict::Invalid)
            {
                let from = previous
                    .map(|p| p.version.clone())
                    .unwrap_or(version.clone());
                bail!(
                    "`{id}` {version} does not cover its changes since {from}: they need a {:?} bump; set `version: {}`",
                    sd.required_bump,
                    raise(&from, sd.required_bump)
                );
            }
            (version, None)
        };
        let tag = format!("{id}/v{version}");
        if comparer.repo().tag_exists(&tag) {
            bail!("tag `{tag}` already exists; norm never moves a tag: raise the version instead");
        }
        let changelog_path = root.join(format!("standards/{id}/CHANGELOG.md"));
        let existing = std::fs::read_to_string(&changelog_path).ok();
        let section = changelog_section(
            id,
            &version,
            &date,
            previous.map(|p| &p.version),
            sd.as_ref(),
        );
        plans.push(Plan {
            id: id.clone(),
            version,
            new_yaml,
            changelog: prepend(existing.as_deref(), id, &section),
        });
    }
    for plan in &plans {
        let tag = format!("{}/v{}", plan.id, plan.version);
        if args.dry_run {
            writeln!(
                out,
                "would release `{}` {} and tag `{tag}`:",
                plan.id, plan.version
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
        let mut files = vec![format!("standards/{}/CHANGELOG.md", plan.id)];
        if let Some(yaml) = &plan.new_yaml {
            std::fs::write(
                root.join(format!("standards/{}/standard.yaml", plan.id)),
                yaml,
            )?;
            files.push(format!("standards/{}/standard.yaml", plan.id));
        }
        std::fs::write(root.join(&files[0]), &plan.changelog)?;
        let repo = comparer.repo();
        let commit = repo.commit_files(&files, &format!("Release {} {}", plan.id, plan.version))?;
        repo.create_tag(&tag, commit, &format!("{} {}", plan.id, plan.version))?;
        writeln!(out, "released `{}` {} (tag `{tag}`)", plan.id, plan.version)?;
    }
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_lines_are_edited_in_place() {
        let v = semver::Version::new(1, 3, 0);
        assert_eq!(
            set_version("id: a\nversion: 1.2.0   # current\ntitle: A\n", &v).unwrap(),
            "id: a\nversion: 1.3.0   # current\ntitle: A\n"
        );
        assert_eq!(
            set_version("version: \"1.2.0\"\n", &v).unwrap(),
            "version: \"1.3.0\"\n"
        );
        assert_eq!(set_version("id: a\n", &v), None);
    }

    #[test]
    fn bumps_reset_lower_numbers() {
        let v = semver::Version::parse("1.2.3").unwrap();
        assert_eq!(raise(&v, Bump::Major).to_string(), "2.0.0");
        assert_eq!(raise(&v, Bump::Minor).to_string(), "1.3.0");
        assert_eq!(raise(&v, Bump::Patch).to_string(), "1.2.4");
    }

    #[test]
    fn sections_go_on_top_under_the_title() {
        let first = prepend(None, "ex", "## 0.1.0 (2026-11-27)\n\nFirst.\n\n");
        let second = prepend(Some(&first), "ex", "## 0.2.0 (2026-11-28)\n\nSecond.\n\n");
        assert_eq!(
            second,
            "# Changelog of `ex`\n\n## 0.2.0 (2026-11-28)\n\nSecond.\n\n## 0.1.0 (2026-11-27)\n\nFirst.\n\n"
        );
    }
}
