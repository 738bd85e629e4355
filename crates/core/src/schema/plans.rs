//! A focus child's plans, in a sensitive document of their own (its id derives from the child's):
//! `{schema, kind: "plans", child, plan: {problems, goals, start, closed, outcome, measures:
//! [{what, who, howOften}], reviews: [{date, outcome}]}, learning: {subjects, teacher, time,
//! content, stages: [{date, result}]}, results: [{term, date, total, rank, scores: [{subject,
//! score}]}]}, focus: {reasons, other}, "cadence:<kind>": days}` — why the child is a focus child
//! and the child's own rhythm of care (`child_cadence`), here and not in the school's directory
//! (which every teacher reads); `focus` is written whole, so two devices marking the reasons
//! offline keep one of the two markings, never a mixture. Each kind's interval is a number under a
//! root key of its own: no container for two phones to make twice, and a talk interval set on
//! one phone and a visit interval on another both survive.
//!
//! Like the records document it starts with the same first change on every device (`genesis`),
//! so the maps and lists it makes are shared. A term result is a list item of its own, so results
//! entered on two devices offline are both kept; a plan is one teacher's text and is written
//! field by field, its measures, reviews and stages replaced as a whole only when they changed —
//! only what the teacher changed from what the form showed (`edits.rs`).

use automerge::transaction::{Transactable, Transaction};
use automerge::{ActorId, Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::edits::{edit_rows, put_edited, Row};
use super::{check_kind, date_text, parse, scalar, scalar_text, stamp, DocKind, SchemaError};
use crate::cadence::CareKind;
use crate::child_cadence::{self, Overrides};
use crate::doc_id::DocId;
use crate::history::ChangeMeta;
use crate::plans::{FocusReason, LearningPlan, Measure, Plan, Review, Stage, TermResult};

const CHILD: &str = "child";
const PLAN: &str = "plan";
const LEARNING: &str = "learning";
const RESULTS: &str = "results";
const FOCUS: &str = "focus";

pub fn plans_id(child: DocId) -> DocId {
    child.derived("plans")
}

/// The plans document of a child as it starts on every device (see `records::genesis`).
pub fn genesis(child: DocId) -> Result<Automerge, SchemaError> {
    let id = plans_id(child);
    let mut doc = Automerge::new().with_actor(ActorId::from(id.as_bytes().as_slice()));
    super::change(&mut doc, &ChangeMeta::new("", "", 0), |tx| {
        stamp(tx, DocKind::Plans)?;
        tx.put(ROOT, CHILD, child.to_string())?;
        let plan = tx.put_object(ROOT, PLAN, ObjType::Map)?;
        for key in ["measures", "reviews"] {
            tx.put_object(&plan, key, ObjType::List)?;
        }
        let learning = tx.put_object(ROOT, LEARNING, ObjType::Map)?;
        tx.put_object(&learning, "stages", ObjType::List)?;
        tx.put_object(ROOT, RESULTS, ObjType::List)?;
        Ok(())
    })?;
    Ok(doc)
}

/// Everything in a child's plans document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plans {
    pub plan: Option<Plan>,
    pub learning: Option<LearningPlan>,
    pub results: Vec<TermResult>,
    /// Why the child is a focus child (重点帮扶原因), and what 其他 means; `None` until written.
    pub focus_reasons: Option<(Vec<FocusReason>, String)>,
    /// The child's own intervals of care, replacing the school's cadences.
    pub cadence: Overrides,
}

/// The root key of a kind's own interval: `cadence:talk`.
fn cadence_key(kind: CareKind) -> String {
    format!("cadence:{}", kind.code())
}

/// Writes the child's own intervals: a kind listed is set, a kind not listed goes back to the
/// school's cadence. Only the kinds changed from `shown` (what the form showed) are touched, so an
/// interval another phone set meanwhile for another kind stays.
pub fn write_cadence(
    tx: &mut Transaction<'_>,
    overrides: &Overrides,
    shown: &Overrides,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Plans)?;
    let changed = child_cadence::KINDS
        .into_iter()
        .filter(|kind| overrides.get(kind) != shown.get(kind));
    for kind in changed {
        let key = cadence_key(kind);
        let current = scalar(tx, &ROOT, &key)?;
        match overrides.get(&kind) {
            Some(days) => {
                let value = ScalarValue::Int(i64::from(*days));
                if current.as_ref() != Some(&value) {
                    tx.put(ROOT, key, value)?;
                }
            }
            None if current.is_some() => tx.delete(ROOT, key)?,
            None => {}
        }
    }
    Ok(())
}

