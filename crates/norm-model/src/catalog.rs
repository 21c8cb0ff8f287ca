//! Loading a set of `(path, bytes)` blobs into a [`Catalog`].
//!
//! The same code loads the working tree and any git revision: both sources produce blobs. Loading
//! never fails as a whole: every problem becomes a [`Diagnostic`] and the rest still loads.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Span};
use crate::model::{CodeList, Entity, Rule, StandardMeta};
use crate::yaml::Node;

mod load;
mod resolve;

pub use load::{Files, MAX_FILE_BYTES, natural_order};
pub use resolve::Unresolved;

/// One file of a repository: its path relative to the root (with `/` separators) and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    /// Raw content.
    pub bytes: Vec<u8>,
}

/// Index of a file in [`Catalog::files`].
pub type FileId = usize;

/// A loaded source file. The text is shared, so a catalog of another revision can reuse the
/// files that did not change ([`Catalog::load_reusing`]).
///
/// No YAML tree is kept: a tree takes several times the memory of its text, and most files of
/// a run are never asked where anything is (only those with findings, or with changes to
/// locate). [`Trees`] parses the files a caller asks about, for as long as it needs them.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the repository root.
    pub path: String,
    /// The text, when it was valid UTF-8 (else empty).
    pub text: Arc<str>,
}

impl SourceFile {
    /// A file with its text, not yet parsed.
    pub fn new(path: String, text: Arc<str>) -> SourceFile {
        SourceFile { path, text }
    }
}

/// The parsed trees of the files of one catalog that a caller has asked about, so that many
/// places in one file are located with one parse. Drop it to free them: the differ keeps one
/// per standard, lint one per run.
pub struct Trees<'c> {
    catalog: &'c Catalog,
    parsed: HashMap<FileId, Option<Node>>,
}

impl<'c> Trees<'c> {
    /// No file parsed yet.
    pub fn new(catalog: &'c Catalog) -> Trees<'c> {
        Trees {
            catalog,
            parsed: HashMap::new(),
        }
    }

    /// The parsed YAML of file `id`, when it parses.
    pub fn root(&mut self, id: FileId) -> Option<&Node> {
        let text = &self.catalog.files.get(id)?.text;
        self.parsed
            .entry(id)
            .or_insert_with(|| crate::yaml::parse(text).root)
            .as_ref()
    }

    /// Resolves a location to a span: the node at the path, or its deepest existing ancestor
    /// (so a missing key points at the element that lacks it).
    pub fn locate(&mut self, location: &Location) -> Option<Span> {
        let catalog = self.catalog;
        let mut node: &Node = self.root(location.file)?;
        let mut key_span = None;
        for segment in &location.path {
            let next = match segment {
                Segment::Key(k) => node.entry(k).map(|(key, value)| {
                    key_span = Some(key.span);
                    value
                }),
                Segment::Index(i) => {
                    key_span = None;
                    node.index(*i)
                }
            };
            match next {
                Some(n) => node = n,
                None => return Some(node.span),
            }
        }
        match (location.on_key, key_span, location.within, node.as_str()) {
            (true, Some(span), ..) => Some(span),
            (false, _, Some(offset), Some(value)) => {
                let text = &catalog.files.get(location.file)?.text;
                Some(
                    crate::yaml::offset_in_source(text, node.span, value, offset)
                        .map_or(node.span, |at| crate::yaml::point(text, at)),
                )
            }
            _ => Some(node.span),
        }
    }
}

/// A value loaded from a file.
#[derive(Debug, Clone)]
pub struct Doc<T> {
    /// The file it came from.
    pub file: FileId,
    /// The value, shared with the catalogs of other revisions that hold the same file
    /// unchanged ([`Catalog::load_reusing`]): two sides of a diff share almost every element.
    pub value: Arc<T>,
}

/// One standard: the files under `standards/<dir>/`.
#[derive(Debug, Clone, Default)]
pub struct Standard {
    /// The folder name, which must equal the standard's `id`.
    pub dir: String,
    /// `standard.yaml`, when present and loadable.
    pub meta: Option<Doc<StandardMeta>>,
    /// The entities, sorted by file path.
    pub entities: Vec<Doc<Entity>>,
    /// The code lists, sorted by file path.
    pub codelists: Vec<Doc<CodeList>>,
    /// The validation rules (`rules/<code>.yaml`), sorted by file path.
    pub rules: Vec<Doc<Rule>>,
}

impl Standard {
    /// The standard's id: its folder name.
    pub fn id(&self) -> &str {
        &self.dir
    }

    /// The declared version, when it is valid semver.
    pub fn version(&self) -> Option<semver::Version> {
        let meta = self.meta.as_ref()?;
        semver::Version::parse(meta.value.version.as_deref()?).ok()
    }

    /// The entity called `name`.
    pub fn entity(&self, name: &str) -> Option<&Doc<Entity>> {
        self.entities.iter().find(|e| e.value.name == name)
    }

    /// The code list called `name`.
    pub fn codelist(&self, name: &str) -> Option<&Doc<CodeList>> {
        self.codelists.iter().find(|c| c.value.name == name)
    }

    /// The validation rule with code `code`.
    pub fn rule(&self, code: &str) -> Option<&Doc<Rule>> {
        self.rules.iter().find(|r| r.value.code == code)
    }
}

/// A set of standards loaded from one revision, with the problems found while loading.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// `norm.yaml`, when present and loadable.
    pub config: Option<Doc<Config>>,
    /// Standards keyed by folder name.
    pub standards: BTreeMap<String, Standard>,
    /// Every loaded file, in path order.
    pub files: Vec<SourceFile>,
    /// Problems found while loading (syntax, unknown keys, wrong types, missing keys).
    pub diagnostics: Vec<Diagnostic>,
}

impl Catalog {
    /// The repository configuration, or the defaults when `norm.yaml` is missing or broken.
    pub fn config(&self) -> Config {
        self.config
            .as_ref()
            .map(|c| Config::clone(&c.value))
            .unwrap_or_default()
    }

    /// The file with id `id`.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    /// Resolves one location to a span, parsing its file for this call alone. To locate many
    /// places, use one [`Trees`].
    pub fn locate(&self, location: &Location) -> Option<Span> {
        Trees::new(self).locate(location)
    }
}

/// A step in a path through a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A mapping key.
    Key(Cow<'static, str>),
    /// A list index.
    Index(usize),
}

/// A place in a loaded file: a path of keys and indexes from the document root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// Keys and indexes from the root.
    pub path: Vec<Segment>,
    /// Point at the last key rather than its value (for unknown or misplaced keys).
    pub on_key: bool,
    /// A byte offset into the text of the scalar at `path` (as loaded: unescaped, folded), to
    /// point inside a value, such as at the SQL error in a rule's `check`.
    pub within: Option<usize>,
}

impl Location {
    /// The root of a file.
    pub fn file(file: FileId) -> Self {
        Location {
            file,
            path: Vec::new(),
            on_key: false,
            within: None,
        }
    }

    /// The value under `key`.
    pub fn key(mut self, key: impl Into<Cow<'static, str>>) -> Self {
        self.path.push(Segment::Key(key.into()));
        self
    }

    /// The list item at `index`.
    pub fn index(mut self, index: usize) -> Self {
        self.path.push(Segment::Index(index));
        self
    }

    /// Points at byte `offset` of the scalar value's text rather than at the whole value.
    pub fn within(mut self, offset: usize) -> Self {
        self.within = Some(offset);
        self
    }

    /// Points at the key itself rather than its value.
    pub fn on_key(mut self) -> Self {
        self.on_key = true;
        self
    }
}

#[cfg(test)]
mod tests;
