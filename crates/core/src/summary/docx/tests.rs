//! The Word file read back as Word would: unzipped, every part the package names present, the
//! text in order and escaped, and the page set like an official paper's.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use expect_test::expect;

use super::*;
use crate::test_support::day;

fn paragraph(key: &'static str, heading: &'static str, text: &str) -> Paragraph {
    Paragraph {
        key: key.into(),
        heading: heading.into(),
        text: text.into(),
    }
}

/// The package's parts by name, as text.
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip package");
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index(i).expect("a part");
            let mut xml = String::new();
            part.read_to_string(&mut xml).expect("utf-8");
            (part.name().expect("a UTF-8 name").into_owned(), xml)
        })
        .collect()
}

/// The part `name` of the package.
fn part(bytes: &[u8], name: &str) -> String {
    unzip(bytes)
        .remove(name)
        .unwrap_or_else(|| panic!("{name} missing"))
}

/// Every value of `attribute` in `xml`, in order.
fn values<'a>(xml: &'a str, attribute: &str) -> Vec<&'a str> {
    xml.split(&format!(r#" {attribute}=""#))
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default())
        .collect()
}

/// The text of every run, unescaped as an XML reader would.
fn texts(document: &str) -> Vec<String> {
    document
        .split(r#"<w:t xml:space="preserve">"#)
        .skip(1)
        .map(|rest| {
            let escaped = rest.split("</w:t>").next().unwrap_or_default();
            assert!(!escaped.contains('<'), "markup inside a run: {escaped}");
            escaped
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
        })
        .collect()
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
        "石桥小学",
        day(2027, 1, 15),
    )
    .expect("written");
    assert_eq!(
        texts(&part(&bytes, "word/document.xml")),
        [
            "2026年秋季学期关爱留守儿童工作总结",
            "现将本学期工作总结如下。",
            "一、摸清底数，建档立卡",
            "我校共有留守儿童43名。",
            "二、定期家访，了解实情",
            "共家访96次。",
            "完成率90%。",
            "石桥小学",
            "2027年1月15日",
        ],
        "an emptied paragraph is left out, a split one stays split"
    );
}

#[test]
fn the_page_is_set_like_an_official_paper() {
    let paragraphs = [
        paragraph("intro", "", "现将本学期工作总结如下。"),
        paragraph("children", "摸清底数，建档立卡", "我校共有留守儿童43名。"),
    ];
    let bytes = summary_docx("工作总结", &paragraphs, "", day(2027, 1, 15)).expect("written");
    // One paragraph a line, so the snapshot reads as the page does: the title centred in 宋体
    // 二号 bold; headings in 黑体 and body text (the default 仿宋 三号) indented two characters on
    // fixed 28-point lines; the date on the right; A4 with GB/T 9704's margins.
    let document = part(&bytes, "word/document.xml")
        .replace("<w:body>", "<w:body>\n")
        .replace("</w:p>", "</w:p>\n");
    expect![[r#"
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
        <w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:b/><w:bCs/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr><w:t xml:space="preserve">工作总结</w:t></w:r></w:p>
        <w:p><w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr><w:r><w:t xml:space="preserve">现将本学期工作总结如下。</w:t></w:r></w:p>
        <w:p><w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体"/></w:rPr><w:t xml:space="preserve">一、摸清底数，建档立卡</w:t></w:r></w:p>
        <w:p><w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr><w:r><w:t xml:space="preserve">我校共有留守儿童43名。</w:t></w:r></w:p>
        <w:p><w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:jc w:val="right"/></w:pPr><w:r><w:t xml:space="preserve">2027年1月15日</w:t></w:r></w:p>
        <w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#]].assert_eq(&document);
}

#[test]
fn the_defaults_and_properties_are_the_bodys_font_and_the_day_passed_in() {
    let bytes = summary_docx("工作总结", &[], "", day(2027, 1, 15)).expect("written");
    let styles = part(&bytes, "word/styles.xml");
    let core = part(&bytes, "docProps/core.xml");
    for (xml, wanted) in [
        (
            &styles,
            r#"<w:rFonts w:ascii="仿宋" w:hAnsi="仿宋" w:eastAsia="仿宋"/>"#,
        ),
        (&styles, r#"<w:sz w:val="32"/>"#),
        (&core, "<dc:title>工作总结</dc:title>"),
        (
            &core,
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">2027-01-15T00:00:00Z</dcterms:created>"#,
        ),
    ] {
        assert!(xml.contains(wanted), "{wanted} in {xml}");
    }
}

#[test]
fn markup_characters_in_the_text_are_escaped_and_control_characters_dropped() {
    let title = r#"家长会<&>"'纪要"#;
    let paragraphs = [paragraph("intro", "", "甲 & 乙 <丙>\u{7}丁")];
    let bytes = summary_docx(title, &paragraphs, "", day(2027, 1, 15)).expect("written");
    let document = part(&bytes, "word/document.xml");
    assert!(document.contains("家长会&lt;&amp;&gt;&quot;&apos;纪要"));
    assert_eq!(texts(&document)[..2], [title, "甲 & 乙 <丙>丁"]);
    assert!(part(&bytes, "docProps/core.xml")
        .contains("<dc:title>家长会&lt;&amp;&gt;&quot;&apos;纪要</dc:title>"));
}

#[test]
fn every_part_the_package_names_is_in_it_and_every_part_has_a_type() {
    let bytes = summary_docx("工作总结", &[], "", day(2027, 1, 15)).expect("written");
    let parts = unzip(&bytes);
    let types = &parts["[Content_Types].xml"];
    let typed = values(types, "PartName");
    for name in typed.iter().map(|n| n.trim_start_matches('/')) {
        assert!(parts.contains_key(name), "{name} is typed but missing");
    }
    for name in parts.keys().filter(|n| !n.ends_with(".rels")) {
        let listed = typed.contains(&format!("/{name}").as_str());
        assert!(
            listed || name == "[Content_Types].xml",
            "{name} has no type"
        );
    }
    // A relationship's target is relative to the folder above the `_rels` holding it.
    for (rels, from) in [
        ("_rels/.rels", ""),
        ("word/_rels/document.xml.rels", "word/"),
    ] {
        for target in values(&parts[rels], "Target") {
            let name = format!("{from}{target}");
            assert!(parts.contains_key(&name), "{rels} points to missing {name}");
        }
    }
    assert_eq!(
        values(&parts["_rels/.rels"], "Target")[0],
        "word/document.xml"
    );
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).expect("a zip package");
    let dated = zip
        .by_name("word/document.xml")
        .expect("a part")
        .last_modified();
    assert_eq!(
        dated.map(|d| (d.year(), d.month(), d.day())),
        Some((2027, 1, 15))
    );
}
