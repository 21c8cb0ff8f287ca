//! Loading a set of `(path, bytes)` blobs into a [`Catalog`].
//!
//! The same code loads the working tree and any git revision: both sources produce blobs. Loading
//! never fails as a whole: every problem becomes a [`Diagnostic`] and the rest still loads.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Span};
use crate::element::ElementPath;
use crate::model::{CodeList, Entity, StandardMeta};
use crate::reference::{CodeListRef, FieldRef};
use crate::yaml::{self, Node};

/// Largest standards file accepted, in bytes. Real files are a few kilobytes; the limit keeps a
/// stray data dump from stalling every command.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

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

/// A loaded source file. Text and tree are shared, so a catalog of another revision can reuse
/// the files that did not change ([`Catalog::load_reusing`]).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the repository root.
    pub path: String,
    /// The text, when it was valid UTF-8 (else empty).
    pub text: Arc<str>,
    /// The parsed YAML, when it parsed.
    pub root: Option<Arc<Node>>,
}

/// A value loaded from a file.
#[derive(Debug, Clone)]
pub struct Doc<T> {
    /// The file it came from.
    pub file: FileId,
    /// The value.
    pub value: T,
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
}

/// Why a reference does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// The text is not a reference of the expected shape.
    Malformed(String),
    /// No standard with that id exists in the repository.
    UnknownStandard(String),
    /// The target standard exists but is not listed in `requires`.
    NotRequired(String),
    /// The target standard's version is outside the `requires` range (or the range is invalid).
    OutOfRange {
        /// The required standard.
        standard: String,
        /// The range in `requires`.
        range: String,
        /// The target's current version.
        version: String,
    },
    /// The standard exists but has no such element. Holds the closest name, if any.
    UnknownElement(Option<String>),
    /// The file that would hold the target, or the `requires` that would admit it, did not
    /// load (a syntax error, say). Holds that file's path. Nothing can be said about the
    /// reference until the file loads, and its own error already says why.
    Unloaded(String),
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

/// The files of another catalog that a load may take over unchanged.
struct Reuse<'a> {
    catalog: &'a Catalog,
    by_path: HashMap<&'a str, FileId>,
    values: HashMap<FileId, ValueRef<'a>>,
}

#[derive(Clone, Copy)]
enum ValueRef<'a> {
    Config(&'a Config),
    Standard(&'a StandardMeta),
    Entity(&'a Entity),
    CodeList(&'a CodeList),
}

impl<'a> Reuse<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        let by_path = catalog
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.path.as_str(), i))
            .collect();
        let mut values = HashMap::new();
        if let Some(c) = &catalog.config {
            values.insert(c.file, ValueRef::Config(&c.value));
        }
        for s in catalog.standards.values() {
            if let Some(m) = &s.meta {
                values.insert(m.file, ValueRef::Standard(&m.value));
            }
            values.extend(
                s.entities
                    .iter()
                    .map(|e| (e.file, ValueRef::Entity(&e.value))),
            );
            values.extend(
                s.codelists
                    .iter()
                    .map(|c| (c.file, ValueRef::CodeList(&c.value))),
            );
        }
        Reuse {
            catalog,
            by_path,
            values,
        }
    }

    /// The other catalog's result for `blob`, when it loaded the same content at the same path.
    fn get(&self, blob: &Blob) -> Option<Loaded> {
        let id = *self.by_path.get(blob.path.as_str())?;
        let file = &self.catalog.files[id];
        if file.text.as_bytes() != blob.bytes.as_slice() || file.text.is_empty() {
            return None;
        }
        let value = self.values.get(&id).map(|v| match *v {
            ValueRef::Config(c) => Value::Config(c.clone()),
            ValueRef::Standard(s) => Value::Standard(s.clone()),
            ValueRef::Entity(e) => Value::Entity(e.clone()),
            ValueRef::CodeList(c) => Value::CodeList(c.clone()),
        });
        let diagnostics = self
            .catalog
            .diagnostics
            .iter()
            .filter(|d| d.file == file.path)
            .cloned()
            .collect();
        Some(Loaded {
            file: file.clone(),
            kind: classify(&blob.path),
            value,
            diagnostics,
        })
    }
}

