//! Reading source files with located errors, and the trees the formats walk: YAML and JSON
//! both as [`Node`]s, which keep the line and column of every value for the mapping report.

use std::path::{Path, PathBuf};

use norm_model::yaml::{self, Node, NodeKind};

use crate::{ImportError, Note, Place};

/// The text of `path`, without a byte order mark; a missing or non-UTF-8 file is an error
/// naming it.
pub fn read_text(path: &Path) -> Result<String, ImportError> {
    let bytes = read_bytes(path)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let (line, column) = line_column(&bytes[..e.valid_up_to()]);
        error(
            Place::Line {
                file: path.into(),
                line,
                column: Some(column),
            },
            "this is not UTF-8 text: save the file as UTF-8".to_owned(),
        )
    })?;
    Ok(text.to_owned())
}

/// The text of `path` as [`read_text`] reads it, except that text that is not UTF-8 is read as
/// Windows-1252, with a note at its first byte that is not UTF-8. For CSV files, which
/// spreadsheet programs on Windows write in that encoding by default.
pub fn read_text_or_windows_1252(path: &Path) -> Result<(String, Option<Note>), ImportError> {
    let bytes = read_bytes(path)?;
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok((text.to_owned(), None)),
        Err(e) => {
            let (line, column) = line_column(&bytes[..e.valid_up_to()]);
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            let note = Note {
                place: Place::Line {
                    file: path.into(),
                    line,
                    column: Some(column),
                },
                kind: "encoding-read-as",
                message: "the file is not UTF-8 (the first byte that is not is here); read as \
                          Windows-1252: check its accented letters, or save it as UTF-8"
                    .to_owned(),
            };
            Ok((text.into_owned(), Some(note)))
        }
    }
}

/// The bytes of `path` without a UTF-8 byte order mark; a missing file is an error naming it.
fn read_bytes(path: &Path) -> Result<Vec<u8>, ImportError> {
    let mut bytes = std::fs::read(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "there is no such file".to_owned(),
            _ => e.to_string(),
        };
        error(
            Place::File { file: path.into() },
            format!("cannot read it: {why}"),
        )
    })?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    Ok(bytes)
}

/// The 1-based line and column (in characters) just past `before`.
fn line_column(before: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(before);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `path` parsed as YAML. A syntax error, or a file holding nothing, is an error at its place.
pub fn yaml(path: &Path) -> Result<Node, ImportError> {
    tree(path, &read_text(path)?)
}

/// `path` parsed as JSON, as a [`Node`] tree so that notes can name lines. Malformed JSON is an
/// error at the line and column `serde_json` stops at.
pub fn json(path: &Path) -> Result<Node, ImportError> {
    let text = read_text(path)?;
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
        return Err(error(
            Place::Line {
                file: path.into(),
                line: e.line(),
                column: Some(e.column()),
            },
            format!("this is not valid JSON: {e}"),
        ));
    }
    // JSON is YAML 1.2, so the YAML reader gives the same values with their positions.
    tree(path, &text)
}

/// `text`, the content of `path`, parsed as YAML.
pub fn tree(path: &Path, text: &str) -> Result<Node, ImportError> {
    let parsed = yaml::parse(text);
    if let Some(e) = parsed.errors.first() {
        let place = e.span.map_or_else(
            || Place::File { file: path.into() },
            |span| line_place(path, span.line, span.column),
        );
        return Err(error(place, e.message.clone()));
    }
    parsed.root.ok_or_else(|| {
        error(
            Place::File { file: path.into() },
            "the file is empty".into(),
        )
    })
}

fn line_place(path: &Path, line: u32, column: u32) -> Place {
    Place::Line {
        file: path.into(),
        line: line as usize,
        column: Some(column as usize),
    }
}

/// The place of `node` in `path`.
pub fn at(path: &Path, node: &Node) -> Place {
    line_place(path, node.span.line, node.span.column)
}

/// An import error.
pub fn error(place: Place, message: String) -> ImportError {
    ImportError { place, message }
}

/// A source file and the notes made while reading it: what every format's walk carries.
#[derive(Debug)]
pub struct Reading {
    /// The file being read.
    pub file: PathBuf,
    /// Notes so far, in source order.
    pub notes: Vec<Note>,
}

impl Reading {
    /// Starts reading `file`.
    pub fn new(file: impl Into<PathBuf>) -> Reading {
        Reading {
            file: file.into(),
            notes: Vec::new(),
        }
    }

    /// Notes `message` of `kind` at `node`.
    pub fn note(&mut self, node: &Node, kind: &'static str, message: String) {
        self.notes.push(Note {
            place: at(&self.file, node),
            kind,
            message,
        });
    }

    /// An error at `node`.
    pub fn error(&self, node: &Node, message: String) -> ImportError {
        error(at(&self.file, node), message)
    }

    /// The value of `key` in mapping `node`, which must be a mapping.
    pub fn map<'n>(&self, node: &'n Node, what: &str) -> Result<&'n [(Node, Node)], ImportError> {
        match &node.kind {
            NodeKind::Map(entries) => Ok(entries),
            _ => Err(self.error(
                node,
                format!("{what} must be a mapping, not {}", node.describe()),
            )),
        }
    }

    /// The items of sequence `node`.
    pub fn seq<'n>(&self, node: &'n Node, what: &str) -> Result<&'n [Node], ImportError> {
        match &node.kind {
            NodeKind::Seq(items) => Ok(items),
            _ => Err(self.error(
                node,
                format!("{what} must be a list, not {}", node.describe()),
            )),
        }
    }

    /// The text of scalar `node`.
    pub fn text<'n>(&self, node: &'n Node, what: &str) -> Result<&'n str, ImportError> {
        node.as_str().ok_or_else(|| {
            self.error(
                node,
                format!("{what} must be text, not {}", node.describe()),
            )
        })
    }
}

/// The text of `key` in `node`, when it is a non-empty scalar.
pub fn text<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.get(key)
        .and_then(Node::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Whether `key` in `node` is `true`.
pub fn flag(node: &Node, key: &str) -> bool {
    node.get(key)
        .and_then(Node::as_str)
        .is_some_and(|s| matches!(s.to_ascii_lowercase().as_str(), "true" | "yes" | "y"))
}