/// The child's own intervals; a value out of range (written by something else) is left out, so
/// the school's cadence applies.
pub fn read_cadence(doc: &impl ReadDoc) -> Overrides {
    child_cadence::KINDS
        .into_iter()
        .filter_map(|kind| {
            let days = text(doc, &ROOT, &cadence_key(kind)).parse::<u32>().ok()?;
            child_cadence::OVERRIDE_DAYS
                .contains(&days)
                .then_some((kind, days))
        })
        .collect()
}

/// Writes why the child is a focus child.
pub fn write_focus_reasons(
    tx: &mut Transaction<'_>,
    reasons: &[FocusReason],
    other: &str,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Plans)?;
    let codes: Vec<&str> = reasons.iter().map(|r| r.code()).collect();
    let obj = tx.put_object(ROOT, FOCUS, ObjType::Map)?;
    tx.put(&obj, "reasons", codes.join(","))?;
    tx.put(&obj, "other", other)?;
    Ok(())
}

fn read_focus_reasons(doc: &impl ReadDoc) -> Option<(Vec<FocusReason>, String)> {
    let obj = match doc.get(ROOT, FOCUS) {
        Ok(Some((Value::Object(ObjType::Map), obj))) => obj,
        _ => return None,
    };
    let reasons = text(doc, &obj, "reasons")
        .split(',')
        .filter_map(FocusReason::from_code)
        .collect();
    Some((reasons, text(doc, &obj, "other")))
}

/// Writes the plan the teacher saved: only the fields and rows changed from `shown`, the plan the
/// form showed (None: it showed none), so what another phone wrote meanwhile stays (`edits.rs`).
pub fn write_plan(
    tx: &mut Transaction<'_>,
    plan: &Plan,
    shown: Option<&Plan>,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Plans)?;
    let obj = existing(tx, &ROOT, PLAN)?;
    let (fields, measures, reviews) = plan_parts(Some(plan));
    let (shown_fields, shown_measures, shown_reviews) = plan_parts(shown);
    put_edited(tx, &obj, &fields, &shown_fields)?;
    let list = existing(tx, &obj, "measures")?;
    edit_rows(tx, &list, &measures, &shown_measures)?;
    let list = existing(tx, &obj, "reviews")?;
    edit_rows(tx, &list, &reviews, &shown_reviews)
}

/// A plan's fields and rows as the document holds them; all empty for no plan.
fn plan_parts(plan: Option<&Plan>) -> ([(&'static str, String); 5], Vec<Row>, Vec<Row>) {
    let Some(plan) = plan else {
        return (
            ["problems", "goals", "start", "closed", "outcome"].map(|k| (k, String::new())),
            Vec::new(),
            Vec::new(),
        );
    };
    let fields = [
        ("problems", plan.problems.clone()),
        ("goals", plan.goals.clone()),
        ("start", date_text(plan.start)),
        ("closed", plan.closed.map(date_text).unwrap_or_default()),
        ("outcome", plan.outcome.clone()),
    ];
    let measures = plan
        .measures
        .iter()
        .map(|m| {
            vec![
                ("what", m.what.clone()),
                ("who", m.who.clone()),
                ("howOften", m.how_often.clone()),
            ]
        })
        .collect();
    let reviews = plan
        .reviews
        .iter()
        .map(|r| vec![("date", date_text(r.date)), ("outcome", r.outcome.clone())])
        .collect();
    (fields, measures, reviews)
}

/// Writes the learning plan the teacher saved, changed from `shown` as `write_plan` is.
pub fn write_learning(
    tx: &mut Transaction<'_>,
    plan: &LearningPlan,
    shown: Option<&LearningPlan>,
) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Plans)?;
    let obj = existing(tx, &ROOT, LEARNING)?;
    let (fields, stages) = learning_parts(Some(plan));
    let (shown_fields, shown_stages) = learning_parts(shown);
    put_edited(tx, &obj, &fields, &shown_fields)?;
    let list = existing(tx, &obj, "stages")?;
    edit_rows(tx, &list, &stages, &shown_stages)
}