/// What a blob is, by its path.
enum Kind {
    Config,
    Standard(String),
    Entity(String),
    CodeList(String),
    Unexpected,
    Ignored,
}

fn classify(path: &str) -> Kind {
    if path == "norm.yaml" {
        return Kind::Config;
    }
    let yaml = path.ends_with(".yaml") || path.ends_with(".yml");
    match path.split('/').collect::<Vec<_>>().as_slice() {
        ["standards", dir, "standard.yaml"] => Kind::Standard(dir.to_string()),
        ["standards", dir, "entities", file] if file.ends_with(".yaml") => {
            Kind::Entity(dir.to_string())
        }
        ["standards", dir, "codelists", file] if file.ends_with(".yaml") => {
            Kind::CodeList(dir.to_string())
        }
        ["standards", ..] if yaml => Kind::Unexpected,
        _ => Kind::Ignored,
    }
}

/// A file loaded on its own, before assembly.
struct Loaded {
    file: SourceFile,
    kind: Kind,
    value: Option<Value>,
    diagnostics: Vec<Diagnostic>,
}

enum Value {
    Config(Config),
    Standard(StandardMeta),
    Entity(Entity),
    CodeList(CodeList),
}

impl Catalog {
    /// Loads blobs into a catalog. Files are parsed in parallel; the result does not depend on
    /// the order of `blobs`.
    pub fn load(blobs: Vec<Blob>) -> Catalog {
        Catalog::load_inner(blobs, None)
    }

    /// Loads blobs, taking every file whose path and content equal a file of `other` from
    /// `other` instead of parsing it again. Two revisions of a repository share most files, so
    /// this roughly halves the work of loading both sides of a diff. The result is the same as
    /// [`Catalog::load`]'s.
    pub fn load_reusing(blobs: Vec<Blob>, other: &Catalog) -> Catalog {
        Catalog::load_inner(blobs, Some(other))
    }

    fn load_inner(mut blobs: Vec<Blob>, other: Option<&Catalog>) -> Catalog {
        blobs.sort_by(|a, b| a.path.cmp(&b.path));
        let reuse = other.map(Reuse::new);
        let loaded: Vec<Loaded> = blobs
            .into_par_iter()
            .filter_map(|blob| match reuse.as_ref().and_then(|r| r.get(&blob)) {
                Some(loaded) => Some(loaded),
                None => load_blob(blob),
            })
            .collect();
        let mut catalog = Catalog::default();
        for item in loaded {
            let id = catalog.files.len();
            catalog.diagnostics.extend(item.diagnostics);
            catalog.files.push(item.file);
            let dir = match &item.kind {
                Kind::Standard(d) | Kind::Entity(d) | Kind::CodeList(d) => Some(d.clone()),
                _ => None,
            };
            if let Some(dir) = &dir {
                catalog
                    .standards
                    .entry(dir.clone())
                    .or_insert_with(|| Standard {
                        dir: dir.clone(),
                        ..Standard::default()
                    });
            }
            let standard = dir.and_then(|d| catalog.standards.get_mut(&d));
            match (item.value, standard) {
                (Some(Value::Config(value)), _) => catalog.config = Some(Doc { file: id, value }),
                (Some(Value::Standard(value)), Some(s)) => s.meta = Some(Doc { file: id, value }),
                (Some(Value::Entity(value)), Some(s)) => s.entities.push(Doc { file: id, value }),
                (Some(Value::CodeList(value)), Some(s)) => {
                    s.codelists.push(Doc { file: id, value })
                }
                _ => {}
            }
        }
        for standard in catalog.standards.values() {
            if standard.meta.is_none()
                && !catalog
                    .files
                    .iter()
                    .any(|f| f.path == format!("standards/{}/standard.yaml", standard.dir))
            {
                catalog.diagnostics.push(Diagnostic::error(
                    "missing-key",
                    format!("standards/{}", standard.dir),
                    format!(
                        "standard folder `{}` has no standard.yaml, so its entities and code \
                         lists belong to no standard",
                        standard.dir
                    ),
                ));
            }
        }
        catalog
    }

