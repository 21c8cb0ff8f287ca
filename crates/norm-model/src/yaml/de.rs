//! [`Node`] tree to typed model: a serde `Deserializer` that recovers from errors element by
//! element.

use std::cell::RefCell;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use super::error::last_error;
use super::node::resolve_bool;
use super::{Error, Node, NodeKind, did_you_mean};
use crate::diagnostic::LoaderRule;

thread_local! {
    /// Problems recovered from while deserialising on this thread; see [`from_node`].
    static RECOVERED: RefCell<Vec<Error>> = const { RefCell::new(Vec::new()) };
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
                let error = last_error(&message).unwrap_or(Error {
                    rule: LoaderRule::InvalidValue,
                    message,
                    span: None,
                    help: None,
                    key: None,
                });
                recover(error);
                Ok(Tolerant(None))
            }
        }
    }
}

/// The booleans of YAML 1.1 (`yes`, `off`, ...), which YAML 1.2 and norm read as text.
fn yaml_1_1_bool(word: &str) -> Option<(&str, bool)> {
    match word.to_ascii_lowercase().as_str() {
        "yes" | "y" | "on" => Some((word, true)),
        "no" | "n" | "off" => Some((word, false)),
        _ => None,
    }
}

/// A serde `Deserializer` over a [`Node`].
pub struct NodeDeserializer<'a> {
    node: &'a Node,
}

impl<'a> NodeDeserializer<'a> {
    fn mismatch(&self, expected: &str) -> Error {
        Error::new(
            LoaderRule::InvalidValue,
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
            None => {
                let mut error = self.mismatch("`true` or `false`");
                let Some((word, b)) = self.plain_scalar().and_then(yaml_1_1_bool) else {
                    return Err(error);
                };
                // Reported, then read as meant, so that no rule piles on (`required: yes` on a
                // primary key is one error, not also "primary key not required").
                error.help = Some(format!("YAML 1.2 reads `{word}` as text: write `{b}`"));
                recover(error);
                visitor.visit_bool(b)
            }
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
    /// All entries, to tell whether a key is written.
    all: &'a [(Node, Node)],
    /// Misspelt keys read as the key they are close to.
    corrected: Vec<&'static str>,
}

impl<'a> MapAccess<'a> {
    fn new(entries: &'a [(Node, Node)], fields: Option<&'static [&'static str]>) -> Self {
        MapAccess {
            entries: entries.iter(),
            fields,
            value: None,
            all: entries,
            corrected: Vec::new(),
        }
    }
}

impl<'de> de::MapAccess<'de> for MapAccess<'_> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        while let Some((key, value)) = self.entries.next() {
            if let (Some(fields), Some(name)) = (self.fields, key.as_str())
                && !fields.contains(&name)
            {
                let mut error = Error::new(
                    LoaderRule::UnknownKey,
                    format!("unknown key `{name}`"),
                    key.span,
                );
                let suggestion = did_you_mean(name, fields);
                error.key = suggestion;
                error.help = Some(match error.key {
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
                // Read a misspelt key as the key it is close to, unless that key is written too:
                // what is checked next then sees the value meant, so one typo makes one error.
                let written = |m: &&str| {
                    self.corrected.contains(m)
                        || self.all.iter().any(|(k, _)| k.as_str() == Some(m))
                };
                if let Some(meant) = suggestion.filter(|m| !written(m)) {
                    self.corrected.push(meant);
                    self.value = Some(value);
                    return seed.deserialize(meant.into_deserializer()).map(Some);
                }
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