fn learning_parts(plan: Option<&LearningPlan>) -> ([(&'static str, String); 4], Vec<Row>) {
    let Some(plan) = plan else {
        return (
            ["subjects", "teacher", "time", "content"].map(|k| (k, String::new())),
            Vec::new(),
        );
    };
    let fields = [
        ("subjects", plan.subjects.join("、")),
        ("teacher", plan.teacher.clone()),
        ("time", plan.time.clone()),
        ("content", plan.content.clone()),
    ];
    let stages = plan
        .stages
        .iter()
        .map(|s| vec![("date", date_text(s.date)), ("result", s.result.clone())])
        .collect();
    (fields, stages)
}

/// Appends one term's result.
pub fn add_result(tx: &mut Transaction<'_>, result: &TermResult) -> Result<(), SchemaError> {
    check_kind(tx, DocKind::Plans)?;
    let list = existing(tx, &ROOT, RESULTS)?;
    let at = tx.length(&list);
    let obj = tx.insert_object(&list, at, ObjType::Map)?;
    tx.put(&obj, "term", result.term.as_str())?;
    tx.put(&obj, "date", date_text(result.date))?;
    tx.put(
        &obj,
        "total",
        result.total.map(|t| t.to_string()).unwrap_or_default(),
    )?;
    tx.put(
        &obj,
        "rank",
        result.rank.map(|r| r.to_string()).unwrap_or_default(),
    )?;
    let scores = tx.put_object(&obj, "scores", ObjType::List)?;
    for (i, (subject, score)) in result.scores.iter().enumerate() {
        let item = tx.insert_object(&scores, i, ObjType::Map)?;
        tx.put(&item, "subject", subject.as_str())?;
        tx.put(&item, "score", score.to_string())?;
    }
    Ok(())
}

pub fn read_plans(doc: &impl ReadDoc) -> Result<Plans, SchemaError> {
    check_kind(doc, DocKind::Plans)?;
    let plan = existing(doc, &ROOT, PLAN)?;
    let learning = existing(doc, &ROOT, LEARNING)?;
    let results = existing(doc, &ROOT, RESULTS)?;
    Ok(Plans {
        plan: read_plan(doc, &plan),
        learning: read_learning(doc, &learning),
        results: rows(doc, &results)
            .into_iter()
            .filter_map(|obj| read_result(doc, &obj))
            .collect(),
        focus_reasons: read_focus_reasons(doc),
        cadence: read_cadence(doc),
    })
}

fn read_plan(doc: &impl ReadDoc, obj: &ObjId) -> Option<Plan> {
    let start = parse(&text(doc, obj, "start"))?;
    let measures = sub_rows(doc, obj, "measures")
        .into_iter()
        .map(|m| Measure {
            what: text(doc, &m, "what"),
            who: text(doc, &m, "who"),
            how_often: text(doc, &m, "howOften"),
        })
        .collect();
    let reviews = sub_rows(doc, obj, "reviews")
        .into_iter()
        .filter_map(|r| {
            Some(Review {
                date: parse(&text(doc, &r, "date"))?,
                outcome: text(doc, &r, "outcome"),
            })
        })
        .collect();
    Some(Plan {
        problems: text(doc, obj, "problems"),
        goals: text(doc, obj, "goals"),
        measures,
        start,
        reviews,
        closed: parse(&text(doc, obj, "closed")),
        outcome: text(doc, obj, "outcome"),
    })
}

fn read_learning(doc: &impl ReadDoc, obj: &ObjId) -> Option<LearningPlan> {
    let subjects = text(doc, obj, "subjects");
    if subjects.is_empty() {
        return None;
    }
    Some(LearningPlan {
        subjects: subjects.split('、').map(str::to_string).collect(),
        teacher: text(doc, obj, "teacher"),
        time: text(doc, obj, "time"),
        content: text(doc, obj, "content"),
        stages: sub_rows(doc, obj, "stages")
            .into_iter()
            .filter_map(|s| {
                Some(Stage {
                    date: parse(&text(doc, &s, "date"))?,
                    result: text(doc, &s, "result"),
                })
            })
            .collect(),
    })
}

fn read_result(doc: &impl ReadDoc, obj: &ObjId) -> Option<TermResult> {
    let scores = sub_rows(doc, obj, "scores")
        .into_iter()
        .filter_map(|s| {
            Some((
                text(doc, &s, "subject"),
                text(doc, &s, "score").parse().ok()?,
            ))
        })
        .collect();
    Some(TermResult {
        term: text(doc, obj, "term"),
        date: parse(&text(doc, obj, "date"))?,
        scores,
        total: text(doc, obj, "total").parse().ok(),
        rank: text(doc, obj, "rank").parse().ok(),
    })
}

fn existing(doc: &impl ReadDoc, obj: &ObjId, key: &'static str) -> Result<ObjId, SchemaError> {
    match doc.get(obj, key)? {
        Some((Value::Object(_), id)) => Ok(id),
        _ => Err(SchemaError::BadField(key)),
    }
}

fn sub_rows(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Vec<ObjId> {
    match doc.get(obj, key) {
        Ok(Some((Value::Object(ObjType::List), list))) => rows(doc, &list),
        _ => Vec::new(),
    }
}

fn rows(doc: &impl ReadDoc, list: &ObjId) -> Vec<ObjId> {
    (0..doc.length(list))
        .filter_map(|i| match doc.get(list, i) {
            Ok(Some((Value::Object(ObjType::Map), obj))) => Some(obj),
            _ => None,
        })
        .collect()
}

fn text(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> String {
    match scalar(doc, obj, key) {
        Ok(Some(value)) => scalar_text(&value),
        _ => String::new(),
    }
}
