//! The `unsafe-url` rule.

use norm_model::model::Source;
use norm_model::{ElementPath, Location, url};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports an address that is not an `https:` or `http:` web address where norm makes a
    /// link: `site.repository` and `site.base_url` in `norm.yaml`, a standard's `owner.url`,
    /// the `url` of its `sources` and the `source.url` of a code list.
    ///
    /// ## Why is this bad?
    /// A `javascript:` or `data:` address runs in the reader's browser when the link is
    /// followed, so anyone who can change a standard could act in the name of every reader of
    /// the site. An address without a scheme (`www.gov.uk/...`) is read as a page of the site
    /// itself and leads nowhere. The site shows such an address as text, never as a link.
    ///
    /// ## Example
    /// ```yaml
    /// owner:
    ///   name: Data to Insight
    ///   url: javascript:alert(document.cookie)
    /// sources:
    ///   - title: CIN census guide
    ///     url: www.gov.uk/government/publications/children-in-need-census
    /// ```
    /// Use instead:
    /// ```yaml
    /// owner:
    ///   name: Data to Insight
    ///   url: https://www.datatoinsight.org/
    /// sources:
    ///   - title: CIN census guide
    ///     url: https://www.gov.uk/government/publications/children-in-need-census
    /// ```
    pub struct UnsafeUrl { id: "unsafe-url", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for UnsafeUrl {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        if let Some(config) = &catalog.config {
            let site = config.value.site.as_ref();
            for (key, value) in [
                ("repository", site.and_then(|s| s.repository.as_deref())),
                ("base_url", site.and_then(|s| s.base_url.as_deref())),
            ] {
                if let Some(value) = value {
                    let at = Location::file(config.file).key("site").key(key);
                    out.extend(finding(at, None, &format!("`site.{key}`"), value));
                }
            }
        }
        for standard in catalog.standards.values() {
            let Some(meta) = &standard.meta else { continue };
            let path = ElementPath::standard(standard.id());
            let file = Location::file(meta.file);
            if let Some(url) = meta.value.owner.as_ref().and_then(|o| o.url.as_deref()) {
                let at = file.clone().key("owner").key("url");
                out.extend(finding(at, Some(&path), "`owner.url`", url));
            }
            for (i, source) in meta.value.sources.iter().enumerate() {
                let at = file.clone().key("sources").index(i);
                out.extend(source_finding(at, &path, source));
            }
        }
        for (standard, list) in catalog.codelists() {
            if let Some(source) = &list.value.source {
                let at = Location::file(list.file).key("source");
                let path = ElementPath::codelist(standard.id(), &list.value.name);
                out.extend(source_finding(at, &path, source));
            }
        }
    }
}

/// The finding for the `url` of the source at `at`, if it is unsafe.
fn source_finding(at: Location, path: &ElementPath, source: &Source) -> Option<Finding> {
    let url = source.url.as_deref()?;
    let what = format!("the `url` of source \"{}\"", source.title);
    finding(at.key("url"), Some(path), &what, url)
}

/// The finding for `value`, written at `at`, when it is not a web address.
fn finding(at: Location, path: Option<&ElementPath>, what: &str, value: &str) -> Option<Finding> {
    if url::web(value).is_some() {
        return None;
    }
    let (message, help) = match url::scheme(value) {
        Some(scheme) => (
            format!("{what} is a `{scheme}:` address, which the site will not link to"),
            "only `https:` and `http:` addresses become links: use the address of a web page",
        ),
        None => (
            format!("{what} `{value}` is not a web address"),
            "write the whole address, starting with `https://`",
        ),
    };
    Some(
        Finding {
            location: at,
            path: path.cloned(),
            message,
            help: None,
        }
        .help(help),
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_scripts_and_addresses_without_a_scheme() {
        let found = run(
            "unsafe-url",
            &[
                (
                    "norm.yaml",
                    "site:\n  repository: \" JavaScript:alert(1)\"\n  base_url: https://example.org/\n",
                ),
                (
                    "standards/demo/standard.yaml",
                    "id: demo\ntitle: Demo\nversion: 1.0.0\nowner:\n  name: D2I\n  url: javascript:alert(2)\nsources:\n  - title: Guide\n    url: https://example.org/guide\n  - title: Spec\n    url: \"data:text/html,<script>alert(3)</script>\"\n",
                ),
                (
                    "standards/demo/codelists/sex.yaml",
                    "name: sex\ntitle: Sex\nsource:\n  title: CBDS\n  url: www.gov.uk/cbds\ncodes:\n  - code: M\n    label: Male\n",
                ),
            ],
        );
        insta::assert_snapshot!(found.join("\n"));
    }

    #[test]
    fn is_silent_on_web_addresses() {
        let found = run(
            "unsafe-url",
            &[
                (
                    "norm.yaml",
                    "site:\n  repository: https://github.com/example/standards\n  base_url: http://localhost:8000/\n",
                ),
                (
                    "standards/demo/standard.yaml",
                    "id: demo\ntitle: Demo\nversion: 1.0.0\nowner:\n  name: D2I\n  url: https://www.datatoinsight.org/\n  email: data@example.org\nsources:\n  - title: Guide\n    url: HTTPS://example.org/guide\n  - title: Book without address\n",
                ),
                (
                    "standards/demo/codelists/sex.yaml",
                    "name: sex\ntitle: Sex\nsource:\n  title: CBDS\n  url: https://www.gov.uk/cbds\ncodes:\n  - code: M\n    label: Male\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
