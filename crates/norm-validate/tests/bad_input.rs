//! Bad input: each case gets a clear error naming the file and the line or cell, and nothing is
//! skipped in silence.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use norm_validate::{Encoding, ValidateError};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

fn error(files: &[(&str, &[u8])]) -> String {
    let message = run_in(&catalog(), files, Encoding::Utf8)
        .map(|r| format!("no error, but {:?}", issues(&r)))
        .unwrap_or_else(|e| e.to_string());
    // Temporary folders differ from run to run.
    message
        .split(' ')
        .map(|w| if w.contains('/') { file_name(w) } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn windows_1252_is_detected_and_said_or_read_when_declared() {
    // `Zoë` in Windows-1252: the ë is the single byte 0xEB.
    let bytes = b"CHILD,SEX,DOB,UPN\nC1,M,02/06/2010,A123\nZo\xEB,F,15/01/2012,\n";
    let report = run_in(&catalog(), &[("Header.csv", bytes)], Encoding::Utf8).unwrap();
    assert_eq!(
        issues(&report),
        vec![(
            "encoding".into(),
            None,
            "the file is not UTF-8 (first on this line); it was read as Windows-1252, which \
             case-management systems often export: save it as UTF-8, or declare --encoding \
             windows-1252"
                .into()
        )]
    );
    assert_eq!(report.issues[0].line, Some(3));
    assert!(report.has_errors());

    let declared = run_in(&catalog(), &[("Header.csv", bytes)], Encoding::Windows1252).unwrap();
    assert_eq!(issues(&declared), vec![]);
    assert_eq!(declared.files[0].rows, 2);
}

#[test]
fn a_utf8_byte_order_mark_is_not_part_of_the_first_header() {
    let bytes = [b"\xEF\xBB\xBF".as_slice(), CLEAN_HEADER.as_bytes()].concat();
    let report = run(&[("Header.csv", &bytes)]);
    assert_eq!(issues(&report), vec![]);
}

#[test]
fn ragged_rows_are_reported_on_their_line() {
    let header = "CHILD,SEX,DOB,UPN\nC1,M,02/06/2010\nC2,F,15/01/2012,,extra\n";
    let report = run(&[("Header.csv", header.as_bytes())]);
    assert_eq!(
        issues(&report),
        vec![
            (
                "missing-column".into(),
                Some(1),
                "the row has 3 cells, fewer than the 4 columns of the header".into()
            ),
            (
                "unknown-column".into(),
                Some(2),
                "the row has 5 cells, more than the 4 columns of the header".into()
            ),
        ]
    );
    assert_eq!(report.issues[1].line, Some(3));
}

#[test]
fn a_quote_never_closed_is_an_error_at_its_row() {
    let header = "CHILD,SEX,DOB,UPN\nC1,M,02/06/2010,A123\nC2,\"F,15/01/2012,\nC3,M,01/01/2011,\n";
    assert_eq!(
        error(&[("Header.csv", header.as_bytes())]),
        "Header.csv, line 3: a quoted value in the row starting here is never closed, so the rest \
         of the file was read into it: add the closing quote"
    );
    // A quoted value that spans lines and is closed is data, not an error.
    let closed = "CHILD,SEX,DOB,UPN\nC1,M,02/06/2010,\"A1\n23\"\n";
    let report = run(&[("Header.csv", closed.as_bytes())]);
    assert_eq!(report.files[0].rows, 1);
}

#[test]
fn an_empty_file_is_an_error() {
    assert_eq!(
        error(&[("Header.csv", b"")]),
        "Header.csv, line 1: the file is empty: a data file starts with a header row naming its \
         columns"
    );
}

#[test]
fn a_header_row_alone_is_a_table_of_no_rows() {
    let report = run(&[("Header.csv", b"CHILD,SEX,DOB,UPN\n")]);
    assert_eq!(issues(&report), vec![]);
    assert_eq!(report.files[0].rows, 0);
}

#[test]
fn a_repeated_header_is_an_error_and_only_its_first_column_read() {
    let header = "CHILD,SEX,DOB,UPN,SEX\nC1,M,02/06/2010,A123,Q\n";
    let report = run(&[("Header.csv", header.as_bytes())]);
    assert_eq!(
        issues(&report),
        vec![(
            "unknown-column".into(),
            None,
            "column E repeats the header `SEX` of column B: only the first is read".into()
        )]
    );
}

#[test]
fn a_file_matching_no_entity_is_an_error_naming_the_entities() {
    assert_eq!(
        error(&[("Reviews.csv", b"CHILD,REVIEW\nC1,01/01/2025\n")]),
        "Reviews.csv: `Reviews` matches no entity of demo by name or by its headers; the \
         entities are episodes (Episodes), header (Header)"
    );
}

#[test]
fn two_files_for_one_entity_is_an_error_naming_both() {
    assert_eq!(
        error(&[
            ("Header.csv", CLEAN_HEADER.as_bytes()),
            ("header_2.csv", CLEAN_HEADER.as_bytes())
        ]),
        "Header.csv and header_2.csv both hold header: give one file for each entity"
    );
}

fn workbook(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Header").unwrap();
    for (c, h) in ["CHILD", "SEX", "DOB", "UPN"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    fill(sheet);
    book.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_reads_dates_stored_as_numbers_and_formula_results() {
    let bytes = workbook(|sheet| {
        let date = Format::new().set_num_format("dd/mm/yyyy");
        // A required cell computed by a formula: its saved result is read.
        sheet
            .write_formula(1, 0, Formula::new("=\"C\"&\"1\"").set_result("C1"))
            .unwrap();
        sheet.write_string(1, 1, "M").unwrap();
        sheet
            .write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(2010, 6, 2).unwrap(), &date)
            .unwrap();
        sheet.write_string(2, 0, "C2").unwrap();
        sheet.write_string(2, 1, "Q").unwrap();
        // A date as a bare serial number, unformatted: 2012-01-15.
        sheet.write_number(2, 2, 40_923.0).unwrap();
    });
    let report = run(&[("return.xlsx", &bytes)]);
    assert_eq!(
        issues(&report),
        vec![(
            "codelist".into(),
            Some(2),
            "`SEX` is `Q`, which is not a code of the list sex".into()
        )]
    );
    assert_eq!(report.issues[0].cell.as_deref(), Some("B3"));
    assert_eq!(report.issues[0].line, Some(3));
    assert_eq!(file_name(&report.files[0].path), "return.xlsx#Header");
}

#[test]
fn a_workbook_with_merged_cells_is_an_error_naming_the_range() {
    let bytes = workbook(|sheet| {
        sheet.write_string(1, 0, "C1").unwrap();
        sheet.merge_range(1, 1, 2, 1, "M", &Format::new()).unwrap();
    });
    assert_eq!(
        error(&[("return.xlsx", &bytes)]),
        "return.xlsx, sheet Header, cell B2:B3: merged cells: a merged cell holds one value for \
         several rows or columns; unmerge them so that every cell has its own value"
    );
}

#[test]
fn a_workbook_sheet_matching_no_entity_is_an_error() {
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "Read me")
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let message = error(&[("return.xlsx", &bytes)]);
    assert!(
        message.starts_with("return.xlsx#Notes: `Notes` matches no entity of demo"),
        "{message}"
    );
}

#[test]
fn an_unreadable_workbook_names_the_file() {
    let message = error(&[("return.xlsx", b"not a zip")]);
    assert_eq!(
        message,
        "return.xlsx: it is plain text, not a workbook: if it is a CSV file, name it .csv"
    );
    let xls = [
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
        &[0; 32],
    ]
    .concat();
    let message = error(&[("return.xls", &xls)]);
    assert_eq!(
        message,
        "return.xls: Excel 97-2003 workbooks (.xls) are not read: save it as .xlsx (Excel \
         Workbook) or as CSV"
    );
    assert_eq!(
        error(&[("return.xlsx", &xls)]),
        "return.xlsx: it is an Excel 97-2003 workbook (.xls): save it as .xlsx (Excel Workbook) \
         or as CSV"
    );
    let message = error(&[("return.xls", b"CHILD,SEX\n1,1\n")]);
    assert!(
        message.ends_with("if it is a CSV file, name it .csv"),
        "{message}"
    );
    let message = error(&[("return.xlsx", b"PK\x03\x04 but cut short")]);
    assert!(message.starts_with("return.xlsx: "), "{message}");
    assert!(matches!(
        run_in(&catalog(), &[("return.xlsx", b"not a zip")], Encoding::Utf8),
        Err(ValidateError::Unreadable { .. })
    ));
}

/// The workbook with each file of the archive passed through `edit` (name, text).
fn rezip(bytes: &[u8], edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        out.start_file(&name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(edit(&name, text).as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_formula_without_a_saved_result_is_an_error_naming_the_cell() {
    let bytes = workbook(|sheet| {
        sheet.write_formula(1, 0, Formula::new("=A9")).unwrap();
    });
    // Written by a program that does not compute formulas: no saved value.
    let bytes = rezip(&bytes, |name, text| {
        if name.ends_with("sheet1.xml") {
            text.replace("<v>0</v>", "")
        } else {
            text
        }
    });
    assert_eq!(
        error(&[("return.xlsx", &bytes)]),
        "return.xlsx, sheet Header, cell A2: the formula `=A9` has no saved result: open the \
         workbook in a spreadsheet program and save it, or paste the values"
    );
}
