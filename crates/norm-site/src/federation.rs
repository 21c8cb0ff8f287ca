//! The catalogue site of `norm catalogue`: the standards of several bodies' norm sites, read
//! from their `catalogue.json`, on one page with links to their own sites, and one search
//! across all of them.
//!
//! The search is the site's own ([`crate::search`]): each standard's latest search shard
//! (fetched by the caller) is copied under `<body>/<standard>/<version>/search.json` and goes
//! into one global index, and the manifest gives each standard the address of its version
//! folder on its own site, where the search script sends a reader.

use std::collections::BTreeSet;
use std::path::Path;

use minijinja::context;
use norm_export::catalogue::Catalogue;
use serde::Serialize;
use serde_json::Value;

use crate::context::Tag;
use crate::site::{PageMeta, SiteMeta, depth_root};
use crate::{File, SiteError, search, templates};

/// One body's site, as the caller read it.
#[derive(Debug, Clone)]
pub struct Body {
    /// Where its pages are, ending with `/`: a web address, or a path relative to the
    /// catalogue site's folder.
    pub site: String,
    /// Its `catalogue.json`.
    pub catalogue: Catalogue,
    /// The search shard of each standard's latest release: `(standard id, shard)`.
    pub shards: Vec<(String, String)>,
}

/// A link to another site: a web address, or a path relative to this site's root.
#[derive(Debug, Clone, Serialize)]
struct Away {
    url: Option<String>,
    path: Option<String>,
}

