//! All YAML handling of norm lives in this module.
//!
//! Text is parsed with `saphyr-parser` into a [`Node`] tree that keeps the byte span, line and
//! column of every node, then deserialised into the typed model through [`NodeDeserializer`], a
//! serde `Deserializer` over that tree. Working on a tree rather than a token stream is what makes
//! the loader tolerant: an element that fails to deserialise is reported and skipped
//! ([`elements`], [`lenient`]) while its siblings still load, and unknown keys are reported with a
//! did-you-mean and skipped instead of failing the whole file.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use crate::diagnostic::Span;

/// Largest number of nodes one document may expand to, aliases included. It stops "billion
/// laughs" documents long before they exhaust memory; a real standards file has a few thousand.
pub const MAX_NODES: usize = 1_000_000;

/// Deepest nesting of lists and mappings accepted. The format needs five levels; the limit keeps
/// recursion in the deserialiser (and in `Drop`) far from the stack's end.
pub const MAX_DEPTH: usize = 64;

/// A YAML node with its position in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node is in the source text.
    pub span: Span,
    /// What the node holds.
    pub kind: NodeKind,
}

/// The content of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `~`, `null` or an empty value.
    Null,
    /// A scalar. `plain` scalars are resolved by the YAML 1.2 core schema (numbers, booleans) when
    /// a number or boolean is wanted, and keep their source text when a string is wanted, so an
    /// unquoted `version: 1.0` reads as the string `1.0` and is judged by the version rules.
    Scalar {
        /// The scalar's text, after unescaping and folding.
        value: String,
        /// Whether the scalar was written without quotes or block indicators.
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order. Keys are unique: duplicates are reported while parsing and
    /// only the first occurrence is kept.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The entry for `key` when this node is a mapping with a scalar key of that text.
    pub fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)),
            _ => None,
        }
    }

    /// The value for `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The item at `index` when this node is a sequence.
    pub fn index(&self, index: usize) -> Option<&Node> {
        match &self.kind {
            NodeKind::Seq(items) => items.get(index),
            _ => None,
        }
    }

    /// The text of a scalar node.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// What kind of value this is, in words for messages ("a list", "a mapping", ...).
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "nothing (null)",
            NodeKind::Scalar { value, plain: true } if resolve_bool(value).is_some() => "a boolean",
            NodeKind::Scalar { value, plain: true } if value.parse::<f64>().is_ok() => "a number",
            NodeKind::Scalar { .. } => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// A problem found while parsing or deserialising YAML.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The id of the diagnostic this becomes (`syntax-error`, `unknown-key`, ...).
    pub rule: &'static str,
    /// What is wrong, in a sentence.
    pub message: String,
    /// Where it is wrong, when known.
    pub span: Option<Span>,
    /// A suggested fix.
    pub help: Option<String>,
}

impl Error {
    fn new(rule: &'static str, message: impl Into<String>, span: Span) -> Self {
        Error {
            rule,
            message: message.into(),
            span: Some(span),
            help: None,
        }
        .remembered()
    }

    /// A required key that is absent from the mapping at `span`.
    pub fn missing(key: &str, span: Span) -> Self {
        Error {
            rule: "missing-key",
            message: format!("missing required key `{key}`"),
            span: Some(span),
            help: None,
        }
    }

    /// Gives the error a position if it has none yet (errors made by serde's derived code have
    /// none; the innermost node they pass through is where they belong).
    fn at_least(mut self, span: Span) -> Self {
        self.span.get_or_insert(span);
        self.remembered()
    }