    /// The repository configuration, or the defaults when `norm.yaml` is missing or broken.
    pub fn config(&self) -> Config {
        self.config
            .as_ref()
            .map(|c| c.value.clone())
            .unwrap_or_default()
    }

    /// The file with id `id`.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    /// Resolves a location to a span: the node at the path, or its deepest existing ancestor
    /// (so a missing key points at the element that lacks it).
    pub fn locate(&self, location: &Location) -> Option<Span> {
        let mut node: &Node = self.files.get(location.file)?.root.as_deref()?;
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
        match (location.on_key, key_span) {
            (true, Some(span)) => Some(span),
            _ => Some(node.span),
        }
    }

    /// Resolves a code list reference written in standard `from`.
    pub fn resolve_codelist(
        &self,
        from: &str,
        reference: &str,
    ) -> Result<(&Standard, &Doc<CodeList>), Unresolved> {
        let r = CodeListRef::parse(reference).map_err(Unresolved::Malformed)?;
        let standard = self.target_standard(from, r.standard)?;
        standard
            .codelist(r.name)
            .map(|c| (standard, c))
            .ok_or_else(|| {
                let names: Vec<&str> = standard
                    .codelists
                    .iter()
                    .map(|c| c.value.name.as_str())
                    .collect();
                Unresolved::UnknownElement(yaml::did_you_mean(r.name, &names).map(str::to_owned))
            })
            .map_err(|why| self.unless_unloaded(why, &ElementPath::codelist(standard.id(), r.name)))
    }

    /// Resolves a field reference (`entity.field` or `standard/entity.field`) written in
    /// standard `from`. Returns the standard, the entity and the index of the field.
    pub fn resolve_field(
        &self,
        from: &str,
        reference: &str,
    ) -> Result<(&Standard, &Doc<Entity>, usize), Unresolved> {
        let r = FieldRef::parse(reference).map_err(Unresolved::Malformed)?;
        let standard = self.target_standard(from, r.standard)?;
        field_in(standard, &r)
            .map_err(|why| self.unless_unloaded(why, &ElementPath::entity(standard.id(), r.entity)))
    }

    /// `why`, unless the file that would hold `target` did not load: then
    /// [`Unresolved::Unloaded`].
    fn unless_unloaded(&self, why: Unresolved, target: &ElementPath) -> Unresolved {
        match self.unloaded_file(target) {
            Some(file) => Unresolved::Unloaded(file.path.clone()),
            None => why,
        }
    }

    /// Finds the field a mapping's `to` names, from standard `from`. Unlike references,
    /// mappings document a correspondence and need no `requires` entry.
    pub fn find_field(
        &self,
        from: &str,
        reference: &str,
    ) -> Result<(&Standard, &Doc<Entity>, usize), Unresolved> {
        let r = FieldRef::parse(reference).map_err(Unresolved::Malformed)?;
        let id = r.standard.unwrap_or(from);
        let standard = self
            .standards
            .get(id)
            .ok_or_else(|| Unresolved::UnknownStandard(id.to_owned()))?;
        field_in(standard, &r)
            .map_err(|why| self.unless_unloaded(why, &ElementPath::entity(id, r.entity)))
    }

    /// Finds the code list a reference names, from standard `from`, without checking
    /// `requires` (for impact analysis: who points at a list, whatever their ranges say).
    pub fn find_codelist(
        &self,
        from: &str,
        reference: &str,
    ) -> Option<(&Standard, &Doc<CodeList>)> {
        let r = CodeListRef::parse(reference).ok()?;
        let standard = self.standards.get(r.standard.unwrap_or(from))?;
        standard.codelist(r.name).map(|c| (standard, c))
    }