impl Away {
    fn new(site: &str, href: &str) -> Away {
        let target = format!("{site}{href}");
        if norm_model::url::scheme(&target).is_some() {
            Away {
                url: norm_model::url::web(&target),
                path: None,
            }
        } else {
            Away {
                url: None,
                path: Some(target),
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct Row {
    title: String,
    summary: String,
    owner: Option<String>,
    status: Tag,
    version: Option<String>,
    draft: Option<String>,
    href: Away,
}

#[derive(Debug, Clone, Serialize)]
struct BodyView {
    title: String,
    href: Away,
    standards: Vec<Row>,
}

/// A short name for each body, unique among them, for its folder of search shards.
fn slugs(bodies: &[Body]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    bodies
        .iter()
        .map(|b| {
            let word: String = b
                .catalogue
                .title
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let word: Vec<&str> = word.split('-').filter(|w| !w.is_empty()).collect();
            let base = if word.is_empty() {
                "site".to_owned()
            } else {
                word.join("-")
            };
            let mut slug = base.clone();
            let mut n = 1;
            while !seen.insert(slug.clone()) {
                n += 1;
                slug = format!("{base}-{n}");
            }
            slug
        })
        .collect()
}

/// Every file of the catalogue site: its pages rendered with the default theme (or `templates`'
/// overrides), its assets and its search index.
pub fn render(
    bodies: &[Body],
    title: &str,
    templates: Option<&Path>,
) -> Result<Vec<File>, SiteError> {
    let theme = templates::Theme::load(templates)?;
    let env = theme.environment()?;
    let site = SiteMeta {
        title: title.to_owned(),
        repository: None,
        base_url: None,
        generator: format!("norm {}", env!("CARGO_PKG_VERSION")),
        federation: true,
    };
    let slugs = slugs(bodies);
    let mut views = Vec::new();
    let mut manifest = Vec::new();
    let mut shards = Vec::new();
    let mut files: Vec<File> = Vec::new();
    for (body, slug) in bodies.iter().zip(&slugs) {
        let c = &body.catalogue;
        let mut rows = Vec::new();
        for s in &c.standards {
            rows.push(Row {
                title: s.title.clone(),
                summary: s.summary.clone().unwrap_or_default(),
                owner: s.owner.clone(),
                status: Tag::new(&s.status),
                version: s.latest.clone(),
                draft: s.draft.as_ref().map(|d| d.version.clone()),
                href: Away::new(&body.site, &s.href),
            });
            let latest = s
                .latest
                .as_ref()
                .and_then(|v| s.releases.iter().find(|r| &r.version == v));
            let shard = body.shards.iter().find(|(id, _)| id == &s.id);
            let (Some(release), Some((_, shard))) = (latest, shard) else {
                continue;
            };
            let Ok(mut doc) = serde_json::from_str::<Value>(shard) else {
                continue;
            };
            let id = format!("{slug}/{}", s.id);
            doc["s"] = Value::from(id.clone());
            doc["v"] = Value::from(release.version.clone());
            let text = doc.to_string();
            files.push((
                format!("{id}/{}/search.json", release.version),
                text.clone().into_bytes(),
            ));
            shards.push(text);
            let folder = release.href.strip_suffix("index.html").unwrap_or("");
            let away = Away::new(&body.site, folder);
            manifest.push(search::ManifestEntry {
                id,
                title: format!("{} ({})", s.title, c.title),
                latest: release.version.clone(),
                versions: vec![release.version.clone()],
                href: away.url.or(away.path),
            });
        }
        views.push(BodyView {
            title: c.title.clone(),
            href: Away::new(&body.site, "index.html"),
            standards: rows,
        });
    }
    let page = |path: &str, title: &str, description: &str, crumbs: bool| PageMeta {
        root: depth_root(path),
        path: path.to_owned(),
        title: title.to_owned(),
        description: description.to_owned(),
        breadcrumbs: if crumbs {
            vec![crate::context::Link {
                label: "Catalogue".into(),
                href: Some("index.html".into()),
            }]
        } else {
            Vec::new()
        },
        banner: None,
        canonical: None,
    };
    let pages = [
        (
            "index.html",
            "catalogue.html",
            context! { site => &site, page => page("index.html", title, "The data standards of several bodies, their statuses and latest versions.", false), bodies => &views },
        ),
        (
            "search.html",
            "search.html",
            context! { site => &site, page => page("search.html", "Search", "Search every entity, field, code list and code of every body's standards.", true), standards => &manifest },
        ),
        (
            "accessibility.html",
            "accessibility.html",
            context! { site => &site, page => page("accessibility.html", "Accessibility statement", "How accessible this site is and how to report a problem.", true) },
        ),
    ];
    for (path, template, ctx) in pages {
        let error = |e: minijinja::Error| SiteError::Template {
            name: template.to_owned(),
            message: format!("{e:#}"),
        };
        let html = env
            .get_template(template)
            .and_then(|t| t.render(&ctx))
            .map_err(error)?;
        files.push((path.to_owned(), html.into_bytes()));
    }
    for name in templates::ASSETS {
        files.push(((*name).to_owned(), theme.files[*name].clone().into_bytes()));
    }
    search::global_index::<std::convert::Infallible>(shards, &mut |file| {
        files.push(file);
        Ok(())
    })
    .unwrap_or_else(|never| match never {});
    files.push((
        "assets/search-index.json".into(),
        search::manifest(&manifest),
    ));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(title: &str) -> Body {
        Body {
            site: "https://example.org/".into(),
            catalogue: Catalogue {
                format: 1,
                title: title.into(),
                base_url: None,
                generator: "norm".into(),
                standards: Vec::new(),
            },
            shards: Vec::new(),
        }
    }

    #[test]
    fn each_body_gets_its_own_folder_name() {
        let bodies = [
            body("Data to Insight"),
            body("Data to insight!"),
            body("***"),
        ];
        assert_eq!(
            slugs(&bodies),
            ["data-to-insight", "data-to-insight-2", "site"]
        );
    }

    #[test]
    fn links_away_are_web_addresses_or_paths_never_other_schemes() {
        let web = Away::new("https://example.org/std/", "ssd/index.html");
        assert_eq!(
            web.url.as_deref(),
            Some("https://example.org/std/ssd/index.html")
        );
        let path = Away::new("../other/", "ssd/index.html");
        assert_eq!(path.path.as_deref(), Some("../other/ssd/index.html"));
        let bad = Away::new("javascript:alert(1)//", "x");
        assert_eq!((bad.url, bad.path), (None, None));
    }
}
