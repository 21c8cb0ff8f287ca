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
