//! `norm init [DIR]`: scaffolds a governed standards repository that passes `norm lint`,
//! `norm check` and `norm release` as created.

use std::io::Write;

use anyhow::{Context, Result, bail};
use norm_cli::cli::InitArgs;
use norm_model::schema::{SchemaKind, json_schema};

use crate::Outcome;

/// Where norm itself lives: the workspace's `repository`, in one place.
const NORM_REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// How a new repository installs norm in its workflows.
const INSTALL: &str = concat!(
    "cargo install --locked --git ",
    env!("CARGO_PKG_REPOSITORY"),
    " norm-cli"
);

/// The lines of the templates that hold the new repository's addresses, as written when the
/// address is not known.
const REPOSITORY_LINE: &str = "  repository: https://github.com/your-org/standards\n";
const BASE_URL_LINE: &str = "  base_url: https://example.org/standards/\n";
const OWNER_PLACEHOLDER: &str = "@your-org/";

/// This repository's own workflows, adapted: they install norm instead of building it here.
fn workflow(ours: &str) -> String {
    ours.replace("cargo build --release --locked", INSTALL)
        .replace("./target/release/norm", "norm")
        .replace(
            "cargo run --release --locked --",
            &format!("{INSTALL} && norm"),
        )
}

/// Every file `norm init` writes: `(path, content)`, with placeholder addresses.
fn files() -> Vec<(String, String)> {
    let mut files = vec![
        ("norm.yaml".to_owned(), include_str!("init/norm.yaml").to_owned()),
        ("standards/example/standard.yaml".into(), include_str!("init/example/standard.yaml").into()),
        ("standards/example/entities/record.yaml".into(), include_str!("init/example/record.yaml").into()),
        (
            "standards/example/codelists/record_status.yaml".into(),
            include_str!("init/example/record_status.yaml").into(),
        ),
        (
            "README.md".into(),
            include_str!("init/README.md").replace("NORM_REPOSITORY", NORM_REPOSITORY),
        ),
        ("CONTRIBUTING.md".into(), include_str!("init/CONTRIBUTING.md").into()),
        (
            ".github/workflows/standards.yml".into(),
            workflow(include_str!("../../../.github/workflows/standards.yml")),
        ),
        (
            ".github/workflows/release.yml".into(),
            workflow(include_str!("../../../.github/workflows/release.yml")),
        ),
        (
            ".github/workflows/pages.yml".into(),
            workflow(include_str!("../../../.github/workflows/pages.yml")),
        ),
        (
            ".github/ISSUE_TEMPLATE/change-request.yml".into(),
            include_str!("../../../.github/ISSUE_TEMPLATE/change-request.yml").replace(
                "options: [csc-codes, ssd, cin-census, ssda903, annex-a, early-help, other]",
                "options: [example, other]",
            ),
        ),
        (
            ".github/PULL_REQUEST_TEMPLATE.md".into(),
            include_str!("../../../.github/PULL_REQUEST_TEMPLATE.md").into(),
        ),
        (
            ".github/CODEOWNERS".into(),
            "# One owner team per standard: they approve changes to it.\n/standards/example/  @your-org/example-curators\n/norm.yaml           @your-org/standards-board\n".into(),
        ),
        (".gitignore".into(), "/_site\n/.norm-cache\n/export\n".into()),
    ];
    files.extend(
        SchemaKind::ALL
            .iter()
            .map(|&k| (format!("docs/schema/{}", k.file_name()), json_schema(k))),
    );
    files
}

/// A repository's web address, from a git remote URL: `git@host:owner/repo.git`,
/// `ssh://git@host/owner/repo` and `https://user:password@host/owner/repo.git` all give
/// `https://host/owner/repo`. Credentials are dropped, never written. `None` for local paths
/// and other schemes.
fn web_address(remote: &str) -> Option<String> {
    let remote = remote.trim();
    let (scheme, rest) = match remote.split_once("://") {
        Some((scheme @ ("https" | "http"), rest)) => (scheme, rest),
        Some(("ssh" | "git", rest)) => ("https", rest),
        Some(_) => return None,
        // scp-like syntax: `[user@]host:path`.
        None => {
            let (host, path) = remote.split_once(':')?;
            if host.contains('/') || path.starts_with('/') {
                return None;
            }
            return web_address(&format!("ssh://{host}/{path}"));
        }
    };
    let (authority, path) = rest.split_once('/')?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    // An ssh port is no part of the web address.
    let host = match scheme {
        "https" if !remote.starts_with("https") => host.split(':').next().unwrap_or(host),
        _ => host,
    };
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~/:%".contains(c))
    };
    (valid(host) && valid(path) && !host.contains('/')).then(|| format!("{scheme}://{host}/{path}"))
}

/// Where the new repository's address came from.
enum Address {
    Given(String),
    Origin(String),
    Unknown,
}

/// The repository's address: `--repository`, else the `origin` remote of the git repository
/// that holds `dir`, if any.
fn address(args: &InitArgs) -> Result<Address> {
    if let Some(given) = &args.repository {
        let web = web_address(given)
            .filter(|w| w.starts_with("https://") || w.starts_with("http://"))
            .filter(|_| given.starts_with("https://") || given.starts_with("http://"))
            .with_context(|| {
                format!(
                    "`--repository {given}` is not a web address: give one such as \
                     https://github.com/your-org/standards"
                )
            })?;
        return Ok(Address::Given(web));
    }
    let origin = norm_git::Repo::open(&args.dir)
        .ok()
        .and_then(|repo| repo.remote_url("origin"))
        .and_then(|url| web_address(&url));
    Ok(origin.map_or(Address::Unknown, Address::Origin))
}

