//! What one document may expand to. A standards file is at most 4 MiB of text, but aliases copy
//! what their anchor holds, so a small text can ask for an unbounded tree ("billion laughs"):
//! the [`Budget`] refuses it at the alias that crosses a limit, before anything is copied.

use super::{Error, Node};
use crate::diagnostic::{LoaderRule, Span};

/// Largest number of nodes one document may expand to, aliases included. It stops "billion
/// laughs" documents long before they exhaust memory; a real standards file has a few thousand.
pub const MAX_NODES: usize = 1_000_000;

/// Most memory that aliases may copy in one document, counted as the nodes and scalar text
/// they repeat. Counting nodes alone does not bound memory: an alias of a long string copies the
/// whole string. Twice the largest file norm reads is far more than a real file's aliases need.
pub const MAX_ALIAS_BYTES: usize = 8 * 1024 * 1024;

/// Deepest nesting of lists and mappings accepted. The format needs five levels; the limit keeps
/// recursion in the deserialiser (and in `Drop`) far from the stack's end.
pub const MAX_DEPTH: usize = 64;

/// What a subtree costs: its nodes, and roughly the bytes they occupy.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Weight {
    nodes: usize,
    bytes: usize,
}

impl Weight {
    /// One node holding `text_len` bytes of scalar text (0 for a collection or null).
    pub(super) fn node(text_len: usize) -> Self {
        Weight {
            nodes: 1,
            bytes: std::mem::size_of::<Node>() + text_len,
        }
    }

    /// Adds a child's weight to this collection's.
    pub(super) fn add(&mut self, other: Weight) {
        self.nodes = self.nodes.saturating_add(other.nodes);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

/// The running totals of one document.
#[derive(Debug, Default)]
pub(super) struct Budget {
    nodes: usize,
    alias_bytes: usize,
}

impl Budget {
    /// Accounts for an alias at `span` that copies a subtree of weight `copy`; refuses it when
    /// the document's aliases would then copy more than [`MAX_ALIAS_BYTES`].
    pub(super) fn alias(&mut self, copy: Weight, span: Span) -> Result<(), Error> {
        self.alias_bytes = self.alias_bytes.saturating_add(copy.bytes);
        if self.alias_bytes > MAX_ALIAS_BYTES {
            return Err(bomb(
                format!(
                    "aliases expand this document by more than {} MiB",
                    MAX_ALIAS_BYTES / (1024 * 1024)
                ),
                span,
            ));
        }
        if self.nodes.saturating_add(copy.nodes) > MAX_NODES {
            return Err(bomb(
                format!("aliases expand this document beyond {MAX_NODES} nodes"),
                span,
            ));
        }
        Ok(())
    }

    /// Accounts for a node of weight `w` added to the tree at `span`.
    pub(super) fn add(&mut self, w: Weight, span: Span) -> Result<(), Error> {
        self.nodes = self.nodes.saturating_add(w.nodes);
        if self.nodes > MAX_NODES {
            return Err(Error::new(
                LoaderRule::SyntaxError,
                format!("document has more than {MAX_NODES} nodes"),
                span,
            ));
        }
        Ok(())
    }
}

fn bomb(what: String, span: Span) -> Error {
    let mut error = Error::new(
        LoaderRule::SyntaxError,
        format!("{what}; norm refuses it as a likely \"billion laughs\" attack"),
        span,
    );
    error.help = Some(
        "an alias (`*name`) repeats everything under its anchor (`&name`): write the values out, \
         or alias smaller parts"
            .into(),
    );
    error
}

/// Refuses a list or mapping at `span` nested `depth` levels deep when that is too deep.
pub(super) fn check_depth(depth: usize, span: Span) -> Result<(), Error> {
    if depth >= MAX_DEPTH {
        return Err(Error::new(
            LoaderRule::SyntaxError,
            format!("lists and mappings nested deeper than {MAX_DEPTH} levels"),
            span,
        ));
    }
    Ok(())
}
