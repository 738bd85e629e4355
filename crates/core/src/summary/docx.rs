//! The summary as a Word file (.docx), laid out like a school's official paper (GB/T 9704's
//! habits): A4, the title centred in 小标宋/宋体 二号, numbered headings in 黑体 三号, the body in
//! 仿宋 三号 with a two-character first-line indent and fixed 28-point lines, the date at the end
//! on the right. Written with `docx-rs`, pure Rust, so the phone makes the file offline; the
//! creation date is the `today` passed in (the core reads no clock).

use std::io::Cursor;

use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph as Para, Run, RunFonts,
};

use super::draft::{numbered, Paragraph};

/// Why the Word file could not be made. Only a bug can cause it: the file is written in memory.
#[derive(Debug, thiserror::Error)]
#[error("生成 Word 文件失败（{0}），请把此信息告诉管理员")]
pub struct DocxError(String);

/// Sizes in half-points: 二号 22 pt, 三号 16 pt.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
/// A4 in twentieths of a point, and GB/T 9704's margins (37 mm top, 35 bottom, 28 left, 26 right).
const A4: (u32, u32) = (11906, 16838);
const MARGINS: (i32, i32, i32, i32) = (2098, 1984, 1587, 1474);
/// Fixed 28-point lines, as official papers set them.
const LINE: i32 = 560;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new().east_asia(east_asia).ascii(east_asia)
}

fn line(paragraph: Para) -> Para {
    paragraph.line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(LINE),
    )
}

/// The title, the paragraphs (emptied ones left out, headings numbered) and the date.
pub fn summary_docx(
    title: &str,
    paragraphs: &[Paragraph],
    today: NaiveDate,
) -> Result<Vec<u8>, DocxError> {
    let (top, bottom, left, right) = MARGINS;
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(top)
                .bottom(bottom)
                .left(left)
                .right(right),
        )
        .default_fonts(fonts("仿宋"))
        .default_size(BODY_SIZE)
        .created_at(&format!("{}T00:00:00Z", today.format("%Y-%m-%d")))
        .add_paragraph(
            Para::new().align(AlignmentType::Center).add_run(
                Run::new()
                    .add_text(title)
                    .fonts(fonts("宋体"))
                    .size(TITLE_SIZE)
                    .bold(),
            ),
        );
    for (heading, text) in numbered(paragraphs) {
        if !heading.is_empty() {
            doc = doc.add_paragraph(
                line(Para::new().first_line_chars(200))
                    .add_run(Run::new().add_text(heading).fonts(fonts("黑体"))),
            );
        }
        // A paragraph the lead split with blank lines stays several paragraphs on paper.
        for part in text.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
            doc = doc.add_paragraph(
                line(Para::new().first_line_chars(200)).add_run(Run::new().add_text(part)),
            );
        }
    }
    doc = doc.add_paragraph(
        line(Para::new().align(AlignmentType::Right))
            .add_run(Run::new().add_text(today.format("%Y年%-m月%-d日").to_string())),
    );
    let mut bytes = Vec::new();
    doc.build()
        .pack(Cursor::new(&mut bytes))
        .map_err(|e| DocxError(e.to_string()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::test_support::day;

    fn paragraph(key: &'static str, heading: &'static str, text: &str) -> Paragraph {
        Paragraph {
            key,
            heading,
            text: text.into(),
        }
    }

    /// The document's text, read back out of the package as Word would find it.
    fn document_xml(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip package");
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .expect("word/document.xml")
            .read_to_string(&mut xml)
            .expect("utf-8");
        xml
    }

    #[test]
    fn the_word_file_holds_the_title_numbered_headings_and_every_paragraph() {
        let paragraphs = [
            paragraph("intro", "", "现将本学期工作总结如下。"),
            paragraph("children", "摸清底数，建档立卡", "我校共有留守儿童43名。"),
            paragraph("pairing", "结对帮扶，责任到人", ""),
            paragraph(
                "visits",
                "定期家访，了解实情",
                "共家访96次。\n\n完成率90%。",
            ),
        ];
        let bytes = summary_docx(
            "2026年秋季学期关爱留守儿童工作总结",
            &paragraphs,
            day(2027, 1, 15),
        )
        .expect("written");
        let xml = document_xml(&bytes);
        let order = [
            "2026年秋季学期关爱留守儿童工作总结",
            "现将本学期工作总结如下。",
            "一、摸清底数，建档立卡",
            "我校共有留守儿童43名。",
            "二、定期家访，了解实情",
            "共家访96次。",
            "完成率90%。",
            "2027年1月15日",
        ];
        let mut from = 0;
        for text in order {
            let at = xml[from..]
                .find(text)
                .unwrap_or_else(|| panic!("{text} after position {from}"));
            from += at + text.len();
        }
        assert!(
            !xml.contains("结对帮扶，责任到人"),
            "an emptied paragraph is left out"
        );
        assert!(xml.contains("w:w=\"11906\""), "A4 wide");
    }
}