    /// The standard a reference from `from` points into, checking `requires` for other
    /// standards.
    fn target_standard(&self, from: &str, target: Option<&str>) -> Result<&Standard, Unresolved> {
        let Some(target) = target.filter(|t| *t != from) else {
            return self
                .standards
                .get(from)
                .ok_or_else(|| Unresolved::UnknownStandard(from.to_owned()));
        };
        let standard = self
            .standards
            .get(target)
            .ok_or_else(|| Unresolved::UnknownStandard(target.to_owned()))?;
        // Without either side's standard.yaml, `requires` and the version cannot be judged.
        for id in [from, target] {
            if let Some(file) = self.unloaded_file(&ElementPath::standard(id)) {
                return Err(Unresolved::Unloaded(file.path.clone()));
            }
        }
        let requires = self
            .standards
            .get(from)
            .and_then(|s| s.meta.as_ref())
            .map(|m| &m.value.requires);
        let Some(range) = requires.and_then(|r| r.get(target)) else {
            return Err(Unresolved::NotRequired(target.to_owned()));
        };
        let out_of_range = || Unresolved::OutOfRange {
            standard: target.to_owned(),
            range: range.clone(),
            version: standard
                .meta
                .as_ref()
                .and_then(|m| m.value.version.clone())
                .unwrap_or_default(),
        };
        let req = semver::VersionReq::parse(range).map_err(|_| out_of_range())?;
        match standard.version() {
            Some(v) if req.matches(&strip_pre(&v)) => Ok(standard),
            Some(_) => Err(out_of_range()),
            // A target without a valid version is reported by `invalid-version`; do not pile on.
            None => Ok(standard),
        }
    }
}

/// The field `r` names inside `standard`.
fn field_in<'a>(
    standard: &'a Standard,
    r: &FieldRef<'_>,
) -> Result<(&'a Standard, &'a Doc<Entity>, usize), Unresolved> {
    let Some(entity) = standard.entity(r.entity) else {
        let names: Vec<&str> = standard
            .entities
            .iter()
            .map(|e| e.value.name.as_str())
            .collect();
        return Err(Unresolved::UnknownElement(
            yaml::did_you_mean(r.entity, &names).map(str::to_owned),
        ));
    };
    let fields = &entity.value.fields;
    match fields.iter().position(|f| f.name == r.field) {
        Some(i) => Ok((standard, entity, i)),
        None => {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            Err(Unresolved::UnknownElement(
                yaml::did_you_mean(r.field, &names).map(|f| format!("{}.{f}", r.entity)),
            ))
        }
    }
}

/// Compares versions by their numbers alone: pre-release and build metadata are ignored
/// (change-rules.md), so `1.2.0-rc.1` satisfies `^1.0`.
fn strip_pre(v: &semver::Version) -> semver::Version {
    semver::Version::new(v.major, v.minor, v.patch)
}

fn load_blob(blob: Blob) -> Option<Loaded> {
    let kind = classify(&blob.path);
    let mut file = SourceFile {
        path: blob.path,
        text: Arc::from(""),
        root: None,
    };
    let mut diagnostics = Vec::new();
    if let Kind::Ignored = kind {
        return None;
    }
    if let Kind::Unexpected = kind {
        diagnostics.push(Diagnostic {
            severity: crate::Severity::Warning,
            help: Some(
                "a standard holds standard.yaml, entities/<name>.yaml and \
                 codelists/<name>.yaml; anything else is not read"
                    .into(),
            ),
            ..Diagnostic::error(
                "unexpected-file",
                file.path.clone(),
                "this YAML file is not part of any standard and is ignored",
            )
        });
        return Some(Loaded {
            file,
            kind,
            value: None,
            diagnostics,
        });
    }
    let value = parse_blob(&mut file, &blob.bytes, &kind, &mut diagnostics);
    Some(Loaded {
        file,
        kind,
        value,
        diagnostics,
    })
}

