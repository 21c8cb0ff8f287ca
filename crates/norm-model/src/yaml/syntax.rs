//! Syntax errors in plain words. The scanner says what it was doing when it stopped ("while
//! scanning a plain scalar, found a tab") and where it noticed, which is often a line after the
//! mistake. This is the one place that turns its reports into what is wrong, where, and how to
//! fix it; a report it does not recognise keeps the scanner's words.

use super::Error;
use super::parse::point;
use crate::diagnostic::{LoaderRule, Span};

/// The error for the scanner's report `info`, noticed at byte offset `at` of `text`.
pub(super) fn syntax_error(text: &str, at: usize, info: &str) -> Error {
    let (span, message, help) = translate(text, at.min(text.len()), info)
        .unwrap_or_else(|| (point(text, at), format!("invalid YAML: {info}"), None));
    let mut error = Error::new(LoaderRule::SyntaxError, message, span);
    error.help = help;
    error
}

type Plain = (Span, String, Option<String>);

fn translate(text: &str, at: usize, info: &str) -> Option<Plain> {
    if info.contains("tab") {
        return tab(text, at);
    }
    // Only reports about structure can be caused by an open bracket; an escape error inside a
    // list is about the escape.
    let structural = [
        "flow",
        "indicator",
        "expected",
        "indentation",
        "end of stream",
    ]
    .iter()
    .any(|w| info.contains(w));
    if let Some(open) = unclosed_flow(text, at).filter(|_| structural) {
        let close = if text.as_bytes()[open] == b'[' {
            ']'
        } else {
            '}'
        };
        let bracket = &text[open..=open];
        return Some((
            point(text, open),
            format!("this `{bracket}` is never closed"),
            Some(format!(
                "close it with `{close}` after the last item, or quote the value if the \
                 `{bracket}` is part of the text"
            )),
        ));
    }
    let here =
        |message: &str, help: &str| Some((point(text, at), message.into(), Some(help.into())));
    if info.contains("trailing content after") {
        return here(
            "text after the closing quote",
            "put the whole value inside the quotes",
        );
    }
    if info.contains("unknown escape") {
        return Some((
            point(text, bad_escape(text, at).unwrap_or(at)),
            "unknown escape sequence in a double-quoted value".into(),
            Some(
                "in double quotes `\\` starts an escape such as `\\n`; write `\\\\` for a \
                 backslash, or use single quotes"
                    .into(),
            ),
        ));
    }
    if info.contains("quoted scalar")
        && let Some(plain) = unclosed_quote(text, at)
    {
        return Some(plain);
    }
    if info.contains("unexpected character") {
        return here(
            "a plain value cannot start with this character",
            "quote the value (`\"...\"`)",
        );
    }
    if info.contains("unknown anchor") {
        return here(
            "this alias names no anchor",
            "an alias `*name` repeats what an earlier `&name` marks; quote the value if the `*` \
             is part of the text",
        );
    }
    if info.contains("expected '-' indicator") {
        return here(
            "this list item is not in line with the items above it",
            "start every `- ` of one list in the same column",
        );
    }
    if info.contains("did not find expected key") {
        return here(
            "unexpected text here: a key (`key: value`) of the mapping was expected",
            "check the indentation, and quote a value that goes on after a `]`, `}` or closing \
             quote",
        );
    }
    if info.contains("mapping values are not allowed") {
        return Some(colon(text, at));
    }
    None
}

/// The start of the line holding byte `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The scanner reports a tab once it has read past it, sometimes at the end of the line before:
/// point at the first tab of the lines around the report.
fn tab(text: &str, at: usize) -> Option<Plain> {
    let from = line_start(text, at);
    let window_end = text[at..]
        .match_indices('\n')
        .nth(1)
        .map_or(text.len(), |(i, _)| at + i);
    let tab = from + text[from..window_end].find('\t')?;
    Some((
        point(text, tab),
        "YAML does not allow tabs: indent with spaces".into(),
        Some("replace the tab with spaces; YAML indentation is made of spaces only".into()),
    ))
}

/// The innermost `[` or `{` that is open at byte `at`, when one is: quoted text, comments and
/// brackets inside plain text are skipped.
fn unclosed_flow(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    // Whether the next non-space character starts a value (line start, `- `, `: `, `,`, `[`).
    let mut value_start = true;
    while i < at.min(bytes.len()) {
        let c = bytes[i];
        match c {
            b'\n' => value_start = true,
            b' ' | b'\t' => {}
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'"' | b'\'' if value_start => {
                i = closing_quote(bytes, i).map_or(bytes.len(), |end| end + 1);
                value_start = false;
                continue;
            }
            b'[' | b'{' if value_start || !open.is_empty() => {
                open.push(i);
                value_start = true;
            }
            b']' | b'}' if !open.is_empty() => {
                let expected = if bytes[open[open.len() - 1]] == b'[' {
                    b']'
                } else {
                    b'}'
                };
                if c != expected {
                    return open.pop();
                }
                open.pop();
                value_start = false;
            }
            b',' if !open.is_empty() => value_start = true,
            b':' | b'-' | b'?' if bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()) => {
                value_start = true;
            }
            _ => value_start = false,
        }
        i += 1;
    }
    open.pop()
}

/// The offset of the quote that closes the quoted scalar opened at `open`, when there is one.
fn closing_quote(bytes: &[u8], open: usize) -> Option<usize> {
    let quote = bytes[open];
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 1,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            c if c == quote => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// A quoted value the scanner could not finish: it is opened at the report and not closed on
/// its line (standards files do not continue quoted text over lines).
fn unclosed_quote(text: &str, at: usize) -> Option<Plain> {
    let bytes = text.as_bytes();
    let quote = *bytes.get(at).filter(|c| matches!(c, b'"' | b'\''))?;
    let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    if closing_quote(bytes, at).is_some_and(|end| end < line_end) {
        return None;
    }
    let quote = quote as char;
    Some((
        point(text, at),
        format!("this `{quote}` is never closed"),
        Some(format!(
            "end the value with `{quote}` on the same line; a value that goes on over several \
             lines needs its next lines indented"
        )),
    ))
}

/// `: ` where the scanner did not expect a key: inside a value, or a key indented under a value.
fn colon(text: &str, at: usize) -> Plain {
    let start = line_start(text, at);
    let line = &text[start..text[start..].find('\n').map_or(text.len(), |n| start + n)];
    let before = &text[start..at];
    let key_end = before.find(": ");
    match key_end {
        // The first `: ` of its line: the line is a key, indented under the line above.
        None => (
            point(text, at),
            "this key is indented more than the key above it".into(),
            Some(
                "keys of one mapping start in the same column; the line above has a value, so \
                 this line cannot hold its keys"
                    .into(),
            ),
        ),
        Some(k) => {
            let key = line[..k].trim_start().trim_start_matches("- ");
            let value = line[k + 2..].trim();
            (
                point(text, at),
                "a `:` followed by a space inside a value".into(),
                Some(format!(
                    "quote the value: `{key}: \"{}\"`",
                    value.replace('"', "\\\"")
                )),
            )
        }
    }
}

/// The backslash of the first escape YAML does not define, in the double-quoted scalar at or
/// after `from` (the scanner reports the scalar's start).
fn bad_escape(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from + text[from..].find('"')? + 1;
    while i < bytes.len() && bytes[i] != b'"' {
        if bytes[i] == b'\\' {
            let known = b"0abt\tnvfre \"/\\N_LPxuU\n";
            if !bytes.get(i + 1).is_some_and(|c| known.contains(c)) {
                return Some(i);
            }
            i += 1;
        }
        i += 1;
    }
    None
}
