//! Who changed what and when, read from the document's own change history (each change's diff),
//! so there is no second log that can drift from the record.

use automerge::{Automerge, ChangeHash, Patch, PatchAction, Prop};

use crate::archive::SectionId;
use crate::family::{self, Category};
use crate::history::ChangeMeta;

/// One save and the fields it changed, each as a path like `["father", "phone"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub meta: ChangeMeta,
    pub paths: Vec<Vec<String>>,
    pub hash: ChangeHash,
}

/// Every save of a document, oldest first.
pub fn edits(doc: &Automerge) -> Vec<Edit> {
    doc.get_changes(&[])
        .iter()
        .map(|change| {
            let mut paths: Vec<Vec<String>> = doc
                .diff(change.deps(), &[change.hash()])
                .iter()
                .filter_map(field_path)
                .collect();
            crate::sort::sort(&mut paths);
            paths.dedup();
            // A container created in the same change is implied by the fields written inside it.
            let inner = paths.clone();
            paths.retain(|p| !inner.iter().any(|q| q.len() > p.len() && q.starts_with(p)));
            Edit {
                meta: ChangeMeta::from_change(change),
                paths,
                hash: change.hash(),
            }
        })
        .collect()
}

/// The path of the field a patch touched: the props down to the object, then the key written.
/// Text edits inside a prose field report the field itself.
fn field_path(patch: &Patch) -> Option<Vec<String>> {
    let mut path: Vec<String> = patch.path.iter().map(|(_, prop)| prop_text(prop)).collect();
    match &patch.action {
        PatchAction::PutMap { key, .. } => path.push(key.clone()),
        PatchAction::PutSeq { index, .. } | PatchAction::Insert { index, .. }
            if path.is_empty() =>
        {
            path.push(index.to_string())
        }
        _ => {}
    }
    (!path.is_empty()).then_some(path)
}

fn prop_text(prop: &Prop) -> String {
    match prop {
        Prop::Map(key) => key.clone(),
        Prop::Seq(index) => index.to_string(),
    }
}

/// The words for a field path in the history: `["guardians","0","phone"]` → 监护人 1 · 电话.
/// None for the document's own markers (its kind and layout version), which a teacher never
/// typed and would read as stray English in 新建档案's list.
pub fn describe_zh(path: &[String]) -> Option<String> {
    let parts: Vec<&str> = path.iter().map(String::as_str).collect();
    if matches!(parts.as_slice(), [super::SCHEMA | super::KIND, ..]) {
        return None;
    }
    let basic = super::basic_field;
    let label = |section: SectionId, key: &str| {
        let field = section
            .fields()
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.label)
            .unwrap_or(key);
        format!("{} · {field}", section.title_zh())
    };
    let section = |key: &str| SectionId::SINGLE.into_iter().find(|s| s.doc_key() == key);
    Some(match parts.as_slice() {
        ["basic", key, ..] => basic(key)
            .map(|f| format!("基本信息 · {}", f.label_zh()))
            .unwrap_or_else(|| "基本信息".into()),
        ["notes", ..] => "备注".into(),
        ["guardians", index, key, ..] => match index.parse::<usize>() {
            Ok(i) => label(SectionId::Guardian(i), key),
            Err(_) => "监护人".into(),
        },
        ["guardians", ..] => "监护人".into(),
        // Sections can share a map (family, guardianship): the one naming the field.
        [top, key, ..] => SectionId::SINGLE
            .into_iter()
            .find(|s| s.doc_key() == *top && s.fields().iter().any(|f| f.key == *key))
            .or_else(|| section(top))
            .map(|s| label(s, key))
            .unwrap_or_else(|| top.to_string()),
        [top] => section(top)
            .map(|s| s.title_zh())
            .unwrap_or_else(|| top.to_string()),
        [] => String::new(),
    })
}

/// The child's left-behind category after each save that changed a parent's facts, oldest first,
/// with consecutive repeats folded: "a parent came home" stays visible instead of overwritten.
/// Each point is judged as of the day of that save, and a day holds one point, its last: the
/// father's section saved before the mother's is the archive being filled in, not the family
/// changing (单亲外出, then 双亲外出, the same afternoon).
pub fn category_timeline(doc: &Automerge) -> Vec<(ChangeMeta, Category)> {
    let mut timeline: Vec<(ChangeMeta, Category)> = Vec::new();
    for edit in edits(doc) {
        let touches_parents = edit
            .paths
            .iter()
            .any(|p| matches!(p.first().map(String::as_str), Some("father" | "mother")));
        if !touches_parents {
            continue;
        }
        let Ok(then) = doc.fork_at(&[edit.hash]) else {
            continue;
        };
        let (Ok(record), Ok(archive)) = (
            super::read_child(&then),
            super::archive::read_archive(&then),
        ) else {
            continue;
        };
        // Before any parent's situation is recorded there is no category to speak of.
        if !archive.parents_recorded() {
            continue;
        }
        let day = day_of(edit.meta.time);
        let category = family::category(
            archive.father_facts(),
            archive.mother_facts(),
            record.basic.birth_date,
            day,
        );
        let same_day = timeline.last().is_some_and(|(m, _)| day_of(m.time) == day);
        if same_day {
            timeline.pop();
        }
        if timeline.last().map(|(_, c)| *c) != Some(category) {
            timeline.push((edit.meta, category));
        }
    }
    timeline
}

fn day_of(time: i64) -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp(time, 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}
