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

/// What a file named `.{extension}` is instead of a workbook, from its first bytes (512 are
/// plenty), or `None` when it is the container its name says: a zip archive for XLSX, XLSM,
/// XLSB and ODS, an OLE2 compound file for Excel 97-2003's XLS. Whether a workbook is inside
/// is the spreadsheet library's to say.
pub fn not_a_workbook(head: &[u8], extension: &str) -> Option<&'static str> {
    let xls = extension.eq_ignore_ascii_case("xls");
    if head.starts_with(ZIP) {
        return xls
            .then_some("it is an XLSX or ODS workbook (a zip archive): name it .xlsx or .ods");
    }
    if head.starts_with(OLE2) {
        return (!xls).then_some(
            "it is an Excel 97-2003 workbook (.xls): save it as .xlsx (Excel Workbook) or as CSV",
        );
    }
    Some(if head.is_empty() {
        "the file is empty"
    } else if is_text(head) {
        "it is plain text, not a workbook: if it is a CSV file, name it .csv"
    } else if xls {
        "Excel 97-2003 workbooks are OLE2 compound files, and this file is not one"
    } else {
        "XLSX and ODS workbooks are zip archives, and this file is not one"
    })
}

/// [`not_a_workbook`] of the file at `path`, by its extension; `None` also when it cannot be
/// read, which the spreadsheet library then reports.
pub fn file_not_a_workbook(path: &std::path::Path) -> Option<&'static str> {
    use std::io::Read;
    let mut head = Vec::with_capacity(HEAD);
    std::fs::File::open(path)
        .and_then(|f| f.take(HEAD as u64).read_to_end(&mut head))
        .ok()?;
    let extension = path.extension().unwrap_or_default().to_string_lossy();
    not_a_workbook(&head, &extension)
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
    fn a_container_that_fits_its_name_is_left_to_the_spreadsheet_library() {
        let zip = b"PK\x03\x04\x14\x00\x06\x00";
        for extension in ["xlsx", "XLSX", "xlsm", "ods"] {
            assert_eq!(not_a_workbook(zip, extension), None);
        }
        let xls = [OLE2, &[0u8; 20][..]].concat();
        assert_eq!(not_a_workbook(&xls, "xls"), None);
        assert!(
            not_a_workbook(&xls, "xlsx")
                .unwrap()
                .contains("save it as .xlsx")
        );
        assert!(
            not_a_workbook(zip, "xls")
                .unwrap()
                .contains("name it .xlsx")
        );
    }

    #[test]
    fn each_usual_mistake_is_named() {
        assert_eq!(not_a_workbook(b"", "xlsx"), Some("the file is empty"));
        for csv in [
            &b"CHILD,SEX,DOB\n1,1,01/02/2015\n"[..],
            "\u{feff}CHILD,Name\n1,Zo\u{eb}\n".as_bytes(),
            &b"\xff\xfeC\x00H\x00"[..],
        ] {
            for extension in ["xlsx", "xls", "ods"] {
                let why = not_a_workbook(csv, extension).unwrap();
                assert!(why.contains("name it .csv"), "{csv:?} {why}");
            }
        }
        // A UTF-8 character cut by the end of the head is still text.
        let cut = &"CHILD,Zo\u{eb}".as_bytes()[..9];
        assert!(not_a_workbook(cut, "xlsx").unwrap().contains(".csv"));
        let png = [0x89, b'P', b'N', b'G', 0, 1];
        assert!(
            not_a_workbook(&png, "xlsx")
                .unwrap()
                .contains("zip archives")
        );
        assert!(not_a_workbook(&png, "xls").unwrap().contains("OLE2"));
    }
}
