//! The package around the summary's text, as Word reads it (Office Open XML): content types,
//! relationships, the default font and size, the settings and the core properties, zipped. Only
//! what a document of plain paragraphs needs: no images, numbering, comments or fonts table.

use std::io::{Cursor, Write};

use chrono::{Datelike, NaiveDate};
use zip::result::ZipResult;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::{escape, fonts, BODY_FONT, BODY_SIZE};

const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
const WORD: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const PACKAGE_RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CORE_REL: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";

/// One part besides the relationships. `[Content_Types].xml` is made from the list of these, so
/// no part is zipped without its type.
struct Part {
    name: &'static str,
    content_type: &'static str,
    xml: String,
}

/// The .docx bytes: `body` is what goes inside `<w:body>`, `title` the file's title property.
pub(super) fn docx(title: &str, body: &str, today: NaiveDate) -> ZipResult<Vec<u8>> {
    let parts = [
        Part {
            name: "word/document.xml",
            content_type:
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            xml: format!(
                r#"{DECLARATION}<w:document xmlns:w="{WORD}"><w:body>{body}</w:body></w:document>"#
            ),
        },
        Part {
            name: "word/styles.xml",
            content_type:
                "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
            xml: styles(),
        },
        Part {
            name: "word/settings.xml",
            content_type:
                "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
            xml: settings(),
        },
        Part {
            name: "docProps/core.xml",
            content_type: "application/vnd.openxmlformats-package.core-properties+xml",
            xml: core(title, today),
        },
    ];
    let package_rels = relationships(&[
        (
            &format!("{OFFICE_RELS}/officeDocument"),
            "word/document.xml",
        ),
        (CORE_REL, "docProps/core.xml"),
    ]);
    let document_rels = relationships(&[
        (&format!("{OFFICE_RELS}/styles"), "styles.xml"),
        (&format!("{OFFICE_RELS}/settings"), "settings.xml"),
    ]);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip_date(today).unwrap_or_default());
    let types = content_types(&parts);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // The content types first, where Word puts them and streaming readers look for them.
    let files = [
        ("[Content_Types].xml", &types),
        ("_rels/.rels", &package_rels),
        ("word/_rels/document.xml.rels", &document_rels),
    ]
    .into_iter()
    .chain(parts.iter().map(|p| (p.name, &p.xml)));
    for (name, xml) in files {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

fn content_types(parts: &[Part]) -> String {
    let overrides: String = parts
        .iter()
        .map(|p| {
            format!(
                r#"<Override PartName="/{}" ContentType="{}"/>"#,
                p.name, p.content_type
            )
        })
        .collect();
    format!(
        r#"{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>"#
    )
}

/// A relationships part: each `(type, target)` numbered `rId1`, `rId2`, … in order.
fn relationships(links: &[(&str, &str)]) -> String {
    let links: String = links
        .iter()
        .zip(1..)
        .map(|((kind, target), n)| {
            format!(r#"<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>"#)
        })
        .collect();
    format!(r#"{DECLARATION}<Relationships xmlns="{PACKAGE_RELS}">{links}</Relationships>"#)
}

/// The body's 仿宋 三号 as the document's default, and Chinese as its East Asian language so
/// Word lays out and proofs the text as Chinese.
fn styles() -> String {
    format!(
        r#"{DECLARATION}<w:styles xmlns:w="{WORD}"><w:docDefaults><w:rPrDefault><w:rPr>{}<w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/><w:lang w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style></w:styles>"#,
        fonts(BODY_FONT)
    )
}

/// Word 2013's layout: without it Word opens the file in 兼容模式 and says so in its title bar.
fn settings() -> String {
    format!(
        r#"{DECLARATION}<w:settings xmlns:w="{WORD}"><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
    )
}

/// The title and the dates Word shows under 属性: both dates are `today`, the day it was made.
fn core(title: &str, today: NaiveDate) -> String {
    let date = format!("{}T00:00:00Z", today.format("%Y-%m-%d"));
    format!(
        r#"{DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified></cp:coreProperties>"#,
        escape(title)
    )
}

/// `today` as the zip entries' date, so an unzipping tool shows the day too. None outside the
/// years a zip can hold (1980–2107); the entries then keep zip's 1980-01-01.
fn zip_date(today: NaiveDate) -> Option<DateTime> {
    let year = u16::try_from(today.year()).ok()?;
    let month = u8::try_from(today.month()).ok()?;
    let day = u8::try_from(today.day()).ok()?;
    DateTime::from_date_and_time(year, month, day, 0, 0, 0).ok()
}
