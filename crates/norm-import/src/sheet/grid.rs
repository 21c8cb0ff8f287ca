//! The cells of a data dictionary: a CSV file or every sheet of a workbook, with the place of
//! each cell for the mapping report.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};

use crate::source::read_text_or_windows_1252;
use crate::{ImportError, Note, Place};

/// One table of cells: a CSV file or a sheet of a workbook.
pub(super) struct Grid {
    pub(super) file: PathBuf,
    /// The sheet's name; `None` for a CSV file.
    sheet: Option<String>,
    pub(super) rows: Vec<Vec<String>>,
    /// The 1-based line of each row of a CSV file, or the 0-based row and column of the first
    /// cell of a sheet.
    lines: Vec<usize>,
    origin: (usize, usize),
}

impl Grid {
    pub(super) fn place(&self, row: usize, column: usize) -> Place {
        match &self.sheet {
            None => Place::Line {
                file: self.file.clone(),
                line: self.lines.get(row).copied().unwrap_or(row + 1),
                column: Some(column + 1),
            },
            Some(sheet) => Place::Cell {
                file: self.file.clone(),
                sheet: sheet.clone(),
                cell: a1(self.origin.0 + row, self.origin.1 + column),
            },
        }
    }

    pub(super) fn cell(&self, row: usize, column: Option<usize>) -> &str {
        column
            .and_then(|c| self.rows.get(row)?.get(c))
            .map_or("", |s| s.trim())
    }

    /// The stem used when the grid has no entity column: the sheet or the file's stem.
    pub(super) fn stem(&self) -> String {
        self.sheet.clone().unwrap_or_else(|| {
            self.file
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
        })
    }
}

/// A 0-based row and column in A1 notation.
fn a1(row: usize, column: usize) -> String {
    let mut letters = String::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// Reads a CSV file or every sheet of a workbook.
pub(super) fn grids(path: &Path, notes: &mut Vec<Note>) -> Result<Vec<Grid>, ImportError> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if extension == "csv" || extension == "txt" || extension == "tsv" {
        return Ok(vec![csv_grid(path, notes)?]);
    }
    let failed = |e: String| ImportError {
        place: Place::File {
            file: path.to_path_buf(),
        },
        message: format!("cannot read the workbook: {e}"),
    };
    if let Some(why) = norm_model::workbook::file_not_a_workbook(path) {
        return Err(failed(why.to_owned()));
    }
    let mut workbook = open_workbook_auto(path).map_err(|e| failed(e.to_string()))?;
    let mut out = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| failed(e.to_string()))?;
        let origin = range
            .start()
            .map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let rows = range
            .rows()
            .map(|r| r.iter().map(text_of).collect())
            .collect();
        out.push(Grid {
            file: path.to_path_buf(),
            sheet: Some(name),
            rows,
            lines: Vec::new(),
            origin,
        });
    }
    Ok(out)
}

/// A cell as text: whole numbers without a decimal point, so that a code `1` stays `1`.
fn text_of(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

fn csv_grid(path: &Path, notes: &mut Vec<Note>) -> Result<Grid, ImportError> {
    let (text, encoding) = read_text_or_windows_1252(path)?;
    notes.extend(encoding);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.matches(char::from(*d)).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError {
            place: match e.position() {
                Some(p) => Place::Line {
                    file: path.to_path_buf(),
                    line: p.line() as usize,
                    column: None,
                },
                None => Place::File {
                    file: path.to_path_buf(),
                },
            },
            message: format!("not valid CSV: {e}"),
        })?;
        lines.push(
            record
                .position()
                .map_or(rows.len() + 1, |p| p.line() as usize),
        );
        rows.push(record.iter().map(str::to_owned).collect());
    }
    if text.matches('"').count() % 2 == 1 {
        return Err(ImportError {
            place: Place::Line {
                file: path.to_path_buf(),
                line: lines.last().copied().unwrap_or(1),
                column: None,
            },
            message: "a quoted value on this row is never closed, so the rest of the file \
                      would be read into it: close the quote"
                .to_owned(),
        });
    }
    Ok(Grid {
        file: path.to_path_buf(),
        sheet: None,
        rows,
        lines,
        origin: (0, 0),
    })
}
