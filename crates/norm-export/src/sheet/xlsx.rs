//! A [`Book`] as an Office Open XML workbook, through `rust_xlsxwriter`.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, Formula,
    Workbook, XlsxError,
};

use super::{Book, TEMPLATE_ROWS, column_letters};

/// The workbook's bytes. Its creation date is fixed, so that the same standard always gives
/// the same file.
pub(super) fn write(book: &Book) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for sheet in &book.sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&sheet.name)?;
        for &column in &sheet.text_columns {
            worksheet.set_column_format(column, &text)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if r == 0 {
                    worksheet.write_string_with_format(r, c, cell, &bold)?;
                } else if !cell.is_empty() {
                    worksheet.write_string(r, c, cell)?;
                }
            }
        }
        if !sheet.hidden && !sheet.rows.is_empty() {
            worksheet.set_freeze_panes(1, 0)?;
        }
        worksheet.set_hidden(sheet.hidden);
        for drop_down in &sheet.drop_downs {
            let letters = column_letters(drop_down.source_column);
            let source = format!(
                "='{}'!${letters}$2:${letters}${}",
                drop_down.source_sheet.replace('\'', "''"),
                drop_down.values + 1
            );
            let validation = DataValidation::new()
                .allow_list_formula(Formula::new(source))
                .set_error_style(DataValidationErrorStyle::Stop);
            worksheet.add_data_validation(
                1,
                drop_down.column,
                TEMPLATE_ROWS,
                drop_down.column,
                &validation,
            )?;
        }
    }
    workbook.save_to_buffer()
}
