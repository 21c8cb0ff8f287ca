//! The problems YAML reading reports, before they become diagnostics.

use std::fmt;

use serde::de;

use crate::diagnostic::{LoaderRule, Span};

/// A problem found while parsing or deserialising YAML.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The rule of the diagnostic this becomes (`syntax-error`, `unknown-key`, ...).
    pub rule: LoaderRule,
    /// What is wrong, in a sentence.
    pub message: String,
    /// Where it is wrong, when known.
    pub span: Option<Span>,
    /// A suggested fix.
    pub help: Option<String>,
    /// The key of the format the error is about: the absent key of a `missing-key` error, the
    /// key an `unknown-key` error is likely a misspelling of. One typo then makes one error.
    pub key: Option<&'static str>,
}

impl Error {
    pub(super) fn new(rule: LoaderRule, message: impl Into<String>, span: Span) -> Self {
        Error {
            rule,
            message: message.into(),
            span: Some(span),
            help: None,
            key: None,
        }
        .remembered()
    }

    /// A required key that is absent from the mapping at `span`.
    pub fn missing(key: &'static str, span: Span) -> Self {
        Error {
            rule: LoaderRule::MissingKey,
            message: format!("missing required key `{key}`"),
            span: Some(span),
            help: None,
            key: Some(key),
        }
    }

    /// Gives the error a position if it has none yet (errors made by serde's derived code have
    /// none; the innermost node they pass through is where they belong).
    pub(super) fn at_least(mut self, span: Span) -> Self {
        self.span.get_or_insert(span);
        self.remembered()
    }

    pub(super) fn remembered(self) -> Self {
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
            rule: LoaderRule::InvalidValue,
            message: msg.to_string(),
            span: None,
            help: None,
            key: None,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Error {
            rule: LoaderRule::MissingKey,
            message: format!("missing required key `{field}`"),
            span: None,
            help: None,
            key: Some(field),
        }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error {
            rule: LoaderRule::InvalidValue,
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
            key: None,
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

thread_local! {
    /// The error `NodeDeserializer` last produced or passed on; see [`super::de`]'s `Tolerant`.
    static LAST_ERROR: std::cell::Cell<Option<Error>> = const { std::cell::Cell::new(None) };
}

/// Takes the error last produced on this thread, when its message is `message`.
pub(super) fn last_error(message: &str) -> Option<Error> {
    LAST_ERROR.take().filter(|last| last.message == message)
}