    fn remembered(self) -> Self {
        LAST_ERROR.set(Some(self.clone()));
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            rule: "invalid-value",
            message: msg.to_string(),
            span: None,
            help: None,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Error {
            rule: "missing-key",
            message: format!("missing required key `{field}`"),
            span: None,
            help: None,
        }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error {
            rule: "invalid-value",
            message: format!(
                "unknown value `{variant}`; expected one of {}",
                expected
                    .iter()
                    .map(|e| format!("`{e}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            span: None,
            help: did_you_mean(variant, expected).map(|s| format!("did you mean `{s}`?")),
        }
    }
}

/// The closest of `candidates` to `input`, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(input, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

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
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut sizes: Vec<usize> = Vec::new();
    let mut total = 0usize;
    let mut root: Option<Node> = None;
    let mut documents = 0;

    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let mut at = pos.span(*e.marker(), *e.marker());
            // The scanner notices a tab after reading past it; point at the tab itself.
            if e.info().contains("tab") {
                let line_start = text[..at.start].rfind('\n').map_or(0, |i| i + 1);
                if let Some(i) = text[line_start..at.start].find('\t') {
                    at = point(text, line_start + i);
                }
            }
            Error::new("syntax-error", format!("invalid YAML: {}", e.info()), at)
        })?;
        let span = pos.span(span.start, span.end);
        let (node, size, anchor) = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(Error::new(
                        "syntax-error",
                        "a standards file holds one YAML document; this is a second one",
                        span,
                    ));
                }
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                let tagged_str = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let plain = style == ScalarStyle::Plain && !tagged_str;
                let kind = if plain && matches!(&*value, "" | "~" | "null" | "Null" | "NULL") {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar {
                        value: value.into_owned(),
                        plain,
                    }
                };
                (Node { span, kind }, 1, anchor)
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(span));
                }
                stack.push(Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                });
                sizes.push(1);
                continue;
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(span));
                }
                stack.push(Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                });
                sizes.push(1);
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let size = sizes.pop().unwrap_or(1);
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
                        "syntax-error",
                        "alias to an unknown anchor",
                        span,
                    ));
                };
                if total + size > MAX_NODES {
                    return Err(Error::new(
                        "syntax-error",
                        format!(
                            "aliases expand this document beyond {MAX_NODES} nodes; \
                             norm refuses it as a likely \"billion laughs\" attack"
                        ),
                        span,
                    ));
                }
                let mut node = node.clone();
                node.span = span;
                (node, *size, 0)
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {
                continue;
            }
        };
        total += size;
        if total > MAX_NODES {
            return Err(Error::new(
                "syntax-error",
                format!("document has more than {MAX_NODES} nodes"),
                node.span,
            ));
        }
        if anchor != 0 {
            anchors.insert(anchor, (node.clone(), size));
        }
        if let Some(parent) = sizes.last_mut() {
            *parent += size;
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
                            "duplicate-key",
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

fn too_deep(span: Span) -> Error {
    Error::new(
        "syntax-error",
        format!("lists and mappings nested deeper than {MAX_DEPTH} levels"),
        span,
    )
}

fn resolve_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

thread_local! {
    /// Problems recovered from while deserialising on this thread; see [`from_node`].
    static RECOVERED: RefCell<Vec<Error>> = const { RefCell::new(Vec::new()) };
    /// The error `NodeDeserializer` last produced or passed on; see [`Tolerant`].
    static LAST_ERROR: std::cell::Cell<Option<Error>> = const { std::cell::Cell::new(None) };
}

fn recover(error: Error) {
    RECOVERED.with(|r| r.borrow_mut().push(error));
}

/// Deserialises `T` from a node tree. Returns the value, when it could be built, and every
/// problem found on the way, including those that were recovered from (unknown keys skipped,
/// list elements dropped by [`elements`], values reset by [`lenient`]).
pub fn from_node<T: DeserializeOwned>(node: &Node) -> (Option<T>, Vec<Error>) {
    let outer = RECOVERED.take();
    let result = T::deserialize(NodeDeserializer { node });
    let mut errors = RECOVERED.replace(outer);
    match result {
        Ok(value) => (Some(value), errors),
        Err(e) => {
            errors.push(e.at_least(node.span));
            (None, errors)
        }
    }
}

/// A list element that knows its index in the source list, so that a rule can point at it even
/// when earlier elements failed to load and were dropped.
pub trait Positioned {
    /// Records the element's index in its YAML list.
    fn set_position(&mut self, index: usize);
}

/// `deserialize_with` for lists of elements: an element that fails to deserialise is reported
/// and dropped, and its siblings still load. Each element learns its source index.
pub fn elements<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: de::Deserializer<'de>,
    T: Deserialize<'de> + Positioned,
{
    let items: Vec<Tolerant<T>> = Vec::deserialize(deserializer)?;
    Ok(items
        .into_iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let mut item = t.0?;
            item.set_position(i);
            Some(item)
        })
        .collect())
}

/// `deserialize_with` for keys with a default: a value that fails to deserialise is reported and
/// replaced by the default (`None` for options), so one bad value does not drop the element
/// that holds it.
pub fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: de::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Tolerant::<T>::deserialize(deserializer)?
        .0
        .unwrap_or_default())
}

/// A value that records its deserialisation error (see [`from_node`]) instead of returning it.
/// Only sound with [`NodeDeserializer`], whose sub-deserialisers are independent of each other.
struct Tolerant<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tolerant<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match T::deserialize(deserializer) {
            Ok(v) => Ok(Tolerant(Some(v))),
            Err(e) => {
                // `D::Error` cannot be downcast (it need not be 'static), so take the copy that
                // `NodeDeserializer` kept of the error it last produced, which is this one.
                let message = e.to_string();
                let error = LAST_ERROR
                    .take()
                    .filter(|last| last.message == message)
                    .unwrap_or(Error {
                        rule: "invalid-value",
                        message,
                        span: None,
                        help: None,
                    });
                recover(error);
                Ok(Tolerant(None))
            }
        }
    }
}

/// A serde `Deserializer` over a [`Node`].
pub struct NodeDeserializer<'a> {
    node: &'a Node,
}

