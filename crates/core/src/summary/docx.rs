//! The summary as a Word file (.docx), laid out like a school's official paper (GB/T 9704's
//! habits): A4, the title centred in 小标宋/宋体 二号, numbered headings in 黑体 三号, the body in
//! 仿宋 三号 with a two-character first-line indent and fixed 28-point lines, the date at the end
//! on the right. This file writes the text of `word/document.xml`; `package` wraps it in the few
//! other parts Word needs and zips them, so the phone makes the file offline. The creation date
//! is the `today` passed in (the core reads no clock).

mod package;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;

use super::draft::{numbered, Paragraph};

/// Why the Word file could not be made. Only a bug can cause it: the file is written in memory.
#[derive(Debug, thiserror::Error)]
#[error("生成 Word 文件失败（{0}），请把此信息告诉管理员")]
pub struct DocxError(String);

/// Sizes in half-points: 二号 22 pt, 三号 16 pt.
const TITLE_SIZE: u32 = 44;
const BODY_SIZE: u32 = 32;
/// The body's font; `package` makes it the document's default, so body runs name no font.
const BODY_FONT: &str = "仿宋";
/// 方正小标宋 is seldom installed on a school's computer; 宋体 in bold is how schools stand in for it.
const TITLE_FONT: &str = "宋体";
const HEADING_FONT: &str = "黑体";
/// A4 in twentieths of a point, and GB/T 9704's margins (37 mm top, 35 bottom, 28 left, 26 right).
const A4: (u32, u32) = (11906, 16838);
const MARGINS: (u32, u32, u32, u32) = (2098, 1984, 1587, 1474);
/// Header and footer distances (15 mm, 17.5 mm): Word's own for a Chinese A4 page.
const HEADER_FOOTER: (u32, u32) = (851, 992);
/// Fixed 28-point lines, as official papers set them.
const LINE: u32 = 560;
/// The first-line indent: two characters (`firstLineChars` counts hundredths of a character).
/// The same in twentieths of a point (two 16-point characters) for readers that ignore the count.
const INDENT_CHARS: u32 = 200;
const INDENT: u32 = 2 * BODY_SIZE * 10;

/// How a paragraph sits on the page.
#[derive(Clone, Copy)]
enum Placement {
    /// The title: centred, on a line as tall as its type needs (a fixed 28-point line could crop
    /// 22-point characters).
    Centred,
    /// Headings and body text: fixed lines, the first indented by two characters.
    Indented,
    /// The date: fixed lines, on the right.
    Right,
}

/// A run's type: the body's 仿宋 三号 (the document's default), a heading's or the title's.
#[derive(Clone, Copy)]
enum Face {
    Body,
    Heading,
    Title,
}

/// The title, the paragraphs (emptied ones left out, headings numbered), and the school's name
/// (when known) over the date, as the paper is signed.
pub fn summary_docx(
    title: &str,
    paragraphs: &[Paragraph],
    school: &str,
    today: NaiveDate,
) -> Result<Vec<u8>, DocxError> {
    let mut body = paragraph(Placement::Centred, Face::Title, title);
    for (heading, text) in numbered(paragraphs) {
        if !heading.is_empty() {
            body += &paragraph(Placement::Indented, Face::Heading, &heading);
        }
        // A paragraph the lead split with blank lines stays several paragraphs on paper.
        for part in text.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
            body += &paragraph(Placement::Indented, Face::Body, part);
        }
    }
    if !school.trim().is_empty() {
        body += &paragraph(Placement::Right, Face::Body, school.trim());
    }
    let date = today.format("%Y年%-m月%-d日").to_string();
    body += &paragraph(Placement::Right, Face::Body, &date);
    body += &section();
    package::docx(title, &body, today).map_err(|e| DocxError(e.to_string()))
}

/// One `<w:p>` holding one run of `text`. Properties come in the order the schema lays down
/// (`spacing`, `ind`, `jc`; `rFonts`, `b`, `sz`), which validating readers check.
fn paragraph(placement: Placement, face: Face, text: &str) -> String {
    let lines = format!(r#"<w:spacing w:line="{LINE}" w:lineRule="exact"/>"#);
    let p_pr = match placement {
        Placement::Centred => r#"<w:jc w:val="center"/>"#.to_string(),
        Placement::Indented => {
            format!(r#"{lines}<w:ind w:firstLineChars="{INDENT_CHARS}" w:firstLine="{INDENT}"/>"#)
        }
        Placement::Right => format!(r#"{lines}<w:jc w:val="right"/>"#),
    };
    let r_pr = match face {
        Face::Body => String::new(),
        Face::Heading => format!("<w:rPr>{}</w:rPr>", fonts(HEADING_FONT)),
        Face::Title => format!(
            r#"<w:rPr>{}<w:b/><w:bCs/><w:sz w:val="{TITLE_SIZE}"/><w:szCs w:val="{TITLE_SIZE}"/></w:rPr>"#,
            fonts(TITLE_FONT)
        ),
    };
    format!(
        r#"<w:p><w:pPr>{p_pr}</w:pPr><w:r>{r_pr}<w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
        escape(text)
    )
}

/// `font` for Chinese and Latin text alike, so figures and 90% match the words around them.
fn fonts(font: &str) -> String {
    format!(r#"<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>"#)
}

/// The page: A4 portrait and its margins.
fn section() -> String {
    let (width, height) = A4;
    let (top, bottom, left, right) = MARGINS;
    let (header, footer) = HEADER_FOOTER;
    format!(
        r#"<w:sectPr><w:pgSz w:w="{width}" w:h="{height}"/><w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" w:header="{header}" w:footer="{footer}" w:gutter="0"/></w:sectPr>"#
    )
}

/// `text` as XML character data or an attribute value. A character XML 1.0 forbids (a control
/// character pasted in from elsewhere) is dropped: Word refuses the whole file over one.
fn escape(text: &str) -> String {
    let mut xml = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            '"' => xml.push_str("&quot;"),
            '\'' => xml.push_str("&apos;"),
            '\t' | '\n' | '\r' => xml.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => xml.push(c),
        }
    }
    xml
}
