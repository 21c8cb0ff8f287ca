//! Reading data files into tables of text cells: CSV streamed record by record, and the sheets
//! of XLSX and ODS workbooks. Every cell arrives as text, with the line or cell it came from, so
//! the structure pass reads every source the same way.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use calamine::{Data, Reader, Sheets};
use csv::{ByteRecord, StringRecord};
use serde::Serialize;

use crate::ValidateError;
use crate::dates;

/// The text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 (with or without a byte-order mark): the default.
    #[default]
    Utf8,
    /// Windows-1252, which case-management systems often export.
    Windows1252,
}

/// A problem of the file itself, found while reading it, reported as an `encoding` issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EncodingNote {
    /// The physical line of the first byte that is not UTF-8.
    pub line: u64,
}

/// One table of data: a CSV file or a workbook's sheet, header read, rows still to come.
pub(crate) struct Table {
    /// The name matched against entities: the file stem or the sheet name.
    pub name: String,
    /// How reports name it: the path as given, with `#sheet` for a workbook's sheet.
    pub file: String,
    /// The header row, trimmed (a leading byte-order mark removed).
    pub headers: Vec<String>,
    /// Whether cells come from a spreadsheet (dates may be serial numbers there).
    pub spreadsheet: bool,
    rows: Rows,
}

enum Rows {
    Csv(Box<CsvRows>),
    Sheet(SheetRows),
}

impl Table {
    /// The next data row into `record`, with its physical line (the sheet row for a
    /// workbook); `None` at the end.
    pub fn next(&mut self, record: &mut StringRecord) -> Result<Option<u64>, ValidateError> {
        match &mut self.rows {
            Rows::Csv(rows) => rows.next(record, &self.file),
            Rows::Sheet(rows) => Ok(rows.next(record)),
        }
    }

    /// The spreadsheet cell of column `column` on line `line` (`C7`), for workbooks.
    pub fn cell(&self, line: u64, column: usize) -> Option<String> {
        self.spreadsheet
            .then(|| format!("{}{line}", column_letters(column)))
    }

    /// How many data rows the table holds, estimated once `rows` rows are read: exact for a
    /// sheet, from the bytes a row has taken so far for a CSV file. Key sets are sized from it
    /// rather than grown step by step.
    pub fn estimated_rows(&self, rows: u64) -> u64 {
        match &self.rows {
            Rows::Csv(csv) => {
                let read = csv.reader.position().byte().max(1);
                csv.size.saturating_mul(rows.max(1)) / read
            }
            Rows::Sheet(sheet) => sheet.cells.len() as u64,
        }
    }

    /// Where the file was not UTF-8, once read to the end.
    pub fn encoding_note(&self) -> Option<EncodingNote> {
        match &self.rows {
            Rows::Csv(rows) => rows.not_utf8.clone(),
            Rows::Sheet(_) => None,
        }
    }
}

/// Opens `path` as one table (CSV) or one table per sheet (XLSX, XLSM, ODS), by extension.
/// An Excel 97-2003 `.xls` is refused with what to do instead.
pub(crate) fn open(path: &Path, encoding: Encoding) -> Result<Vec<Table>, ValidateError> {
    let shown = path.display().to_string();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("xlsx" | "xlsm" | "ods") => open_workbook(path, &shown),
        Some("xls") => Err(ValidateError::Unreadable {
            file: shown,
            place: String::new(),
            why: norm_model::workbook::file_not_a_workbook(path)
                .unwrap_or(
                    "Excel 97-2003 workbooks (.xls) are not read: save it as .xlsx (Excel \
                     Workbook) or as CSV",
                )
                .to_owned(),
        }),
        _ => Ok(vec![open_csv(path, shown, encoding)?]),
    }
}

struct CsvRows {
    reader: csv::Reader<File>,
    encoding: Encoding,
    not_utf8: Option<EncodingNote>,
    /// Whether the file's last byte (line endings aside) is a quote: a value that spans lines
    /// and runs to the end of the file without one was opened and never closed.
    ends_with_quote: bool,
    /// The line and multi-line state of the last record read.
    last: Option<(u64, bool)>,
    /// The buffers of the record before last, read into next: a row allocates nothing.
    spare: Option<ByteRecord>,
    /// The file's size in bytes, to estimate how many rows it holds.
    size: u64,
}

