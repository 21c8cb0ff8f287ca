//! Loading blobs: each file parsed and deserialised on its own (in parallel), then assembled
//! into a catalog.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use super::{Blob, Catalog, Doc, FileId, SourceFile, Standard};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, LoaderRule};
use crate::model::{CodeList, Entity, LenientlyRequired, Rule, StandardMeta};
use crate::yaml::{self, Node};

/// Largest standards file accepted, in bytes. Real files are a few kilobytes; the limit keeps a
/// stray data dump from stalling every command.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The files of another catalog that a load may take over unchanged.
struct Reuse<'a> {
    catalog: &'a Catalog,
    by_path: HashMap<&'a str, FileId>,
    values: HashMap<FileId, ValueRef<'a>>,
}

#[derive(Clone, Copy)]
enum ValueRef<'a> {
    Config(&'a Arc<Config>),
    Standard(&'a Arc<StandardMeta>),
    Entity(&'a Arc<Entity>),
    CodeList(&'a Arc<CodeList>),
    Rule(&'a Arc<Rule>),
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
            values.extend(s.rules.iter().map(|r| (r.file, ValueRef::Rule(&r.value))));
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
            ValueRef::Rule(r) => Value::Rule(r.clone()),
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
    Rule(String),
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
        ["standards", dir, "rules", file] if file.ends_with(".yaml") => Kind::Rule(dir.to_string()),
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
    Config(Arc<Config>),
    Standard(Arc<StandardMeta>),
    Entity(Arc<Entity>),
    CodeList(Arc<CodeList>),
    Rule(Arc<Rule>),
}

/// What a reader of a revision (the working tree, a git commit) hands the loader: the files it
/// read, and its diagnostics about those it would not or could not read (links, oversized
/// files). Both go into the catalog, so that no command can report one without the other.
#[derive(Debug, Clone, Default)]
pub struct Files {
    /// The files read.
    pub blobs: Vec<Blob>,
    /// The reader's own problems, each naming a file that is not among `blobs`.
    pub diagnostics: Vec<Diagnostic>,
}

/// Blobs that come from no reader (built in memory), so with no reader problems.
impl From<Vec<Blob>> for Files {
    fn from(blobs: Vec<Blob>) -> Self {
        Files {
            blobs,
            diagnostics: Vec::new(),
        }
    }
}

/// What `worktree::read_worktree` returns.
impl From<(Vec<Blob>, Vec<Diagnostic>)> for Files {
    fn from((blobs, diagnostics): (Vec<Blob>, Vec<Diagnostic>)) -> Self {
        Files { blobs, diagnostics }
    }
}

impl Catalog {
    /// Loads what a reader read into a catalog, with the reader's diagnostics: what every
    /// command loads a revision with. Files are parsed in parallel; the result does not depend on
    /// the order of the blobs.
    pub fn load_files(files: impl Into<Files>) -> Catalog {
        Catalog::load_inner(files.into(), None)
    }

    /// Loads blobs that come from no reader (built in memory, as tests and benchmarks do).
    pub fn load(blobs: Vec<Blob>) -> Catalog {
        Catalog::load_files(blobs)
    }

    /// Loads files, taking every file whose path and content equal a file of `other` from
    /// `other` instead of parsing it again. Two revisions of a repository share most files, so
    /// this roughly halves the work of loading both sides of a diff. The result is the same as
    /// [`Catalog::load_files`]'s.
    pub fn load_reusing(files: impl Into<Files>, other: &Catalog) -> Catalog {
        Catalog::load_inner(files.into(), Some(other))
    }

    fn load_inner(files: Files, other: Option<&Catalog>) -> Catalog {
        let Files {
            mut blobs,
            diagnostics: read,
        } = files;
        // In natural order, so that `list_2` comes before `list_10` in every page, report and
        // export, as a reader counts.
        blobs.sort_by(|a, b| natural_order(&a.path, &b.path));
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
                Kind::Standard(d) | Kind::Entity(d) | Kind::CodeList(d) | Kind::Rule(d) => {
                    Some(d.clone())
                }
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
                (Some(Value::Rule(value)), Some(s)) => s.rules.push(Doc { file: id, value }),
                _ => {}
            }
        }
        for standard in catalog.standards.values() {
            let path = format!("standards/{}/standard.yaml", standard.dir);
            // A standard.yaml the reader would not read is reported by the reader already.
            if standard.meta.is_none()
                && !catalog.files.iter().any(|f| f.path == path)
                && !read.iter().any(|d| d.file == path)
            {
                catalog.diagnostics.push(Diagnostic::loader(
                    LoaderRule::MissingKey,
                    format!("standards/{}", standard.dir),
                    format!(
                        "standard folder `{}` has no standard.yaml, so its entities and code \
                         lists belong to no standard",
                        standard.dir
                    ),
                ));
            }
        }
        catalog.diagnostics.extend(read);
        catalog
    }
}

fn load_blob(blob: Blob) -> Option<Loaded> {
    let kind = classify(&blob.path);
    let mut file = SourceFile::new(blob.path, Arc::from(""));
    let mut diagnostics = Vec::new();
    if let Kind::Ignored = kind {
        return None;
    }
    if let Kind::Unexpected = kind {
        diagnostics.push(Diagnostic {
            severity: crate::Severity::Warning,
            help: Some(
                "a standard holds standard.yaml, entities/<name>.yaml, \
                 codelists/<name>.yaml and rules/<code>.yaml; anything else is not read"
                    .into(),
            ),
            ..Diagnostic::loader(
                LoaderRule::UnexpectedFile,
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
        diagnostics.push(Diagnostic::loader(
            LoaderRule::UnreadableFile,
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
                Diagnostic::loader(
                    LoaderRule::SyntaxError,
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
            Diagnostic::loader(e.rule, file.path.clone(), e.message)
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
                Diagnostic::loader(
                    LoaderRule::SyntaxError,
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
        Kind::Rule(_) => typed(&root, Value::Rule),
        Kind::Unexpected | Kind::Ignored => (None, Vec::new()),
    };
    let missing = missing_keys(kind, &root, &errors);
    for e in errors.into_iter().chain(missing) {
        push(diagnostics, e);
    }
    value
}

fn typed<T: DeserializeOwned>(
    root: &Node,
    wrap: fn(Arc<T>) -> Value,
) -> (Option<Value>, Vec<yaml::Error>) {
    let (value, errors) = yaml::from_node::<T>(root);
    (value.map(|v| wrap(Arc::new(v))), errors)
}

/// Keys the format requires that the model reads leniently (so that an element without them
/// still loads and can be diffed): report them when absent, unless a misspelling of the key in
/// the same mapping was already reported (`errors`): one typo, one error.
fn missing_keys(kind: &Kind, root: &Node, errors: &[yaml::Error]) -> Vec<yaml::Error> {
    let misspelt = |node: &Node, key: &str| match &node.kind {
        yaml::NodeKind::Map(entries) => errors.iter().any(|e| {
            e.rule == LoaderRule::UnknownKey
                && e.key == Some(key)
                && entries.iter().any(|(k, _)| Some(k.span) == e.span)
        }),
        _ => false,
    };
    let missing = |node: &Node, key: &'static str| {
        (matches!(node.kind, yaml::NodeKind::Map(_))
            && node.get(key).is_none()
            && !misspelt(node, key))
        .then(|| yaml::Error::missing(key, node.span))
    };
    match kind {
        Kind::Standard(_) => <StandardMeta as LenientlyRequired>::KEYS
            .iter()
            .filter_map(|k| missing(root, k))
            .collect(),
        Kind::Rule(_) => <Rule as LenientlyRequired>::KEYS
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
        Kind::Rule(_) => {
            "a mapping with `code`, `title`, `severity`, `entity` and `check` or `select`"
        }
        Kind::Unexpected | Kind::Ignored => "YAML",
    }
}

/// `a` and `b` compared as people order names: runs of digits by their value (`list_2` before
/// `list_10`), everything else byte by byte. Names equal that way (`f1`, `f01`) fall back to
/// plain byte order, so the order is total and stable.
pub fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        if x[i].is_ascii_digit() && y[j].is_ascii_digit() {
            let run = |s: &[u8], mut k: usize| {
                while k < s.len() && s[k] == b'0' {
                    k += 1;
                }
                let start = k;
                while k < s.len() && s[k].is_ascii_digit() {
                    k += 1;
                }
                (start, k)
            };
            let ((xs, xe), (ys, ye)) = (run(x, i), run(y, j));
            let by_value = (xe - xs)
                .cmp(&(ye - ys))
                .then_with(|| x[xs..xe].cmp(&y[ys..ye]));
            if by_value.is_ne() {
                return by_value;
            }
            (i, j) = (xe, ye);
        } else {
            if x[i] != y[j] {
                return x[i].cmp(&y[j]);
            }
            i += 1;
            j += 1;
        }
    }
    (x.len() - i).cmp(&(y.len() - j)).then_with(|| a.cmp(b))
}
