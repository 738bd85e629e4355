//! The registration form as .xlsx: the title, the 填报单位 line, the merged group headings over
//! the column headings (the form's two header rows), one row per child, the sign-off line
//! (填表人 / 复核人 / 负责人 / 填表日期) under the table, and the age-band summary on a second
//! sheet. Bytes only.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::{row, summary, FormChild, SignOff, COLUMNS, TITLE};
use crate::export::{self, display_width as width, excel_date, ExportError};
use crate::report::Cell;

/// Rows above the first child: title, unit, group headings, column headings.
pub const HEADER_ROWS: u32 = 4;
/// The form's sheet's name (the summary's is `summary::SUMMARY_SHEET`).
pub const FORM_SHEET: &str = "登记表";
const WIDEST: usize = 24;

/// The form of `children` (in the order given), signed off by `sign`, dated `today`.
pub fn workbook(
    children: &[FormChild],
    sign: &SignOff,
    today: NaiveDate,
) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(TITLE)
            .set_creation_datetime(&excel_date(today)?),
    );
    book.push_worksheet(form(children, sign, today)?);
    book.push_worksheet(export::sheet(&summary::table(children, today))?);
    Ok(book.save_to_buffer()?)
}

fn form(children: &[FormChild], sign: &SignOff, today: NaiveDate) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(FORM_SHEET)?;
    let last = COLUMNS.len() as u16 - 1;
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    sheet.merge_range(0, 0, 0, last, TITLE, &title)?;
    sheet.merge_range(
        1,
        0,
        1,
        last.min(9),
        &format!("填报单位（盖章）：{}", sign.unit),
        &Format::new(),
    )?;
    headings(&mut sheet)?;
    let text = Format::new().set_border(FormatBorder::Thin);
    let date = text.clone().set_num_format("yyyy-mm-dd");
    let mut widths: Vec<usize> = COLUMNS.iter().map(|c| width(c.header)).collect();
    for (i, child) in children.iter().enumerate() {
        let r = HEADER_ROWS + i as u32;
        for (c, cell) in row(child, i + 1).iter().enumerate() {
            let col = c as u16;
            let w = match cell {
                Cell::Text(t) => {
                    sheet.write_string_with_format(r, col, t, &text)?;
                    width(t)
                }
                Cell::Number(n) => {
                    sheet.write_number_with_format(r, col, *n, &text)?;
                    n.to_string().len()
                }
                Cell::Date(day) => {
                    sheet.write_datetime_with_format(r, col, excel_date(*day)?, &date)?;
                    10
                }
                Cell::Empty => {
                    sheet.write_blank(r, col, &text)?;
                    0
                }
            };
            if let Some(slot) = widths.get_mut(c) {
                *slot = (*slot).max(w);
            }
        }
    }
    let signed = HEADER_ROWS + children.len() as u32 + 1;
    for (c, (label, name)) in sign_off(sign, today).into_iter().enumerate() {
        sheet.write_string(signed, 1 + 8 * c as u16, format!("{label}：{name}"))?;
    }
    for (c, w) in widths.into_iter().enumerate() {
        sheet.set_column_width(c as u16, (w.min(WIDEST) + 2) as f64)?;
    }
    sheet.set_freeze_panes(HEADER_ROWS, 2)?;
    Ok(sheet)
}

/// The sign-off line's four entries, in the order the form prints them.
pub fn sign_off(sign: &SignOff, today: NaiveDate) -> [(&'static str, String); 4] {
    [
        ("填表人", sign.filled_by.clone()),
        ("复核人", sign.checked_by.clone()),
        ("负责人", sign.responsible.clone()),
        ("填表日期", today.format("%Y年%-m月%-d日").to_string()),
    ]
}

/// Row 3 holds each group's heading merged over its columns, row 4 the columns' own; a column
/// without a group (序号) spans both.
fn headings(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let (group_row, header_row) = (HEADER_ROWS - 2, HEADER_ROWS - 1);
    let mut c = 0;
    while c < COLUMNS.len() {
        let group = COLUMNS[c].group;
        let span = COLUMNS[c..].iter().take_while(|x| x.group == group).count();
        let (first, last) = (c as u16, (c + span - 1) as u16);
        if group.is_empty() {
            for (i, column) in COLUMNS[c..c + span].iter().enumerate() {
                let at = first + i as u16;
                sheet.merge_range(group_row, at, header_row, at, column.header, &head)?;
            }
        } else {
            if span > 1 {
                sheet.merge_range(group_row, first, group_row, last, group, &head)?;
            } else {
                sheet.write_string_with_format(group_row, first, group, &head)?;
            }
            for (i, column) in COLUMNS[c..c + span].iter().enumerate() {
                sheet.write_string_with_format(
                    header_row,
                    first + i as u16,
                    column.header,
                    &head,
                )?;
            }
        }
        c += span;
    }
    Ok(())
}
