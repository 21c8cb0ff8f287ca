//! All YAML handling of norm lives in this module.
//!
//! Text is parsed with `saphyr-parser` into a [`Node`] tree that keeps the byte span, line and
//! column of every node, then deserialised into the typed model through [`NodeDeserializer`], a
//! serde `Deserializer` over that tree. Working on a tree rather than a token stream is what makes
//! the loader tolerant: an element that fails to deserialise is reported and skipped
//! ([`elements`], [`lenient`]) while its siblings still load, and unknown keys are reported with a
//! did-you-mean and skipped instead of failing the whole file.

mod de;
mod error;
mod limits;
mod node;
mod parse;
mod syntax;

pub use de::{NodeDeserializer, Positioned, elements, from_node, lenient};
pub use error::{Error, did_you_mean};
pub use limits::{MAX_ALIAS_BYTES, MAX_DEPTH, MAX_NODES};
pub use node::{Node, NodeKind, offset_in_source};
pub use parse::{Parsed, parse, point};

#[cfg(test)]
mod tests;
