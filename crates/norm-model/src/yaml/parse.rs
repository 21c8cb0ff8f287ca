//! Text to [`Node`] tree: the parser's events assembled with positions, limits and duplicate
//! keys checked on the way.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::limits::{Budget, Weight, check_depth};
use super::syntax::syntax_error;
use super::{Error, Node, NodeKind};
use crate::diagnostic::{LoaderRule, Span};

/// Converts positions reported by the parser (character index, line, character column) into
/// byte offsets.
struct Positions<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// In ASCII text a character index is a byte offset: the common case, and a fast one.
    ascii: bool,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Positions {
            text,
            line_starts,
            ascii: text.is_ascii(),
        }
    }

    fn span(&self, start: saphyr_parser::Marker, end: saphyr_parser::Marker) -> Span {
        let (s, e) = (self.offset(start), self.offset(end));
        Span {
            start: s,
            end: e.max(s),
            line: start.line() as u32,
            column: start.col() as u32 + 1,
        }
    }

    fn offset(&self, m: saphyr_parser::Marker) -> usize {
        if self.ascii {
            return m.index().min(self.text.len());
        }
        let Some(&line_start) = self.line_starts.get(m.line().saturating_sub(1)) else {
            return self.text.len();
        };
        let line = &self.text[line_start..];
        line_start
            + line
                .char_indices()
                .nth(m.col())
                .map_or(line.len(), |(i, _)| i)
    }
}

/// Byte offset to a [`Span`] of one character (used for errors that come with a byte offset only).
pub fn point(text: &str, offset: usize) -> Span {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    let end = text[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8());
    Span {
        start: offset,
        end,
        line: line as u32,
        column: column as u32,
    }
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

/// The result of parsing one YAML text.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The document, when the text held exactly one and it parsed.
    pub root: Option<Node>,
    /// Problems found; a duplicate key does not stop parsing, a syntax error does.
    pub errors: Vec<Error>,
}

/// Parses one YAML document into a [`Node`] tree.
///
/// An empty text, several documents, a syntax error, too deep nesting or too large an alias
/// expansion give no root and an error; duplicate keys are reported and the first one kept.
pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    match build(text, &mut out.errors) {
        Ok(root) => out.root = root,
        Err(e) => out.errors.push(e),
    }
    out
}

fn build(text: &str, errors: &mut Vec<Error>) -> Result<Option<Node>, Error> {
    let pos = Positions::new(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, Weight)> = HashMap::new();
    let mut sizes: Vec<Weight> = Vec::new();
    let mut budget = Budget::default();
    let mut root: Option<Node> = None;
    let mut documents = 0;

    for event in Parser::new_from_str(text) {
        let (event, span) =
            event.map_err(|e| syntax_error(text, pos.offset(*e.marker()), e.info()))?;
        let span = pos.span(span.start, span.end);
        let (node, size, anchor) = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(Error::new(
                        LoaderRule::SyntaxError,
                        "a standards file holds one YAML document; this is a second one",
                        span,
                    ));
                }
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                let tagged_str = tag.as_deref().is_some_and(is_str_tag);
                if let Some(tag) = tag.as_deref().filter(|t| !is_str_tag(t)) {
                    errors.push(unsupported_tag(text, tag, span));
                }
                let plain = style == ScalarStyle::Plain && !tagged_str;
                let size = Weight::node(value.len());
                let kind = if plain && matches!(&*value, "" | "~" | "null" | "Null" | "NULL") {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar {
                        value: value.into_owned(),
                        plain,
                    }
                };
                (Node { span, kind }, size, anchor)
            }
            Event::SequenceStart(anchor, tag) => {
                check_depth(stack.len(), span)?;
                if let Some(tag) = tag.as_deref() {
                    errors.push(unsupported_tag(text, tag, span));
                }
                stack.push(Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                });
                sizes.push(Weight::node(0));
                continue;
            }
            Event::MappingStart(anchor, tag) => {
                check_depth(stack.len(), span)?;
                if let Some(tag) = tag.as_deref() {
                    errors.push(unsupported_tag(text, tag, span));
                }
                stack.push(Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                });
                sizes.push(Weight::node(0));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let size = sizes.pop().unwrap_or_default();
                match stack.pop() {
                    Some(Frame::Seq {
                        start,
                        anchor,
                        items,
                    }) => (
                        Node {
                            span: start.to(span),
                            kind: NodeKind::Seq(items),
                        },
                        size,
                        anchor,
                    ),
                    Some(Frame::Map {
                        start,
                        anchor,
                        entries,
                        ..
                    }) => (
                        Node {
                            span: start.to(span),
                            kind: NodeKind::Map(entries),
                        },
                        size,
                        anchor,
                    ),
                    None => continue,
                }
            }
            Event::Alias(id) => {
                let Some((node, size)) = anchors.get(&id) else {
                    return Err(Error::new(
                        LoaderRule::SyntaxError,
                        "alias to an unknown anchor",
                        span,
                    ));
                };
                budget.alias(*size, span)?;
                let mut node = node.clone();
                node.span = span;
                (node, *size, 0)
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {
                continue;
            }
        };
        budget.add(size, node.span)?;
        if anchor != 0 {
            anchors.insert(anchor, (node.clone(), size));
        }
        if let Some(parent) = sizes.last_mut() {
            parent.add(size);
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    // Mappings are small: a scan beats hashing every key.
                    let first = k.as_str().and_then(|name| {
                        entries
                            .iter()
                            .find(|(other, _)| other.as_str() == Some(name))
                            .map(|(other, _)| (name, other.span.line))
                    });
                    match first {
                        Some((name, line)) => errors.push(Error::new(
                            LoaderRule::DuplicateKey,
                            format!(
                                "duplicate key `{name}` (first defined on line {line}); \
                                 this one is ignored"
                            ),
                            k.span,
                        )),
                        None => entries.push((k, node)),
                    }
                }
            },
        }
    }
    Ok(root)
}

/// The core schema's `!!str`: the one tag norm reads, because it only says what quotes say.
fn is_str_tag(tag: &Tag) -> bool {
    tag.is_yaml_core_schema() && tag.suffix == "str"
}

/// A tag norm does not read. Tags ask a loader to construct something (`!include` a file,
/// `!!python/object` an object); norm reads data only, and a tag it ignored would make the value
/// mean something else to another tool.
fn unsupported_tag(text: &str, tag: &Tag, node: Span) -> Error {
    let written = if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        tag.to_string()
    };
    // The event starts at its value; the tag is written before it, possibly on an earlier line.
    let span = text[..node.end.min(text.len())]
        .rfind(&written)
        .map_or(node, |at| Span {
            end: at + written.len(),
            ..point(text, at)
        });
    let mut error = Error::new(
        LoaderRule::UnsupportedTag,
        format!("norm does not read YAML tags such as `{written}`"),
        span,
    );
    error.help = Some(
        "remove the tag and write the value itself; the only tag norm reads is `!!str`, which \
         keeps a value as text (as quotes do)"
            .into(),
    );
    error
}
