//! The values phones wrote to one field while apart, each with who wrote it: a teacher choosing
//! which to keep can ask the colleague whose it is, where bare values left her guessing.

use automerge::{Automerge, ObjId, ObjType, ReadDoc, Value};

use super::scalar_text;
use crate::history::ChangeMeta;

/// One of a field's values, with the teachers who wrote it (two who wrote the same agree; none
/// when the change was unsigned or came from another program).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub value: String,
    pub by: Vec<String>,
}

impl Written {
    /// The value as shown (`shown`, e.g. a choice's label), with its writers: “在校表现”（王芳）.
    /// Quoted, so a value with brackets of its own (期中家访（补）) stays apart from the name.
    pub fn shown_zh(&self, shown: &str) -> String {
        match self.by_zh() {
            Some(by) => format!("“{shown}”（{by}）"),
            None => shown.to_string(),
        }
    }

    /// Who wrote it, 王芳、李明; None when no one signed it.
    pub fn by_zh(&self) -> Option<String> {
        (!self.by.is_empty()).then(|| self.by.join("、"))
    }
}

/// A document that can say who wrote each of its operations: every change the app makes carries
/// its author (`ChangeMeta`).
pub trait Authored: ReadDoc {
    /// The author of the change that made `op`; empty when unsigned or unknown.
    fn author_of(&self, op: &ObjId) -> String;
}

impl Authored for Automerge {
    fn author_of(&self, op: &ObjId) -> String {
        self.hash_for_opid(op)
            .and_then(|hash| self.get_change_meta_by_hash(&hash))
            .map(|meta| ChangeMeta::read(meta.message.as_deref(), meta.timestamp).author)
            .unwrap_or_default()
    }
}

/// Every value `key` holds at once, as text (a string, a number, or a text object's content — a
/// form's prose written by an older build), with its writer.
pub(crate) fn every_written(doc: &impl Authored, obj: &ObjId, key: &str) -> Vec<(String, String)> {
    doc.get_all(obj, key)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(value, id)| {
            let text = match value {
                Value::Scalar(s) => scalar_text(&s),
                Value::Object(ObjType::Text) => doc.text(&id).ok()?,
                Value::Object(_) => return None,
            };
            Some((text, doc.author_of(&id)))
        })
        .collect()
}

/// The values `key` holds when phones wrote it differently (two or more distinct), each with
/// who wrote it: a field's conflict, as the archive's, the basics' and the records' readers see it.
pub(crate) fn split(doc: &impl Authored, obj: &ObjId, key: &str) -> Option<Vec<Written>> {
    distinct(every_written(doc, obj, key))
}

/// Values with their writers, one entry a distinct value (its writers gathered, in the order
/// met); `None` unless there are two or more to choose from.
pub(crate) fn distinct(found: impl IntoIterator<Item = (String, String)>) -> Option<Vec<Written>> {
    let mut values: Vec<Written> = Vec::new();
    for (value, author) in found {
        let at = match values.iter().position(|w| w.value == value) {
            Some(at) => at,
            None => {
                values.push(Written {
                    value,
                    by: Vec::new(),
                });
                values.len() - 1
            }
        };
        if !author.is_empty() && !values[at].by.contains(&author) {
            values[at].by.push(author);
        }
    }
    (values.len() > 1).then_some(values)
}
