//! The bureau workbook (上报表格) as .xlsx bytes: one sheet per table of `report`, Chinese
//! headers, numbers as numbers and dates as dates, so the bureau's own sums and filters work.
//! Bytes only: the app offers them as a download, the server could attach them.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::report::{Cell, Table};

/// Why the workbook could not be made. Only a bug or a value out of Excel's range causes it.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("生成表格失败（{0}），请把此信息告诉管理员")]
    Xlsx(#[from] XlsxError),
}

/// Characters of a column's widest cell that a column grows to at most.
const WIDEST_COLUMN: usize = 40;

/// The workbook of `tables`; `today` is its creation date (the core reads no clock).
pub fn workbook(tables: &[Table], today: NaiveDate) -> Result<Vec<u8>, ExportError> {
    titled_workbook(tables, crate::report::TITLE, today)
}

/// The same, with its own title (the monthly 控辍保学 report).
pub fn titled_workbook(
    tables: &[Table],
    title: &str,
    today: NaiveDate,
) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&excel_date(today)?),
    );
    for table in tables {
        book.push_worksheet(sheet(table)?);
    }
    Ok(book.save_to_buffer()?)
}

pub(crate) fn excel_date(day: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year =
        u16::try_from(day.year()).map_err(|_| XlsxError::DateTimeRangeError(day.to_string()))?;
    ExcelDateTime::from_ymd(year, day.month() as u8, day.day() as u8)
}

pub(crate) fn sheet(table: &Table) -> Result<Worksheet, XlsxError> {
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut sheet = Worksheet::new();
    sheet.set_name(table.name.as_ref())?;
    let mut widths: Vec<usize> = table.headers.iter().map(|h| display_width(h)).collect();
    for (col, title) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, title, &header)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let width = match cell {
                Cell::Text(text) => {
                    sheet.write_string(r, col, text)?;
                    display_width(text)
                }
                Cell::Number(n) => {
                    sheet.write_number(r, col, *n)?;
                    n.to_string().len()
                }
                Cell::Date(day) => {
                    sheet.write_datetime_with_format(r, col, excel_date(*day)?, &date)?;
                    10
                }
                Cell::Empty => 0,
            };
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(width);
            }
        }
    }
    for (col, width) in widths.into_iter().enumerate() {
        sheet.set_column_width(col as u16, (width.min(WIDEST_COLUMN) + 2) as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

/// Width in Excel's units: a Chinese character takes two.
pub(crate) fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}
