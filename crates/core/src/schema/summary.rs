//! The lead's edits of the term or year summary in the school's directory, one root key per
//! paragraph: `summary:<span key>:<paragraph key>: {text: Text}` (span key `term-2026-09-01` or
//! `year-2026`, `summary::Span::key`). The directory is what every lead's phone holds and only
//! leads write, so an edit survives a reload and reaches the other leads; a map per paragraph
//! (no summary container made first) means two leads editing different paragraphs offline never
//! make rival containers, and the text is an Automerge Text, so once a paragraph is stored two
//! leads' edits of it merge character by character. Only the first edit of one paragraph made on
//! two phones at once keeps one of the two. Root maps are what a refounded directory copies.

use std::collections::BTreeMap;

use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjType, ReadDoc, Value, ROOT};

use super::{check_kind, object, DocKind, SchemaError};

const PREFIX: &str = "summary:";
const TEXT: &str = "text";

fn prefix(span: &str) -> String {
    format!("{PREFIX}{span}:")
}

/// Writes the edited paragraphs (paragraph key → text); only those that differ are touched.
pub fn put_summary(
    tx: &mut Transaction<'_>,
    span: &str,
    paragraphs: &BTreeMap<String, String>,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Directory)?;
    let stored = read_summary(tx, span)?;
    for (key, text) in paragraphs {
        if stored.get(key) == Some(text) {
            continue;
        }
        let entry = object(tx, &ROOT, &format!("{}{key}", prefix(span)), ObjType::Map)?;
        let t = object(tx, &entry, TEXT, ObjType::Text)?;
        tx.update_text(&t, text)?;
    }
    Ok(())
}

/// The stored paragraphs of a span (paragraph key → text); a paragraph never edited is absent.
pub fn read_summary(
    doc: &impl ReadDoc,
    span: &str,
) -> Result<BTreeMap<String, String>, SchemaError> {
    let prefix = prefix(span);
    let mut found = BTreeMap::new();
    for key in doc.keys(ROOT).filter(|k| k.starts_with(&prefix)) {
        let Some((Value::Object(ObjType::Map), entry)) = doc.get(ROOT, key.as_str())? else {
            continue;
        };
        if let Some((Value::Object(ObjType::Text), text)) = doc.get(&entry, TEXT)? {
            found.insert(key[prefix.len()..].to_string(), doc.text(&text)?);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use automerge::Automerge;

    use super::*;
    use crate::history::ChangeMeta;
    use crate::schema::{change, create_directory};

    fn directory() -> Automerge {
        let mut doc = Automerge::new();
        let meta = ChangeMeta::new("t", "建立", 0);
        change(&mut doc, &meta, create_directory).expect("created");
        doc
    }

    fn edit(doc: &mut Automerge, span: &str, pairs: &[(&str, &str)]) {
        let paragraphs = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let meta = ChangeMeta::new("王校长", "修改工作总结", 1);
        change(doc, &meta, |tx| put_summary(tx, span, &paragraphs)).expect("written");
    }

    fn read(doc: &Automerge, span: &str) -> Vec<(String, String)> {
        read_summary(doc, span).expect("read").into_iter().collect()
    }

    #[test]
    fn an_edit_is_read_back_under_its_own_term_only() {
        let mut doc = directory();
        edit(&mut doc, "term-2026-09-01", &[("intro", "本学期，我校……")]);
        assert_eq!(
            read(&doc, "term-2026-09-01"),
            [("intro".to_string(), "本学期，我校……".to_string())]
        );
        assert!(read(&doc, "term-2027-02-20").is_empty());
        assert!(read(&doc, "year-2026").is_empty());
    }

    #[test]
    fn two_leads_edit_the_same_stored_paragraph_offline_and_both_edits_survive() {
        let mut first = directory();
        edit(
            &mut first,
            "year-2026",
            &[("closing", "下学期，我们将继续努力。")],
        );
        let mut second = first.fork();
        edit(
            &mut first,
            "year-2026",
            &[("closing", "新学期，我们将继续努力。")],
        );
        edit(
            &mut second,
            "year-2026",
            &[("closing", "下学期，我们将继续加倍努力。")],
        );
        first.merge(&mut second).expect("merged");
        assert_eq!(
            read(&first, "year-2026"),
            [(
                "closing".to_string(),
                "新学期，我们将继续加倍努力。".to_string()
            )]
        );
    }

    #[test]
    fn the_summary_is_refused_in_another_kind_of_document() {
        let mut doc = Automerge::new();
        let paragraphs = BTreeMap::from([("intro".to_string(), "x".to_string())]);
        let meta = ChangeMeta::new("t", "x", 0);
        let refused = change(&mut doc, &meta, |tx| {
            put_summary(tx, "year-2026", &paragraphs)
        });
        assert!(refused.is_err());
    }
}