/// The GitHub owner and repository name of a `https://github.com/owner/repo` address.
fn github(address: &str) -> Option<(&str, &str)> {
    let path = address.strip_prefix("https://github.com/")?;
    match path.split('/').collect::<Vec<_>>().as_slice() {
        [owner, repo] => Some((owner, repo)),
        _ => None,
    }
}

/// Writes the repository's address into `files`; returns the settings still holding a
/// placeholder, in words.
fn fill_in(files: &mut [(String, String)], address: Option<&str>) -> Vec<&'static str> {
    let pages = address.and_then(github);
    for (path, content) in files.iter_mut() {
        match path.as_str() {
            "norm.yaml" => {
                if let Some(address) = address {
                    *content =
                        content.replace(REPOSITORY_LINE, &format!("  repository: {address}\n"));
                }
                if let Some((owner, repo)) = pages {
                    let site = format!("https://{}.github.io/{repo}/", owner.to_lowercase());
                    *content = content.replace(BASE_URL_LINE, &format!("  base_url: {site}\n"));
                }
            }
            ".github/CODEOWNERS" => {
                if let Some((owner, _)) = pages {
                    *content = content.replace(OWNER_PLACEHOLDER, &format!("@{owner}/"));
                }
            }
            _ => {}
        }
    }
    let mut placeholders = Vec::new();
    if address.is_none() {
        placeholders.push("site.repository in norm.yaml");
    }
    if pages.is_none() {
        placeholders.push("site.base_url in norm.yaml");
        placeholders.push("the organisation in .github/CODEOWNERS");
    }
    placeholders
}

pub fn run(args: &InitArgs, out: &mut impl Write) -> Result<Outcome> {
    let dir = args.dir.as_path();
    let address = address(args)?;
    let mut files = files();
    let (web, source) = match &address {
        Address::Given(w) => (Some(w.as_str()), "from --repository"),
        Address::Origin(w) => (Some(w.as_str()), "from the `origin` remote"),
        Address::Unknown => (None, ""),
    };
    let placeholders = fill_in(&mut files, web);
    let existing: Vec<&str> = files
        .iter()
        .filter(|(path, _)| dir.join(path).exists())
        .map(|(path, _)| path.as_str())
        .collect();
    if !existing.is_empty() {
        bail!(
            "{} already holds {}; norm init never overwrites files: choose an empty folder",
            dir.display(),
            existing.join(", ")
        );
    }
    for (path, content) in &files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&full, content).with_context(|| format!("writing {}", full.display()))?;
    }
    writeln!(
        out,
        "created a standards repository in {} ({} files)",
        dir.display(),
        files.len()
    )?;
    if let Some(web) = web {
        writeln!(out, "repository: {web} ({source})")?;
    }
    if !placeholders.is_empty() {
        writeln!(
            out,
            "placeholder addresses to replace: {}{}",
            placeholders.join(", "),
            if web.is_none() {
                " (there is no `origin` remote: to fill them in, run `norm init --repository URL` \
                 in an empty folder)"
            } else {
                ""
            }
        )?;
    }
    if NORM_REPOSITORY.contains("//github.com/example/") {
        writeln!(
            out,
            "note: the workflows install norm from {NORM_REPOSITORY}, the address this build of \
             norm has for itself; change it in .github/workflows/ if you get norm elsewhere"
        )?;
    }
    let git_init = if norm_git::Repo::open(dir).is_ok() {
        ""
    } else {
        "`git init`, "
    };
    writeln!(
        out,
        "next: {git_init}commit, then `norm lint` and `norm release example`"
    )?;
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_templates_hold_the_placeholders_init_replaces() {
        let files = files();
        let text = |path: &str| &files.iter().find(|(p, _)| p == path).expect(path).1;
        assert!(text("norm.yaml").contains(REPOSITORY_LINE));
        assert!(text("norm.yaml").contains(BASE_URL_LINE));
        assert!(text(".github/CODEOWNERS").contains(OWNER_PLACEHOLDER));
        assert!(text("README.md").contains(NORM_REPOSITORY));
    }

    #[test]
    fn remote_urls_become_web_addresses_without_credentials() {
        for (remote, web) in [
            (
                "git@github.com:acme/standards.git",
                Some("https://github.com/acme/standards"),
            ),
            (
                "ssh://git@github.com:22/acme/standards",
                Some("https://github.com/acme/standards"),
            ),
            (
                "https://u:p@github.com/acme/standards.git/",
                Some("https://github.com/acme/standards"),
            ),
            (
                "http://git.example.net/a/b",
                Some("http://git.example.net/a/b"),
            ),
            ("/srv/git/standards.git", None),
            ("file:///srv/git/standards.git", None),
            ("javascript:alert(1)", None),
        ] {
            assert_eq!(web_address(remote).as_deref(), web, "{remote}");
        }
    }

    #[test]
    fn workflows_install_norm_instead_of_building_it() {
        let standards = workflow(include_str!("../../../.github/workflows/standards.yml"));
        assert!(standards.contains(INSTALL));
        assert!(!standards.contains("./target/release/norm"));
        let release = workflow(include_str!("../../../.github/workflows/release.yml"));
        assert!(!release.contains("cargo run"));
        let pages = workflow(include_str!("../../../.github/workflows/pages.yml"));
        assert!(pages.contains(INSTALL) && pages.contains("norm build --out _site"));
        assert!(!pages.contains("./target/release/norm"));
    }
}
