//! `norm catalogue`: reads other norm sites' `catalogue.json` and their latest search shards,
//! from the web or local folders, and writes one catalogue site of them all.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use norm_export::catalogue::{self, Catalogue};
use norm_site::federation::Body;

use crate::Outcome;
use crate::build::publish;
use norm_cli::cli::CatalogueArgs;

/// The largest file norm reads from a source: a catalogue of hundreds of standards with their
/// releases is a few megabytes.
const LIMIT: u64 = 64 * 1024 * 1024;

/// Where a source's files are.
enum Source {
    /// A site on the web: its address, ending with `/`.
    Web(String),
    /// A site in a local folder.
    Folder(PathBuf),
}

impl Source {
    /// A web address (of a site, or of its `catalogue.json`) or a local folder (or its
    /// `catalogue.json`).
    fn parse(source: &str) -> Source {
        let lower = source.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let site = source.strip_suffix(catalogue::FILE).unwrap_or(source);
            let site = if site.ends_with('/') {
                site.to_owned()
            } else {
                format!("{site}/")
            };
            return Source::Web(site);
        }
        let path = PathBuf::from(source);
        if path.file_name().is_some_and(|n| n == catalogue::FILE) && path.is_file() {
            return Source::Folder(path.parent().map(Path::to_path_buf).unwrap_or_default());
        }
        Source::Folder(path)
    }

    /// The file at `href` (relative to the site's root), with the address or path it was read
    /// from.
    fn read(&self, agent: &ureq::Agent, href: &str) -> (String, Result<Vec<u8>>) {
        // A catalogue names files of its own site: never another site, nor a file outside the
        // folder it was given.
        let outside = href.starts_with(['/', '\\'])
            || norm_model::url::scheme(href).is_some()
            || href.split(['/', '\\']).any(|part| part == "..");
        if outside {
            return (
                href.to_owned(),
                Err(anyhow!(
                    "not a path inside the site, which a catalogue must name"
                )),
            );
        }
        match self {
            Source::Web(site) => {
                let url = format!("{site}{href}");
                let body = agent
                    .get(&url)
                    .call()
                    .and_then(|mut r| r.body_mut().with_config().limit(LIMIT).read_to_vec())
                    .map_err(|e| match e {
                        ureq::Error::StatusCode(code) => anyhow!("HTTP status {code}"),
                        other => anyhow!(other),
                    });
                (url, body)
            }
            Source::Folder(dir) => {
                let path = dir.join(href);
                let body = std::fs::read(&path).map_err(Into::into);
                (path.display().to_string(), body)
            }
        }
    }
}

/// `to` as a path relative to the folder `from`, `/`-separated and ending with `/`, for links
/// from the catalogue site to a site in a local folder.
fn relative(from: &Path, to: &Path) -> Option<String> {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    let mut out = parts.join("/");
    if !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Reads one source: its catalogue and the search shard of each standard's latest release.
fn read_body(agent: &ureq::Agent, given: &str, out: &Path) -> Result<Body> {
    let source = Source::parse(given);
    let (at, bytes) = source.read(agent, catalogue::FILE);
    let bytes = bytes.with_context(|| format!("{given}: reading {at}"))?;
    let catalogue: Catalogue = serde_json::from_slice(&bytes)
        .with_context(|| format!("{given}: {at} is not a norm catalogue.json"))?;
    if catalogue.format > catalogue::FORMAT {
        bail!(
            "{given}: {at} has format {}, newer than this norm reads ({}): update norm",
            catalogue.format,
            catalogue::FORMAT
        );
    }
    let mut shards = Vec::new();
    for standard in &catalogue.standards {
        let latest = standard
            .latest
            .as_ref()
            .and_then(|v| standard.releases.iter().find(|r| &r.version == v));
        let Some(release) = latest else {
            continue;
        };
        let (at, bytes) = source.read(agent, &release.search);
        let bytes = bytes.with_context(|| format!("{given}: reading {at}"))?;
        let text = String::from_utf8(bytes)
            .ok()
            .filter(|t| serde_json::from_str::<serde_json::Value>(t).is_ok())
            .ok_or_else(|| anyhow!("{given}: {at} is not a search index (JSON)"))?;
        shards.push((standard.id.clone(), text));
    }
    let site = match &source {
        Source::Web(site) => site.clone(),
        Source::Folder(dir) => match catalogue.base_url.as_deref().and_then(norm_model::url::web) {
            Some(url) => url,
            None => {
                let dir = std::path::absolute(dir).with_context(|| dir.display().to_string())?;
                relative(out, &dir).ok_or_else(|| {
                    anyhow!(
                        "{given}: its catalogue has no base_url and the folder shares no root \
                         with {}, so the catalogue cannot link to it",
                        out.display()
                    )
                })?
            }
        },
    };
    Ok(Body {
        site,
        catalogue,
        shards,
    })
}

pub fn run(args: &CatalogueArgs, out: &mut impl Write) -> Result<Outcome> {
    let target = std::path::absolute(&args.out).with_context(|| args.out.display().to_string())?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(args.timeout)))
        .build()
        .into();
    // Every source is read before anything is written, so a failing one changes nothing.
    let bodies = args
        .sources
        .iter()
        .map(|s| read_body(&agent, s, &target))
        .collect::<Result<Vec<Body>>>()?;
    let files = norm_site::federation::render(&bodies, &args.title, None)
        .with_context(|| format!("rendering the catalogue into {}", target.display()))?;
    publish(&target, "norm catalogue", |staging| {
        for (path, content) in &files {
            crate::build::write_file(staging, path, content)?;
        }
        Ok(())
    })?;
    let standards: usize = bodies.iter().map(|b| b.catalogue.standards.len()).sum();
    writeln!(
        out,
        "Wrote the catalogue of {standards} standard{} from {} site{} into {}: {} files.",
        if standards == 1 { "" } else { "s" },
        bodies.len(),
        if bodies.len() == 1 { "" } else { "s" },
        args.out.display(),
        files.len() + 1
    )?;
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn relative_paths_lead_from_the_output_to_the_source() {
        assert_eq!(
            relative(Path::new("/w/out"), Path::new("/w/sites/a")).as_deref(),
            Some("../sites/a/")
        );
        assert_eq!(
            relative(Path::new("/w/out"), Path::new("/w/out/a")).as_deref(),
            Some("a/")
        );
    }

    #[test]
    fn a_catalogue_names_only_files_inside_its_own_site() {
        let agent = ureq::Agent::new_with_defaults();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("inside.json"), "{}").unwrap();
        let source = Source::Folder(dir.path().join("site"));
        for href in [
            "../inside.json",
            "/etc/passwd",
            "https://example.org/x",
            "a/../../x",
        ] {
            let (at, read) = source.read(&agent, href);
            assert_eq!(at, href);
            assert!(read.is_err(), "{href}");
        }
        let (_, read) = Source::Folder(dir.path().to_path_buf()).read(&agent, "inside.json");
        assert_eq!(read.unwrap(), b"{}");
    }

    #[test]
    fn sources_are_web_addresses_or_folders() {
        assert!(
            matches!(Source::parse("https://example.org/std"), Source::Web(s) if s == "https://example.org/std/")
        );
        assert!(
            matches!(Source::parse("HTTP://example.org/std/catalogue.json"), Source::Web(s) if s == "HTTP://example.org/std/")
        );
        assert!(matches!(Source::parse("../site"), Source::Folder(_)));
    }
}
