//! Text changes for people: the old and new descriptions rendered from Markdown first, then
//! compared word by word, with insertions and deletions marked for screen readers too.
//!
//! `norm diff` compares the Markdown source, which is right for a pull request, but on a page
//! it shows literal backticks and runs paragraphs together. Here each side becomes a list of
//! tokens: a word, a space, an inline code span or a paragraph break, each a fragment of HTML
//! that is whole by itself (text escaped, no tag left open), so any run of them can be wrapped
//! in `<ins>` or `<del>` and the result is still well formed. The tokens are compared by
//! [`norm_diff::text::edit`], the comparison `norm diff` makes, so a rewritten paragraph shows
//! as its old text and its new, not as alternating words. Only fixed tags are written; raw
//! HTML in a description and link targets are dropped, as nothing from the data may become
//! markup.

use norm_diff::text::{Op, edit};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::context::escape;

/// A paragraph break between tokens.
const BREAK: &str = "\n\n";

/// Adds a space, unless the tokens already end in one or in a break.
fn push_space(out: &mut Vec<String>) {
    if out.last().is_some_and(|t| t != " " && t != BREAK) {
        out.push(" ".to_owned());
    }
}

/// Adds a paragraph break, unless the tokens already end in one.
fn push_break(out: &mut Vec<String>) {
    if out.last().is_some_and(|t| t != BREAK) {
        out.push(BREAK.to_owned());
    }
}

/// The tokens of Markdown `text`.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for event in Parser::new(text) {
        match event {
            Event::Text(t) => {
                let mut word = String::new();
                for c in t.chars() {
                    if c.is_whitespace() {
                        if !word.is_empty() {
                            out.push(escape(&std::mem::take(&mut word)));
                        }
                        push_space(&mut out);
                    } else {
                        word.push(c);
                    }
                }
                if !word.is_empty() {
                    out.push(escape(&word));
                }
            }
            Event::Code(t) => out.push(format!("<code>{}</code>", escape(&t))),
            Event::SoftBreak | Event::HardBreak => push_space(&mut out),
            Event::Start(Tag::Item) => {
                push_break(&mut out);
                out.push("•".to_owned());
                out.push(" ".to_owned());
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => push_break(&mut out),
            _ => {}
        }
    }
    while out.last().is_some_and(|t| t == BREAK || t == " ") {
        out.pop();
    }
    out
}

/// Wraps a run of changed tokens, keeping the spaces around it outside the mark.
fn mark(run: &str, tag: &str, label: &str) -> String {
    let core = run.trim_matches(' ');
    if core.is_empty() {
        return run.to_owned();
    }
    let start = run.len() - run.trim_start_matches(' ').len();
    let end = start + core.len();
    format!(
        "{}<{tag}><span class=\"govuk-visually-hidden\">{label} </span>{core}</{tag}>{}",
        &run[..start],
        &run[end..]
    )
}

/// The word diff of Markdown `old` and `new` as HTML paragraphs, insertions and deletions in
/// `<ins>` and `<del>` that begin with a visually hidden "added:" or "removed:".
pub fn html(old: &str, new: &str) -> String {
    let (old, new) = (tokens(old), tokens(new));
    let old: Vec<&str> = old.iter().map(String::as_str).collect();
    let new: Vec<&str> = new.iter().map(String::as_str).collect();
    let mut paragraphs: Vec<String> = Vec::new();
    let mut paragraph = String::new();
    let mut run = (Op::Equal, String::new());
    let flush = |run: &mut (Op, String), paragraph: &mut String| {
        let text = std::mem::take(&mut run.1);
        paragraph.push_str(&match run.0 {
            Op::Equal => text,
            Op::Delete => mark(&text, "del", "removed:"),
            Op::Insert => mark(&text, "ins", "added:"),
        });
    };
    for (op, token) in edit(&old, &new) {
        if token == BREAK {
            flush(&mut run, &mut paragraph);
            if !paragraph.trim().is_empty() {
                paragraphs.push(std::mem::take(&mut paragraph));
            }
            paragraph.clear();
            continue;
        }
        if op != run.0 {
            flush(&mut run, &mut paragraph);
            run.0 = op;
        }
        run.1.push_str(token);
    }
    flush(&mut run, &mut paragraph);
    if !paragraph.trim().is_empty() {
        paragraphs.push(paragraph);
    }
    paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>", p.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::html;

    #[test]
    fn markdown_is_rendered_before_the_words_are_compared() {
        assert_eq!(
            html("Use `sex` here.", "Use `sex_code` here."),
            "<p>Use <del><span class=\"govuk-visually-hidden\">removed: </span><code>sex</code></del>\
             <ins><span class=\"govuk-visually-hidden\">added: </span><code>sex_code</code></ins> here.</p>"
        );
    }

    #[test]
    fn paragraphs_stay_apart() {
        assert_eq!(
            html("One.\n\nTwo words.", "One.\n\nTwo more words."),
            "<p>One.</p><p>Two <ins><span class=\"govuk-visually-hidden\">added: </span>more</ins> words.</p>"
        );
    }

    #[test]
    fn a_rewritten_paragraph_is_one_removal_and_one_addition() {
        let out = html(
            "Whether the child is `looked after` on the day.\n\nKept as it was.",
            "The legal status that applies to the child today.\n\nKept as it was.",
        );
        assert_eq!(out.matches("<del>").count(), 1, "{out}");
        assert_eq!(out.matches("<ins>").count(), 1, "{out}");
        assert!(out.ends_with("<p>Kept as it was.</p>"), "{out}");
    }

    #[test]
    fn nothing_from_the_data_becomes_markup() {
        let out = html(
            "Safe.",
            "Safe <script>alert(1)</script> [x](javascript:alert(2)) <b>&</b>",
        );
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(!out.contains("<b>"), "{out}");
        assert!(out.contains("&amp;"), "{out}");
    }
}
