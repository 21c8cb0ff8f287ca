//! The node tree that parsing produces and deserialisation reads.

use crate::diagnostic::Span;

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

/// The YAML 1.2 core schema's booleans.
pub(super) fn resolve_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// The byte offset in `source` of byte `offset` of a scalar's loaded `value`, the scalar
/// spanning `span`: what points a finding at a place inside a value (an SQL error on the third
/// line of a block scalar). The value's characters are matched in order against the source,
/// skipping what loading removed (block indicators, indentation, quotes) and taking a line
/// break folded into a space as that space. `None` when the two do not line up (escapes).
pub fn offset_in_source(source: &str, span: Span, value: &str, offset: usize) -> Option<usize> {
    let text = source.get(span.start..span.end.min(source.len()))?;
    // A block scalar's content starts on the line after its indicator and any comment.
    let start = match text.chars().next() {
        Some('|' | '>') => text.find('\n')? + 1,
        _ => 0,
    };
    let mut chars = text[start..]
        .char_indices()
        .map(|(i, c)| (start + i, c))
        .peekable();
    for (at, wanted) in value.char_indices() {
        let matched = loop {
            let (i, c) = chars.next()?;
            if c == wanted {
                break i;
            }
            if wanted == ' ' && c == '\n' {
                while chars.next_if(|&(_, c)| c == ' ').is_some() {}
                break i;
            }
        };
        if at == offset {
            return Some(span.start + matched);
        }
    }
    // Just past the last character: the end of the value.
    (offset >= value.len()).then_some(span.end.min(source.len()))
}
