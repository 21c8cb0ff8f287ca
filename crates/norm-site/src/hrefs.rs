//! The template filters every `href` built from data goes through, whatever lint said.
//!
//! - `external`: an address from the data (`site.repository`, a source's `url`) is kept only
//!   when it is an `https:` or `http:` web address; anything else becomes none, which the
//!   templates show as text.
//! - `mailto`: an e-mail address becomes a `mailto:` link, and nothing else does.
//! - `internal(root)`: a site-relative path, prefixed with the page's `root`. On the home page
//!   `root` is empty, so a path whose first segment reads as a scheme (a standard folder named
//!   `javascript:alert(1)`) or as another host (`//evil`) gets `./` in front and stays a path.
//!
//! [`external`] and [`mailto`] are also what the Rust side uses for the few links it renders
//! into HTML itself (owner and sources in the version metadata), so there is one check.

use minijinja::Value;
use norm_model::model::Owner;
use norm_model::url;

use crate::context::escape;

/// Registers the filters on `env`.
pub fn register(env: &mut minijinja::Environment<'static>) {
    env.add_filter("external", |address: Option<String>| {
        Value::from(address.as_deref().and_then(external))
    });
    env.add_filter("mailto", |address: Option<String>| {
        Value::from(address.as_deref().and_then(mailto))
    });
    env.add_filter("internal", |path: String, root: String| {
        internal(&path, &root)
    });
}

/// `address` when it is a web address, cleaned as a browser reads it.
pub fn external(address: &str) -> Option<String> {
    url::web(address)
}

/// The `mailto:` link of an e-mail address.
pub fn mailto(address: &str) -> Option<String> {
    url::mailto(address)
}

/// The site-relative `path` as seen from a page whose `root` is `../` per level.
/// The 404 page, served at any depth, has the site's own path as its root (`/norm/`): that
/// root already anchors the link, so only a path that would turn it into a host (`//x`) is
/// guarded.
pub fn internal(path: &str, root: &str) -> String {
    let joined = format!("{root}{path}");
    if root.starts_with('/') && !path.starts_with(['/', '\\']) && !joined.starts_with("//") {
        return joined;
    }
    let cleaned = url::as_browser_reads(&joined);
    if url::scheme(&cleaned).is_some() || cleaned.starts_with(['/', '\\']) {
        format!("./{joined}")
    } else {
        joined
    }
}

/// The owner's name, a link when its `url` is a web address, and its e-mail address.
pub fn owner_html(owner: &Owner) -> String {
    let name = escape(&owner.name);
    let name = match owner.url.as_deref().and_then(external) {
        Some(url) => format!("<a href=\"{}\">{name}</a>", escape(&url)),
        None => name,
    };
    let email = owner.email.as_deref().and_then(|e| Some((mailto(e)?, e)));
    match email {
        Some((href, address)) => format!(
            "{name} (<a href=\"{}\">{}</a>)",
            escape(&href),
            escape(address.trim())
        ),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_paths_never_read_as_a_scheme_or_a_host() {
        assert_eq!(internal("ssd/index.html", "../"), "../ssd/index.html");
        assert_eq!(internal("ssd/index.html", ""), "ssd/index.html");
        // The 404 page's root is the site's path: kept as it is, never made relative.
        assert_eq!(internal("index.html", "/norm/"), "/norm/index.html");
        assert_eq!(internal("index.html", "/"), "/index.html");
        assert_eq!(internal("/evil.example/x", "/"), ".///evil.example/x");
        assert_eq!(
            internal("javascript:alert(1)/index.html", ""),
            "./javascript:alert(1)/index.html"
        );
        assert_eq!(internal("//evil.example/x", ""), ".///evil.example/x");
        assert_eq!(internal("\\\\evil.example/x", ""), "./\\\\evil.example/x");
    }

    #[test]
    fn the_filters_drop_other_schemes_in_a_template() {
        let mut env = minijinja::Environment::new();
        register(&mut env);
        let render = |source: &str, url: &str| {
            env.render_str(source, minijinja::context! { url => url })
                .expect("renders")
        };
        let link =
            "{% set u = url | external %}{% if u %}<a href=\"{{ u }}\">x</a>{% else %}x{% endif %}";
        assert_eq!(render(link, "javascript:alert(1)"), "x");
        assert_eq!(
            render(link, "https://example.org"),
            "<a href=\"https://example.org\">x</a>"
        );
        let mail = "{% set u = url | mailto %}{% if u %}{{ u }}{% else %}text{% endif %}";
        assert_eq!(render(mail, "a@example.org"), "mailto:a@example.org");
        assert_eq!(render(mail, "javascript:alert(1)"), "text");
    }
}
