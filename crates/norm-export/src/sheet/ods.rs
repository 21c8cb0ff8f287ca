//! A [`Book`] as an OpenDocument spreadsheet: the package (a zip whose first entry is the
//! uncompressed `mimetype`), its manifest, and `content.xml` with the sheets, written here.

use std::fmt::Write as _;
use std::io::Write as _;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::{Book, Sheet, TEMPLATE_ROWS, column_letters};
use crate::xsd::{attr, escape};

const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const MANIFEST: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">
 <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>
 <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>
</manifest:manifest>
";

/// The package's bytes. Every entry has the same fixed date, so that the same standard always
/// gives the same file.
pub(super) fn write(book: &Book) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default());
    let deflated = stored.compression_method(CompressionMethod::Deflated);
    // ODF: `mimetype` first, uncompressed, so that its bytes sit at a known offset.
    zip.start_file("mimetype", stored)?;
    zip.write_all(MIMETYPE.as_bytes())?;
    zip.start_file("META-INF/manifest.xml", deflated)?;
    zip.write_all(MANIFEST.as_bytes())?;
    zip.start_file("content.xml", deflated)?;
    zip.write_all(content(book).as_bytes())?;
    Ok(zip.finish()?.into_inner())
}

/// `content.xml`.
fn content(book: &Book) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" \
         xmlns:of=\"urn:oasis:names:tc:opendocument:xmlns:of:1.2\" office:version=\"1.3\">\n\
         <office:automatic-styles>\n\
         <style:style style:name=\"heading\" style:family=\"table-cell\"><style:text-properties fo:font-weight=\"bold\"/></style:style>\n\
         <style:style style:name=\"shown\" style:family=\"table\"><style:table-properties table:display=\"true\"/></style:style>\n\
         <style:style style:name=\"hidden\" style:family=\"table\"><style:table-properties table:display=\"false\"/></style:style>\n\
         </office:automatic-styles>\n<office:body><office:spreadsheet>\n",
    );
    let validations: Vec<(String, String)> = book
        .sheets
        .iter()
        .flat_map(|s| &s.drop_downs)
        .enumerate()
        .map(|(i, d)| {
            let letters = column_letters(d.source_column);
            let sheet = d.source_sheet.replace('\'', "''");
            let range = format!("[$'{sheet}'.${letters}$2:.${letters}${}]", d.values + 1);
            (
                format!("list{}", i + 1),
                format!("of:cell-content-is-in-list({range})"),
            )
        })
        .collect();
    if !validations.is_empty() {
        out.push_str("<table:content-validations>\n");
        for (name, condition) in &validations {
            let _ = writeln!(
                out,
                "<table:content-validation table:name=\"{name}\" table:condition=\"{}\" \
                 table:allow-empty-cell=\"true\" table:display-list=\"unsorted\">\
                 <table:error-message table:display=\"true\" table:message-type=\"stop\"/>\
                 </table:content-validation>",
                attr(condition)
            );
        }
        out.push_str("</table:content-validations>\n");
    }
    let mut next_validation = validations.iter().map(|(name, _)| name.as_str());
    for sheet in &book.sheets {
        let names: Vec<(u16, &str)> = sheet
            .drop_downs
            .iter()
            .filter_map(|d| Some((d.column, next_validation.next()?)))
            .collect();
        table(&mut out, sheet, &names);
    }
    out.push_str("</office:spreadsheet></office:body></office:document-content>\n");
    out
}

/// One `table:table`: its rows, then (on a sheet with drop-down lists) the rows below them
/// whose cells offer the lists.
fn table(out: &mut String, sheet: &Sheet, validations: &[(u16, &str)]) {
    let style = if sheet.hidden { "hidden" } else { "shown" };
    let _ = writeln!(
        out,
        "<table:table table:name=\"{}\" table:style-name=\"{style}\">",
        attr(&sheet.name)
    );
    for (r, row) in sheet.rows.iter().enumerate() {
        out.push_str("<table:table-row>");
        for cell in row {
            if cell.is_empty() {
                out.push_str("<table:table-cell/>");
                continue;
            }
            out.push_str("<table:table-cell office:value-type=\"string\"");
            if r == 0 {
                out.push_str(" table:style-name=\"heading\"");
            }
            out.push('>');
            for line in cell.split('\n') {
                let _ = write!(out, "<text:p>{}</text:p>", escape(line));
            }
            out.push_str("</table:table-cell>");
        }
        out.push_str("</table:table-row>\n");
    }
    if let Some(last) = validations.iter().map(|(c, _)| *c).max() {
        let _ = write!(
            out,
            "<table:table-row table:number-rows-repeated=\"{TEMPLATE_ROWS}\">"
        );
        for column in 0..=last {
            match validations.iter().find(|(c, _)| *c == column) {
                Some((_, name)) => {
                    let _ = write!(
                        out,
                        "<table:table-cell table:content-validation-name=\"{name}\"/>"
                    );
                }
                None => out.push_str("<table:table-cell/>"),
            }
        }
        out.push_str("</table:table-row>\n");
    }
    out.push_str("</table:table>\n");
}
