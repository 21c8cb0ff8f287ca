//! Diagnostics: findings with a file, a position and a severity. Plain data, rendered at the edge.

use serde::Serialize;

/// A region of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column of `start`, counted in characters.
    pub column: u32,
}

impl Span {
    /// The span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            end: other.end.max(self.start),
            ..self
        }
    }
}

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Fails a run only with `--deny-warnings`.
    Warning,
    /// Fails the run.
    Error,
}

impl Severity {
    /// The lowercase word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The kebab-case id of the rule that found it.
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The file, relative to the repository root, with `/` separators.
    pub file: String,
    /// Where in the file, when the problem has a position.
    pub span: Option<Span>,
    /// The element concerned, when there is one.
    pub path: Option<crate::ElementPath>,
    /// A suggested fix.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error-level diagnostic without position, path or help.
    pub fn error(rule: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            message: message.into(),
            file: file.into(),
            span: None,
            path: None,
            help: None,
        }
    }

    /// Sets the position.
    pub fn at(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    /// Sets the suggested fix.
    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Sorting key: file, then position, then rule, so output is stable.
    pub fn sort_key(&self) -> (&str, usize, &str, &str) {
        (
            &self.file,
            self.span.map_or(0, |s| s.start),
            self.rule,
            &self.message,
        )
    }
}

/// The problems found while reading and loading files, before any lint rule runs. Readers and
/// the loader name their diagnostics through this list only, and norm-lint declares and
/// documents each of them (a test keeps the two in step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LoaderRule {
    /// Not valid YAML, empty, not UTF-8, several documents, or expanding beyond the limits.
    SyntaxError,
    /// A key written twice in one mapping.
    DuplicateKey,
    /// A key the format does not have.
    UnknownKey,
    /// A value of the wrong kind.
    InvalidValue,
    /// A required key or file that is absent.
    MissingKey,
    /// A file norm will not read: a link, too large, unreadable.
    UnreadableFile,
    /// A YAML file under `standards/` that is not part of any standard.
    UnexpectedFile,
    /// A YAML tag other than `!!str`.
    UnsupportedTag,
}

impl LoaderRule {
    /// Every loader rule.
    pub const ALL: [LoaderRule; 8] = [
        LoaderRule::SyntaxError,
        LoaderRule::DuplicateKey,
        LoaderRule::UnknownKey,
        LoaderRule::InvalidValue,
        LoaderRule::MissingKey,
        LoaderRule::UnreadableFile,
        LoaderRule::UnexpectedFile,
        LoaderRule::UnsupportedTag,
    ];

    /// The rule id, as in every output and in `norm rules`.
    pub fn as_str(self) -> &'static str {
        match self {
            LoaderRule::SyntaxError => "syntax-error",
            LoaderRule::DuplicateKey => "duplicate-key",
            LoaderRule::UnknownKey => "unknown-key",
            LoaderRule::InvalidValue => "invalid-value",
            LoaderRule::MissingKey => "missing-key",
            LoaderRule::UnreadableFile => "unreadable-file",
            LoaderRule::UnexpectedFile => "unexpected-file",
            LoaderRule::UnsupportedTag => "unsupported-tag",
        }
    }
}

impl Diagnostic {
    /// An error-level diagnostic of a loader rule, without position, path or help.
    pub fn loader(rule: LoaderRule, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::error(rule.as_str(), file, message)
    }
}

/// The one-line form, `file:line:col: severity[rule] message`, that `norm lint --format concise`
/// prints and `norm diff` reports for files that did not load. Unpositioned findings are at 1:1.
impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (line, column) = self.span.map_or((1, 1), |s| (s.line, s.column));
        write!(
            f,
            "{}:{line}:{column}: {}[{}] {}",
            self.file,
            self.severity.as_str(),
            self.rule,
            self.message
        )
    }
}
