//! Why a file named as a workbook is not one, in words a data manager can act on.
//!
//! XLSX and ODS files are zip archives. The usual mistakes are a CSV file saved under a
//! workbook's name and an Excel 97-2003 workbook renamed to `.xlsx`; the spreadsheet library's
//! own error ("invalid Zip archive: Could not find EOCD") names neither. `norm validate` and
//! `norm import sheet` both say this instead.

/// The first bytes of every zip archive (a local file header).
const ZIP: &[u8] = b"PK\x03\x04";
/// The first bytes of an OLE2 compound file: Excel 97-2003 `.xls`, among others.
const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// How many bytes [`not_a_workbook`] wants to see.
const HEAD: usize = 512;

/// What a file is instead of a workbook, from its first bytes (512 are plenty), or `None` when it is
/// a zip archive (whether a workbook is inside is the spreadsheet library's to say).
pub fn not_a_workbook(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(ZIP) {
        return None;
    }
    Some(if head.is_empty() {
        "the file is empty"
    } else if head.starts_with(OLE2) {
        "it is an Excel 97-2003 workbook (.xls), which norm does not read: save it as .xlsx \
         (Excel Workbook) or as CSV"
    } else if is_text(head) {
        "it is plain text, not a workbook: if it is a CSV file, name it .csv"
    } else {
        "XLSX and ODS workbooks are zip archives, and this file is not one"
    })
}

/// [`not_a_workbook`] of the file at `path`; `None` also when it cannot be read, which the
/// spreadsheet library then reports.
pub fn file_not_a_workbook(path: &std::path::Path) -> Option<&'static str> {
    use std::io::Read;
    let mut head = Vec::with_capacity(HEAD);
    std::fs::File::open(path)
        .and_then(|f| f.take(HEAD as u64).read_to_end(&mut head))
        .ok()?;
    not_a_workbook(&head)
}

/// Whether `head` reads as text: UTF-16 with its byte order mark, or UTF-8 (a character cut
/// at the end of `head` allowed) without NUL bytes.
fn is_text(head: &[u8]) -> bool {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_archive_is_left_to_the_spreadsheet_library() {
        assert_eq!(not_a_workbook(b"PK\x03\x04\x14\x00\x06\x00"), None);
    }

    #[test]
    fn each_usual_mistake_is_named() {
        assert_eq!(not_a_workbook(b""), Some("the file is empty"));
        let xls = [OLE2, &[0u8; 20][..]].concat();
        assert!(not_a_workbook(&xls).unwrap().contains("Excel 97-2003"));
        for csv in [
            &b"CHILD,SEX,DOB\n1,1,01/02/2015\n"[..],
            "\u{feff}CHILD,Name\n1,Zoë\n".as_bytes(),
            &b"\xff\xfeC\x00H\x00"[..],
        ] {
            assert!(
                not_a_workbook(csv).unwrap().contains("name it .csv"),
                "{csv:?}"
            );
        }
        // A UTF-8 character cut by the end of the head is still text.
        assert!(
            not_a_workbook(&"CHILD,Zoë".as_bytes()[..8])
                .unwrap()
                .contains(".csv")
        );
        assert!(
            not_a_workbook(&[0x89, b'P', b'N', b'G', 0, 1])
                .unwrap()
                .contains("zip")
        );
    }
}