fn parse_blob(
    file: &mut SourceFile,
    bytes: &[u8],
    kind: &Kind,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Value> {
    if bytes.len() > MAX_FILE_BYTES {
        diagnostics.push(Diagnostic::error(
            "unreadable-file",
            file.path.clone(),
            format!(
                "file is {:.1} MiB, above the {} MiB limit for a standards file; not read",
                bytes.len() as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => file.text = Arc::from(text),
        Err(e) => {
            // Show the valid part, so the snippet can point at the bad byte.
            let valid = &bytes[..e.valid_up_to()];
            file.text = Arc::from(String::from_utf8_lossy(valid).as_ref());
            let at = yaml::point(&file.text, file.text.len());
            diagnostics.push(
                Diagnostic::error(
                    "syntax-error",
                    file.path.clone(),
                    "file is not valid UTF-8; standards files must be saved as UTF-8",
                )
                .at(Some(at)),
            );
            return None;
        }
    }
    let parsed = yaml::parse(&file.text);
    let push = |diagnostics: &mut Vec<Diagnostic>, e: yaml::Error| {
        diagnostics.push(
            Diagnostic::error(e.rule, file.path.clone(), e.message)
                .at(e.span)
                .with_help(e.help),
        );
    };
    for e in parsed.errors {
        push(diagnostics, e);
    }
    let Some(root) = parsed.root else {
        if !diagnostics
            .iter()
            .any(|d| d.severity == crate::Severity::Error)
        {
            diagnostics.push(
                Diagnostic::error(
                    "syntax-error",
                    file.path.clone(),
                    format!("file is empty; expected {}", expectation(kind)),
                )
                .at(Some(yaml::point(&file.text, 0))),
            );
        }
        return None;
    };
    let (value, errors) = match kind {
        Kind::Config => typed(&root, Value::Config),
        Kind::Standard(_) => typed(&root, Value::Standard),
        Kind::Entity(_) => typed(&root, Value::Entity),
        Kind::CodeList(_) => typed(&root, Value::CodeList),
        Kind::Unexpected | Kind::Ignored => (None, Vec::new()),
    };
    for e in errors.into_iter().chain(missing_keys(kind, &root)) {
        push(diagnostics, e);
    }
    file.root = Some(Arc::new(root));
    value
}

fn typed<T: DeserializeOwned>(
    root: &Node,
    wrap: fn(T) -> Value,
) -> (Option<Value>, Vec<yaml::Error>) {
    let (value, errors) = yaml::from_node::<T>(root);
    (value.map(wrap), errors)
}

/// Keys the format requires that the model reads leniently (so that an element without them
/// still loads and can be diffed): report them when absent.
fn missing_keys(kind: &Kind, root: &Node) -> Vec<yaml::Error> {
    let missing = |node: &Node, key: &str| {
        (matches!(node.kind, yaml::NodeKind::Map(_)) && node.get(key).is_none())
            .then(|| yaml::Error::missing(key, node.span))
    };
    match kind {
        Kind::Standard(_) => ["title", "version"]
            .iter()
            .filter_map(|k| missing(root, k))
            .collect(),
        Kind::Entity(_) => match root.get("fields").map(|f| &f.kind) {
            Some(yaml::NodeKind::Seq(fields)) => fields
                .iter()
                .filter(|f| f.get("name").is_some())
                .filter_map(|f| missing(f, "type"))
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn expectation(kind: &Kind) -> &'static str {
    match kind {
        Kind::Config => "the repository settings (`site`, `consumers`, `lint`, ...)",
        Kind::Standard(_) => "a mapping with `id`, `title` and `version`",
        Kind::Entity(_) => "a mapping with `name` and `fields`",
        Kind::CodeList(_) => "a mapping with `name` and `codes`",
        Kind::Unexpected | Kind::Ignored => "YAML",
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
}

impl Location {
    /// The root of a file.
    pub fn file(file: FileId) -> Self {
        Location {
            file,
            path: Vec::new(),
            on_key: false,
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

    /// Points at the key itself rather than its value.
    pub fn on_key(mut self) -> Self {
        self.on_key = true;
        self
    }
}

#[cfg(test)]
mod tests;
