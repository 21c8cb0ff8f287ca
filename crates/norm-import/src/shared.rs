//! What the format modules share: reading a source file's text, naming elements, and the
//! standard every import starts from.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use norm_model::model::{Source, StandardStatus};
use norm_model::{Code, CodeList, Entity, Field, FieldType, StandardMeta};

use crate::{ImportError, Note, Place};

/// The version an imported standard starts at: below 1.0.0, so that the 0.y rules apply until
/// its curators declare it stable.
pub(crate) const FIRST_VERSION: &str = "0.1.0";

/// Reads a text source. A UTF-8 byte order mark is dropped; text that is not UTF-8 is read as
/// Windows-1252 (what spreadsheet programs on Windows write) and a note says so and where the
/// first such byte is, so that a curator can check the accented letters.
pub(crate) fn read_text(path: &Path) -> Result<(String, Option<Note>), ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError {
        place: Place::File {
            file: path.to_path_buf(),
        },
        message: format!("cannot read the file: {e}"),
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_owned(), None)),
        Err(e) => {
            let (line, column) = line_column(&bytes[..e.valid_up_to()]);
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            let note = Note {
                place: Place::Line {
                    file: path.to_path_buf(),
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

/// The 1-based line and column just past `before`, counting columns in characters.
fn line_column(before: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(before);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A snake_case name (`^[a-z][a-z0-9_]*$`) for a source's table, column or type name:
/// `DECOM` → `decom`, `Child Unique ID` → `child_unique_id`, `PersonBirthDate` →
/// `person_birth_date`. Words are split at anything not a letter or digit and where a lower-case
/// letter or digit is followed by a capital; runs of capitals stay one word (`LAchildID` →
/// `lachild_id`), so that acronyms are not cut into letters.
pub(crate) fn snake_case(source: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in source.chars() {
        if c.is_ascii_alphanumeric() {
            let boundary = c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if boundary && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        previous = Some(c);
    }
    let trimmed = out.trim_end_matches('_');
    match trimmed.chars().next() {
        None => "unnamed".to_owned(),
        Some(first) if first.is_ascii_digit() => format!("n_{trimmed}"),
        Some(_) => trimmed.to_owned(),
    }
}

/// Hands out names unique within one scope (the fields of an entity, the entities or code lists
/// of a standard): a name already taken gets `_2`, `_3`, ... so that two source names that
/// differ only in case or punctuation still become two elements.
#[derive(Debug, Default)]
pub(crate) struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    /// `wanted`, or `wanted_N` with the first N that is free. The second value says whether a
    /// suffix was needed, for the mapping report.
    pub(crate) fn claim(&mut self, wanted: String) -> (String, bool) {
        if self.taken.insert(wanted.clone()) {
            return (wanted, false);
        }
        let name = (2..)
            .map(|n| format!("{wanted}_{n}"))
            .find(|candidate| !self.taken.contains(candidate))
            .unwrap_or_default();
        self.taken.insert(name.clone());
        (name, true)
    }
}

/// The standard id and title a source's file name suggests: `SSDA903_schema_2017.yml` →
/// (`ssda903`, `SSDA903`), `CIN_schema_2024.xsd` → (`cin`, `CIN`). The words before `schema`
/// or the year are kept; `--standard` overrides the id.
pub(crate) fn id_and_title(path: &Path) -> (String, String) {
    let stem = file_name(path);
    let stem = stem.split('.').next().unwrap_or_default();
    let words: Vec<&str> = stem
        .split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .take_while(|w| !w.eq_ignore_ascii_case("schema") && year_of(w).is_none())
        .collect();
    let title = if words.is_empty() {
        stem.to_owned()
    } else {
        words.join(" ")
    };
    let id = snake_case(&title).replace('_', "-");
    (id, title)
}

/// The standard an import fills in: id and title from the first source's file name, the first
/// version, status draft, and one `sources:` entry per file read (by file name only, so that the
/// same source gives the same bytes on every machine).
pub(crate) fn standard(files: &[PathBuf]) -> StandardMeta {
    let (id, title) = files
        .first()
        .map(|f| id_and_title(f))
        .unwrap_or_else(|| ("imported".to_owned(), "Imported".to_owned()));
    StandardMeta {
        id,
        title: Some(title),
        version: Some(FIRST_VERSION.to_owned()),
        status: Some(StandardStatus::Draft),
        summary: None,
        description: None,
        owner: None,
        licence: None,
        compatibility: None,
        requires: Default::default(),
        sources: files
            .iter()
            .map(|f| Source {
                title: file_name(f),
                url: None,
                publisher: None,
                licence: None,
            })
            .collect(),
        data: None,
    }
}

/// The file name of `path`, for messages and `sources:`.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The four-digit year (1900 to 2199) a word or file stem is, if it is one.
fn year_of(word: &str) -> Option<u32> {
    (word.len() == 4)
        .then(|| word.parse::<u32>().ok())
        .flatten()
        .filter(|y| (1900..2200).contains(y))
}

/// The collection year a file name carries, as the history labels it: the file years of the
/// sources are collection end years, so `CIN_schema_2025.xsd` is `2024-25`. `None` when the
/// name holds no year.
pub(crate) fn collection_year(path: &Path) -> Option<(u32, String)> {
    let name = file_name(path);
    let year = name
        .split(|c: char| !c.is_ascii_digit())
        .find_map(year_of)?;
    Some((year, format!("{}-{:02}", year - 1, year % 100)))
}

/// The label of a history step read from `path`: its collection year, or its file name.
pub(crate) fn revision_label(path: &Path) -> String {
    collection_year(path).map_or_else(|| file_name(path), |(_, label)| label)
}

/// A field with only a name, a type and its column header; the format fills in the rest.
pub(crate) fn field(name: String, column: Option<String>, field_type: FieldType) -> Field {
    Field {
        name,
        item: None,
        column,
        title: None,
        description: None,
        field_type: Some(field_type),
        required: false,
        multiple: false,
        codelist: None,
        references: None,
        constraints: None,
        examples: Vec::new(),
        used_by: Vec::new(),
        mappings: Vec::new(),
        status: None,
        deprecation: None,
        renamed_from: Vec::new(),
        since: None,
        position: 0,
    }
}

/// An entity with a name and fields; the format fills in the rest.
pub(crate) fn entity(name: String, fields: Vec<Field>) -> Entity {
    Entity {
        name,
        title: None,
        description: None,
        status: None,
        deprecation: None,
        renamed_from: Vec::new(),
        primary_key: Vec::new(),
        unique_keys: Vec::new(),
        data: None,
        fields,
    }
}

/// A closed code list: the sources' enumerations are what validation accepts, so adding a
/// code is a change consumers must hear of.
pub(crate) fn codelist(name: String, codes: Vec<Code>) -> CodeList {
    CodeList {
        name,
        title: None,
        description: None,
        item: None,
        extensible: Some(false),
        source: None,
        status: None,
        deprecation: None,
        renamed_from: Vec::new(),
        codes,
    }
}

/// A code with its label.
pub(crate) fn code(code: String, label: Option<String>) -> Code {
    Code {
        code,
        label,
        description: None,
        status: None,
        deprecation: None,
        renamed_from: Vec::new(),
        since: None,
        position: 0,
    }
}

/// Code lists for the coded fields of a standard, one per distinct set of codes: fields whose
/// codes (and labels) are identical share one list. A list is named after its field when every
/// field that uses it has that name and no other list wants it, and `<entity>_<field>` otherwise,
/// so that names stay stable when one of several same-named columns changes its codes.
#[derive(Debug, Default)]
pub(crate) struct SharedLists {
    groups: Vec<ListGroup>,
}

/// One distinct set of codes and the `(entity, field)` indices of the fields that take it.
type ListGroup = (Vec<Code>, Vec<(usize, usize)>);

impl SharedLists {
    /// Records that field `field` of entity `entity` takes `codes`.
    pub(crate) fn add(&mut self, entity: usize, field: usize, codes: Vec<Code>) {
        match self.groups.iter_mut().find(|(c, _)| *c == codes) {
            Some((_, members)) => members.push((entity, field)),
            None => self.groups.push((codes, vec![(entity, field)])),
        }
    }

    /// Names the lists, points each member field at its list, and returns the lists in the
    /// order their first field appears.
    pub(crate) fn finish(self, entities: &mut [Entity]) -> Vec<CodeList> {
        let field_name = |entities: &[Entity], (e, f): (usize, usize)| -> String {
            entities[e].fields[f].name.clone()
        };
        let wanted: Vec<String> = self
            .groups
            .iter()
            .map(|(_, members)| {
                let first = field_name(entities, members[0]);
                let same = members.iter().all(|m| field_name(entities, *m) == first);
                if same { first } else { String::new() }
            })
            .collect();
        let mut names = Names::default();
        let mut lists = Vec::new();
        for (index, (codes, members)) in self.groups.into_iter().enumerate() {
            let (e, f) = members[0];
            let contested = wanted[index].is_empty()
                || wanted.iter().filter(|w| **w == wanted[index]).count() > 1;
            let base = if contested {
                format!("{}_{}", entities[e].name, entities[e].fields[f].name)
            } else {
                wanted[index].clone()
            };
            let (name, _) = names.claim(base);
            for (e, f) in members {
                entities[e].fields[f].codelist = Some(name.clone());
            }
            lists.push(codelist(name, codes));
        }
        lists
    }
}

/// The error for an import given no source files (of `what`, such as "XML Schema").
pub(crate) fn no_sources(what: &str) -> ImportError {
    ImportError {
        place: Place::File {
            file: PathBuf::from("."),
        },
        message: format!("no {what} given"),
    }
}

/// Whether a file is a yearly patch (`*.diff.yml`) rather than a complete specification.
pub(crate) fn is_patch(path: &Path) -> bool {
    let name = file_name(path);
    name.ends_with(".diff.yml") || name.ends_with(".diff.yaml")
}

/// The files to read for yearly sources: each file as given, and each folder as its files
/// with one of `extensions`, ordered by the year in their names (a complete specification
/// before a patch of the same year), so that a folder of yearly files replays in order.
pub(crate) fn yearly_files(
    sources: &[PathBuf],
    extensions: &[&str],
    what: &str,
) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    for source in sources {
        if !source.is_dir() {
            files.push(source.clone());
            continue;
        }
        let entries = std::fs::read_dir(source).map_err(|e| ImportError {
            place: Place::File {
                file: source.clone(),
            },
            message: format!("cannot read the folder: {e}"),
        })?;
        let mut found: Vec<(u32, bool, PathBuf)> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| extensions.iter().any(|e| x == *e))
            })
            .map(|p| (collection_year(&p).map_or(0, |(y, _)| y), is_patch(&p), p))
            .collect();
        found.sort();
        files.extend(found.into_iter().map(|(_, _, p)| p));
    }
    if files.is_empty() {
        return Err(no_sources(what));
    }
    Ok(files)
}