impl<'a> NodeDeserializer<'a> {
    fn mismatch(&self, expected: &str) -> Error {
        Error::new(
            "invalid-value",
            format!("expected {expected}, found {}", self.node.describe()),
            self.node.span,
        )
    }

    fn plain_scalar(&self) -> Option<&'a str> {
        match &self.node.kind {
            NodeKind::Scalar { value, plain: true } => Some(value),
            _ => None,
        }
    }

    fn integer<T: std::str::FromStr>(&self) -> Result<T, Error> {
        self.plain_scalar()
            .and_then(|s| s.replace('_', "").parse().ok())
            .ok_or_else(|| self.mismatch("a whole number"))
    }
}

macro_rules! integers {
    ($($method:ident => $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let n = self.integer()?;
            visitor.$visit(n).map_err(|e: Error| e.at_least(self.node.span))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDeserializer<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let span = self.node.span;
        let result = match &self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Scalar { value, plain: true } => {
                if let Some(b) = resolve_bool(value) {
                    visitor.visit_bool(b)
                } else if let Ok(i) = value.parse::<i64>() {
                    visitor.visit_i64(i)
                } else if let Ok(f) = value.parse::<f64>() {
                    visitor.visit_f64(f)
                } else {
                    visitor.visit_str(value)
                }
            }
            NodeKind::Scalar { value, .. } => visitor.visit_str(value),
            NodeKind::Seq(items) => visitor.visit_seq(SeqAccess(items.iter())),
            NodeKind::Map(entries) => visitor.visit_map(MapAccess::new(entries, None)),
        };
        result.map_err(|e: Error| e.at_least(span))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.plain_scalar().and_then(resolve_bool) {
            Some(b) => visitor.visit_bool(b),
            None => Err(self.mismatch("`true` or `false`")),
        }
    }

    integers!(
        deserialize_i8 => visit_i8, deserialize_i16 => visit_i16, deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64, deserialize_u8 => visit_u8, deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32, deserialize_u64 => visit_u64
    );

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.plain_scalar().and_then(|s| s.parse::<f64>().ok()) {
            Some(f) => visitor.visit_f64(f),
            None => Err(self.mismatch("a number")),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Scalar { value, .. } => visitor
                .visit_str(value)
                .map_err(|e: Error| e.at_least(self.node.span)),
            _ => Err(self.mismatch("a string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.kind {
            NodeKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            _ => Err(self.mismatch("nothing (null)")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Seq(items) => visitor
                .visit_seq(SeqAccess(items.iter()))
                .map_err(|e: Error| e.at_least(self.node.span)),
            _ => Err(self.mismatch("a list")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Map(entries) => visitor
                .visit_map(MapAccess::new(entries, None))
                .map_err(|e: Error| e.at_least(self.node.span)),
            _ => Err(self.mismatch("a mapping")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Map(entries) => visitor
                .visit_map(MapAccess::new(entries, Some(fields)))
                .map_err(|e: Error| e.at_least(self.node.span)),
            _ => Err(self.mismatch("a mapping")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Scalar { value, .. } => visitor
                .visit_enum(value.as_str().into_deserializer())
                .map_err(|e: Error| e.at_least(self.node.span)),
            _ => Err(self.mismatch("one of the allowed words")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

struct SeqAccess<'a>(std::slice::Iter<'a, Node>);

impl<'de> de::SeqAccess<'de> for SeqAccess<'_> {
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.0.next() {
            Some(node) => seed
                .deserialize(NodeDeserializer { node })
                .map(Some)
                .map_err(|e: Error| e.at_least(node.span)),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// Walks a mapping. For a struct (`fields` known), keys that the struct does not have are
/// reported as `unknown-key` with a did-you-mean and skipped.
struct MapAccess<'a> {
    entries: std::slice::Iter<'a, (Node, Node)>,
    fields: Option<&'static [&'static str]>,
    value: Option<&'a Node>,
}

impl<'a> MapAccess<'a> {
    fn new(entries: &'a [(Node, Node)], fields: Option<&'static [&'static str]>) -> Self {
        MapAccess {
            entries: entries.iter(),
            fields,
            value: None,
        }
    }
}

impl<'de> de::MapAccess<'de> for MapAccess<'_> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for (key, value) in self.entries.by_ref() {
            if let (Some(fields), Some(name)) = (self.fields, key.as_str())
                && !fields.contains(&name)
            {
                let mut error =
                    Error::new("unknown-key", format!("unknown key `{name}`"), key.span);
                error.help = Some(match did_you_mean(name, fields) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the keys allowed here are {}",
                        fields
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
                recover(error);
                continue;
            }
            self.value = Some(value);
            return seed
                .deserialize(NodeDeserializer { node: key })
                .map(Some)
                .map_err(|e: Error| e.at_least(key.span));
        }
        Ok(None)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let node = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("value requested before its key"))?;
        seed.deserialize(NodeDeserializer { node })
            .map_err(|e: Error| e.at_least(node.span))
    }
}

#[cfg(test)]
mod tests;
