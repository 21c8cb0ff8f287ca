//! The templates and assets of the site: the default theme is embedded in the binary, and a
//! repository's own `templates/` folder overrides it file by file.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use crate::SiteError;
use crate::hrefs;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../templates/", $name)))),*]
    };
}

/// The default theme: `(name, source)`.
pub const DEFAULTS: &[(&str, &str)] = embed![
    "base.html",
    "macros.html",
    "index.html",
    "catalogue.html",
    "version.html",
    "entity.html",
    "codelist.html",
    "rules.html",
    "changes.html",
    "changelog.html",
    "consultation.html",
    "search.html",
    "404.html",
    "accessibility.html",
    "feed.xml",
    "sitemap.xml",
    "assets/norm.css",
    "assets/search.js",
    "assets/favicon.svg",
];

/// Files copied to the site as they are, not rendered.
pub const ASSETS: &[&str] = &["assets/norm.css", "assets/search.js", "assets/favicon.svg"];

/// The templates in force: the defaults with a repository's overrides.
pub struct Theme {
    /// Every file by name.
    pub files: BTreeMap<String, String>,
    /// The names a repository overrides.
    pub overridden: Vec<String>,
}

impl Theme {
    /// The defaults, with each file of `dir` (when it exists) that has a default's name taking
    /// its place. Files of `dir` with other names are ignored, so a repository's unrelated
    /// files never end up on the site.
    pub fn load(dir: Option<&Path>) -> Result<Theme, SiteError> {
        let mut files = BTreeMap::new();
        let mut overridden = Vec::new();
        for (name, source) in DEFAULTS {
            let custom = dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let text = match custom {
                Some(path) => {
                    let text = std::fs::read_to_string(&path).map_err(|source| SiteError::Io {
                        path: path.display().to_string(),
                        source,
                    })?;
                    if text != *source {
                        overridden.push((*name).to_owned());
                    }
                    text
                }
                None => (*source).to_owned(),
            };
            files.insert((*name).to_owned(), text);
        }
        Ok(Theme { files, overridden })
    }

    /// A digest of every file, for the cache key.
    pub fn digest(&self) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        self.files.hash(&mut h);
        h.finish()
    }

    /// The template environment: strict undefined (a typo in a template is an error, not an
    /// empty string), HTML escaping for `.html` and `.xml`.
    pub fn environment(&self) -> Result<Environment<'static>, SiteError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") || name.ends_with(".xml") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        // minijinja's HTML escaping also escapes `/`, which turns every link into
        // `..&#x2f;..&#x2f;`: valid, but unreadable in the source and in diffs of the site.
        // Escape only what HTML needs.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(text) if state.auto_escape() == AutoEscape::Html && !value.is_safe() => {
                out.write_str(&crate::context::escape(text))?;
                Ok(())
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        hrefs::register(&mut env);
        env.set_keep_trailing_newline(true);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        for (name, source) in &self.files {
            if ASSETS.contains(&name.as_str()) {
                continue;
            }
            env.add_template_owned(name.clone(), source.clone())
                .map_err(|e| SiteError::Template {
                    name: name.clone(),
                    message: format!("{e:#}"),
                })?;
        }
        Ok(env)
    }
}
