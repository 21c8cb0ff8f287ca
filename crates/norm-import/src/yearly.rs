//! Sources kept as one file a year (column maps and their patches, XSDs): the files of a
//! folder in year order, the collection year each names, and the standard they describe.

use std::path::{Path, PathBuf};

use norm_model::StandardMeta;
use norm_model::model::Source;

use crate::common::name_of;
use crate::{ImportError, Place};

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
    let id = name_of(&title).replace('_', "-");
    (id, title)
}

/// The standard an import fills in: id and title from the first source's file name, a draft at
/// 0.1.0, and one `sources:` entry per file read (by file name only, so that the
/// same source gives the same bytes on every machine).
pub(crate) fn standard(files: &[PathBuf]) -> StandardMeta {
    let (id, title) = files
        .first()
        .map(|f| id_and_title(f))
        .unwrap_or_else(|| ("imported".to_owned(), "Imported".to_owned()));
    let source = |f: &PathBuf| Source {
        title: file_name(f),
        url: None,
        publisher: None,
        licence: None,
    };
    let mut sources = files.iter().map(source);
    let first = sources
        .next()
        .unwrap_or_else(|| source(&PathBuf::from(&title)));
    let mut standard = crate::common::standard(id, title, first);
    standard.sources.extend(sources);
    standard
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