fn open_csv(path: &Path, shown: String, encoding: Encoding) -> Result<Table, ValidateError> {
    let unreadable = |e: std::io::Error| ValidateError::Io {
        file: shown.clone(),
        error: e.to_string(),
    };
    let mut file = File::open(path).map_err(unreadable)?;
    let ends_with_quote = last_byte(&mut file).map_err(unreadable)? == Some(b'"');
    let size = file.metadata().map_err(unreadable)?.len();
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file);
    let mut rows = CsvRows {
        reader,
        encoding,
        not_utf8: None,
        ends_with_quote,
        last: None,
        spare: None,
        size,
    };
    let mut header = StringRecord::new();
    if rows.next(&mut header, &shown)?.is_none() {
        return Err(ValidateError::Unreadable {
            file: shown,
            place: "line 1".to_owned(),
            why: "the file is empty: a data file starts with a header row naming its columns"
                .to_owned(),
        });
    }
    let headers = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 {
                h.trim_start_matches('\u{feff}')
            } else {
                h
            };
            h.trim().to_owned()
        })
        .collect();
    let name = stem(path);
    Ok(Table {
        name,
        file: shown,
        headers,
        spreadsheet: false,
        rows: Rows::Csv(Box::new(rows)),
    })
}

/// The last byte of the file that is not a line ending, the file left at its start.
fn last_byte(file: &mut File) -> std::io::Result<Option<u8>> {
    let length = file.seek(SeekFrom::End(0))?;
    let tail = length.min(4);
    file.seek(SeekFrom::End(-(tail as i64)))?;
    let mut bytes = Vec::with_capacity(4);
    file.read_to_end(&mut bytes)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(bytes
        .iter()
        .rev()
        .copied()
        .find(|b| !matches!(b, b'\r' | b'\n')))
}

impl CsvRows {
    fn next(
        &mut self,
        record: &mut StringRecord,
        file: &str,
    ) -> Result<Option<u64>, ValidateError> {
        // Two records' buffers take turns (the one read into, the one handed out), so that no
        // row allocates.
        let mut bytes = self.spare.take().unwrap_or_default();
        let more =
            self.reader
                .read_byte_record(&mut bytes)
                .map_err(|e| ValidateError::Unreadable {
                    file: file.to_owned(),
                    place: e
                        .position()
                        .map_or_else(String::new, |p| format!("line {}", p.line())),
                    why: e.to_string(),
                })?;
        if !more {
            return match self.last {
                Some((line, true)) if !self.ends_with_quote => Err(ValidateError::Unreadable {
                    file: file.to_owned(),
                    place: format!("line {line}"),
                    why: "a quoted value in the row starting here is never closed, so the rest of \
                          the file was read into it: add the closing quote"
                        .to_owned(),
                }),
                _ => Ok(None),
            };
        }
        let line = bytes.position().map_or(0, |p| p.line());
        let multiline = bytes
            .get(bytes.len().saturating_sub(1))
            .is_some_and(|last| last.contains(&b'\n'));
        self.last = Some((line, multiline));
        let text = match self.encoding {
            Encoding::Windows1252 => windows_1252(&bytes),
            Encoding::Utf8 => match StringRecord::from_byte_record(bytes) {
                Ok(text) => text,
                Err(error) => {
                    self.not_utf8.get_or_insert(EncodingNote { line });
                    windows_1252(&error.into_byte_record())
                }
            },
        };
        self.spare = Some(std::mem::replace(record, text).into_byte_record());
        Ok(Some(line))
    }
}

