//! Who was given a child's duties and when they ended, read from the school's directory: the
//! child's 修改记录 says that her class passed from 王老师 to 李老师 (整体交接, by 张校长, on which
//! day), which none of the child's own documents records.

use std::collections::BTreeMap;

use automerge::{Automerge, ObjId as ExId, ReadDoc, ScalarValue, Value, ROOT};

use super::directory::{map, parse_duty_key, ASSIGNMENTS, ENDED};
use crate::history::ChangeMeta;
use crate::teachers::Duty;
use crate::DocId;

/// A duty given or ended, with the directory change that did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyEvent {
    /// The teacher's id.
    pub teacher: String,
    pub duty: Duty,
    /// Given (`true`, held now) or ended.
    pub given: bool,
    /// The change that wrote it: who, what (整体交接, 安排教师…) and when. An ended duty's own
    /// day is its `at` when the change cannot be found.
    pub by: Option<ChangeMeta>,
    /// Unix seconds: when the change was made, or the day the duty ended.
    pub at: i64,
}

/// The duties towards `child` held now and ended, oldest first. A duty given and later ended
/// shows as ended only: the directory keeps one value per duty.
pub fn duty_events(doc: &Automerge, child: DocId) -> Vec<DutyEvent> {
    let mut found: Vec<(String, Duty, bool, Option<i64>, ExId)> = Vec::new();
    for (list, given) in [(ASSIGNMENTS, true), (ENDED, false)] {
        let Some(obj) = map(doc, &ROOT, list) else {
            continue;
        };
        for key in doc.keys(&obj) {
            let Some((of, teacher, duty)) = parse_duty_key(&key) else {
                continue;
            };
            if of != child {
                continue;
            }
            if let Ok(Some((value, id))) = doc.get(&obj, key.as_str()) {
                let ended_at = match value {
                    Value::Scalar(s) => match s.as_ref() {
                        ScalarValue::Int(at) => Some(*at),
                        _ => None,
                    },
                    _ => None,
                };
                found.push((teacher, duty, given, ended_at, id));
            }
        }
    }
    let metas = change_metas(doc, found.iter().map(|(.., id)| id));
    let mut events: Vec<DutyEvent> = found
        .into_iter()
        .map(|(teacher, duty, given, ended_at, id)| {
            let by = metas.get(&id).cloned();
            let at = ended_at
                .filter(|_| !given)
                .or(by.as_ref().map(|m| m.time))
                .unwrap_or_default();
            DutyEvent {
                teacher,
                duty,
                given,
                by,
                at,
            }
        })
        .collect();
    crate::sort::sort_by_key(&mut events, |e| (e.at, e.given));
    events
}

/// The change that wrote each op: the change of the op's actor whose range of op counters holds
/// it. One pass over the changes' metadata, none of them decoded. (`ObjId` is automerge's name
/// for any op's id.)
fn change_metas<'a>(
    doc: &Automerge,
    ids: impl Iterator<Item = &'a ExId>,
) -> BTreeMap<ExId, ChangeMeta> {
    let wanted: Vec<&ExId> = ids.collect();
    let mut metas = BTreeMap::new();
    if wanted.is_empty() {
        return metas;
    }
    for change in doc.get_changes_meta(&[]) {
        for id in &wanted {
            if let ExId::Id(counter, actor, _) = id {
                if *actor == *change.actor && (change.start_op..=change.max_op).contains(counter) {
                    let meta = ChangeMeta::read(change.message.as_deref(), change.timestamp);
                    metas.insert((*id).clone(), meta);
                }
            }
        }
    }
    metas
}
