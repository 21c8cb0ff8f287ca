//! Which addresses from data may become links: web addresses (`https:`, `http:`) and e-mail
//! addresses (as `mailto:`), nothing else.
//!
//! A `javascript:` or `data:` address in `owner.url` would run in the reader's browser when
//! clicked, so the lint rule `unsafe-url` and the site's link filters share these checks. They
//! read an address the way a browser does (WHATWG URL): leading and trailing spaces and control
//! characters are ignored and tabs and newlines anywhere are dropped, so `" java\tscript:"` is
//! seen as the `javascript:` it becomes.

/// `url` as a browser reads it: surrounding spaces and control characters trimmed, tabs and
/// newlines removed.
pub fn as_browser_reads(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// The scheme of `url` in lower case (`https`, `javascript`), or `None` for a relative address.
pub fn scheme(url: &str) -> Option<String> {
    let url = as_browser_reads(url);
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (starts_with_letter && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then(|| scheme.to_ascii_lowercase())
}

/// `url` cleaned as a browser reads it, when it is an `https:` or `http:` address with a host;
/// `None` for any other scheme and for relative addresses.
pub fn web(url: &str) -> Option<String> {
    let cleaned = as_browser_reads(url);
    let scheme = scheme(&cleaned)?;
    let rest = &cleaned[scheme.len() + 1..];
    let has_host = rest
        .strip_prefix("//")
        .is_some_and(|r| r.chars().next().is_some_and(|c| !matches!(c, '/' | '\\')));
    (matches!(scheme.as_str(), "https" | "http") && has_host).then_some(cleaned)
}

/// The `mailto:` link of an e-mail address, when `address` is one: one `@` between a local
/// part and a domain, and nothing that could start a header, a second address or a scheme.
pub fn mailto(address: &str) -> Option<String> {
    let address = address.trim();
    let (local, domain) = address.split_once('@')?;
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| {
                c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '+' | '\'' | '!' | '%')
            })
    };
    (plain(local) && plain(domain) && domain.contains('.')).then(|| format!("mailto:{address}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_with_a_host_are_web_links() {
        assert_eq!(
            web("https://example.org/a").as_deref(),
            Some("https://example.org/a")
        );
        assert_eq!(
            web(" HTTP://example.org ").as_deref(),
            Some("HTTP://example.org")
        );
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "mailto:a@example.org",
            "https:evil",
            "https:///evil",
            "www.example.org",
            "//example.org",
            "/relative",
            "",
        ] {
            assert_eq!(web(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        assert_eq!(scheme("ja\nva\rscript:x").as_deref(), Some("javascript"));
        assert_eq!(scheme("ssd/1.0.0/index.html"), None);
        assert_eq!(scheme("a/b:c"), None);
        assert_eq!(scheme("1x:y"), None);
    }

    #[test]
    fn mailto_only_for_plain_addresses() {
        assert_eq!(
            mailto("data@example.org").as_deref(),
            Some("mailto:data@example.org")
        );
        for bad in [
            "javascript:alert(1)@x.org",
            "a@b",
            "a@example.org?subject=x",
            "a@example.org,b@example.org",
            "a b@example.org",
            "@example.org",
            "nobody",
        ] {
            assert_eq!(mailto(bad), None, "{bad:?}");
        }
    }
}
