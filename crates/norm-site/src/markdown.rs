//! Markdown in descriptions, rendered to HTML that is safe to publish.
//!
//! Descriptions come from pull requests by anyone, so the HTML pulldown-cmark produces is
//! cleaned by ammonia: raw HTML such as `<script>` or an `onerror` attribute is removed, links
//! keep only web and e-mail addresses (the schemes `norm_model::url` allows elsewhere) and get
//! `rel="noopener noreferrer"`.

use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html};

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    // Headings inside a description would break the page's heading outline: keep their text.
    builder.rm_tags(["h1", "h2", "h3", "h4", "h5", "h6", "img"]);
    builder.link_rel(Some("noopener noreferrer"));
    // ammonia's default list also allows `tel:`, `sms:`, `magnet:`, `ssh:` and a dozen more:
    // a description links to web pages and e-mail addresses only, as the rest of the site does.
    builder.url_schemes(["https", "http", "mailto"].into());
    builder
});

/// Renders Markdown `text` as sanitised HTML (block level: paragraphs, lists, code).
pub fn to_html(text: &str) -> String {
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    CLEANER.clean(&raw).to_string()
}

/// Renders the first paragraph of Markdown `text` as sanitised inline HTML, for table cells.
pub fn to_inline_html(text: &str) -> String {
    let first = text.split("\n\n").next().unwrap_or_default();
    let html = to_html(first);
    let trimmed = html.trim();
    trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(trimmed)
        .to_owned()
}

/// The plain text of Markdown `text`, for search entries and meta descriptions.
pub fn to_plain(text: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::with_capacity(text.len());
    for event in Parser::new(text) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first sentence of markdown `text` as plain text, cut at `max` characters on a word
/// boundary.
pub fn summary(text: &str, max: usize) -> String {
    first_sentence(&to_plain(text), max)
}

/// The first sentence of `plain` (text as [`to_plain`] gives it), cut at `max` characters on a
/// word boundary.
pub fn first_sentence(plain: &str, max: usize) -> String {
    let sentence = match plain.find(". ") {
        Some(end) => &plain[..=end],
        None => plain,
    };
    if sentence.chars().count() <= max {
        return sentence.to_owned();
    }
    let cut: String = sentence.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_and_event_handlers_are_removed() {
        let html = to_html(
            "Hello <script>alert(1)</script> <img src=x onerror=\"alert(2)\"> \
             [x](javascript:alert(3)) <a href=\"https://example.org\" onclick=\"alert(4)\">ok</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("https://example.org"), "{html}");
    }

    #[test]
    fn links_keep_only_web_and_email_addresses() {
        let html = to_html(
            "[a](tel:123) [b](data:text/html,x) [c](vbscript:x) [d](mailto:a@example.org) [e](https://example.org)",
        );
        for gone in ["tel:", "data:", "vbscript:"] {
            assert!(!html.contains(gone), "{gone}: {html}");
        }
        assert!(html.contains("href=\"mailto:a@example.org\""), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
    }

    #[test]
    fn markdown_renders_and_inline_drops_the_paragraph() {
        assert_eq!(to_html("A *b* `c`"), "<p>A <em>b</em> <code>c</code></p>\n");
        assert_eq!(to_inline_html("One.\n\nTwo."), "One.");
        assert_eq!(to_plain("# Title\n\nSome *text*."), "Title Some text.");
        assert_eq!(summary("First one. Second one.", 100), "First one.");
        assert_eq!(summary("a long sentence here", 10), "a long…");
    }
}