/// Decodes every field as Windows-1252, which maps every byte to a character.
fn windows_1252(bytes: &ByteRecord) -> StringRecord {
    bytes
        .iter()
        .map(|field| {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(field)
                .0
        })
        .collect::<Vec<_>>()
        .iter()
        .collect()
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

struct SheetRows {
    cells: Vec<Vec<String>>,
    /// The sheet row of `cells[0]`, 1-based.
    first_line: u64,
    next: usize,
}

impl SheetRows {
    fn next(&mut self, record: &mut StringRecord) -> Option<u64> {
        let row = self.cells.get(self.next)?;
        record.clear();
        for cell in row {
            record.push_field(cell);
        }
        self.next += 1;
        Some(self.first_line + self.next as u64 - 1)
    }
}

fn open_workbook(path: &Path, shown: &str) -> Result<Vec<Table>, ValidateError> {
    let fail = |place: String, why: String| ValidateError::Unreadable {
        file: shown.to_owned(),
        place,
        why,
    };
    if let Some(why) = norm_model::workbook::file_not_a_workbook(path) {
        return Err(fail(String::new(), why.to_owned()));
    }
    let mut workbook =
        calamine::open_workbook_auto(path).map_err(|e| fail(String::new(), e.to_string()))?;
    let mut tables = Vec::new();
    for sheet in workbook.sheet_names() {
        let at_sheet = |place: String| {
            format!(
                "sheet {sheet}{}",
                if place.is_empty() {
                    String::new()
                } else {
                    format!(", cell {place}")
                }
            )
        };
        if let Sheets::Xlsx(xlsx) = &mut workbook {
            let merged = xlsx
                .merge_cells_by_sheet_name(&sheet)
                .map_err(|e| fail(at_sheet(String::new()), e.to_string()))?;
            if let Some(region) = merged.first() {
                let range = format!(
                    "{}{}:{}{}",
                    column_letters(region.start.1 as usize),
                    region.start.0 + 1,
                    column_letters(region.end.1 as usize),
                    region.end.0 + 1
                );
                return Err(fail(
                    at_sheet(range),
                    "merged cells: a merged cell holds one value for several rows or columns; \
                     unmerge them so that every cell has its own value"
                        .to_owned(),
                ));
            }
        }
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|e| fail(at_sheet(String::new()), e.to_string()))?;
        let formulas = workbook
            .worksheet_formula(&sheet)
            .map_err(|e| fail(at_sheet(String::new()), e.to_string()))?;
        for (row, column, formula) in formulas.used_cells() {
            let (r, c) = (
                row as u32 + formulas.start().map_or(0, |s| s.0),
                column as u32 + formulas.start().map_or(0, |s| s.1),
            );
            if !formula.is_empty() && range.get_value((r, c)).is_none_or(|v| *v == Data::Empty) {
                return Err(fail(
                    at_sheet(format!("{}{}", column_letters(c as usize), r + 1)),
                    format!(
                        "the formula `={formula}` has no saved result: open the workbook in a \
                         spreadsheet program and save it, or paste the values"
                    ),
                ));
            }
        }
        let Some((first_row, first_column)) = range.start() else {
            return Err(fail(
                at_sheet(String::new()),
                "the sheet is empty: it needs a header row".to_owned(),
            ));
        };
        let mut rows = range.rows().map(|cells| {
            // Cells left of the used range do not exist in the range: pad them back.
            let mut row: Vec<String> = vec![String::new(); first_column as usize];
            row.extend(cells.iter().map(cell_text));
            row
        });
        let headers = rows
            .next()
            .unwrap_or_default()
            .into_iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let cells: Vec<Vec<String>> = rows.collect();
        tables.push(Table {
            name: sheet.clone(),
            file: format!("{shown}#{sheet}"),
            headers,
            spreadsheet: true,
            rows: Rows::Sheet(SheetRows {
                cells,
                first_line: u64::from(first_row) + 2,
                next: 0,
            }),
        });
    }
    Ok(tables)
}

/// A cell as text. Dates become ISO 8601, so that a date column reads the same whether the
/// cell holds a formatted date or text; numbers that are whole print without a fraction.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match dates::from_serial(d.as_f64()) {
            Some(stamp) if stamp.seconds == 0 => stamp.iso_date(),
            Some(stamp) => stamp.iso_datetime(),
            None => d.as_f64().to_string(),
        },
        Data::Error(e) => e.to_string(),
    }
}

/// The spreadsheet letters of a 0-based column: 0 is `A`, 26 is `AA`.
pub(crate) fn column_letters(column: usize) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}
