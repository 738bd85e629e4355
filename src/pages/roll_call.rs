//! 考勤 (the roll-call): a class teacher marks the day's absences for one class, offline —
//! everyone is there by default, a tap marks a child absent, and the reason (病假, 事假 or 无故缺勤)
//! is chosen each time, with a note: none is assumed, since 无故缺勤 is what 疑似辍学 counts.
//! Saving again the same day corrects it, and settles two teachers' different marks. Below, the
//! class's children flagged as 疑似辍学 under the school's threshold.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use shouwang_core::attendance::AbsenceReason;
use shouwang_core::child::grade_label_zh;
use shouwang_core::{DocId, RosterEntry};

use crate::components::save_status::SaveStatusLine;
use crate::store::attendance::{Mark, Suspected};
use crate::store::Store;
use shouwang_core::status::Status;

fn class_key(entry: &RosterEntry) -> String {
    format!("{}-{}", entry.basic.grade, entry.basic.class)
}

/// `ClassSelect`'s value for every class at once (a class key is always `grade-class`).
pub(crate) const EVERY_CLASS: &str = "*";

pub(crate) fn class_label(key: &str) -> String {
    key.split_once('-')
        .and_then(|(g, c)| Some(format!("{}{}班", grade_label_zh(g.parse().ok()?), c)))
        .unwrap_or_default()
}

/// The classes of the roster's children, each once, as `grade-class` keys in order.
pub(crate) fn class_keys(store: Store) -> Vec<String> {
    let mut keys: Vec<String> = store.roster.with(|r| r.iter().map(class_key).collect());
    shouwang_core::sort::sort(&mut keys);
    keys.dedup();
    keys
}

/// The class a screen about one class opens on: the first of the roster's, "" while it has none.
pub(crate) fn first_class(store: Store) -> String {
    untrack(|| class_keys(store))
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// The 班级 drop-down of a screen about one class (考勤, the 缺席学生情况登记表): the roster's
/// classes, the first chosen into `class` until the teacher picks another; with `every`, one more
/// choice after them (value `EVERY_CLASS`) for every class at once.
#[component]
pub(crate) fn ClassSelect(
    id: &'static str,
    class: RwSignal<String>,
    #[prop(optional)] every: Option<&'static str>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let classes = Memo::new(move |_| class_keys(store));
    Effect::new(move |_| {
        if class.with_untracked(String::is_empty) {
            if let Some(first) = classes.with(|c| c.first().cloned()) {
                class.set(first);
            }
        }
    });
    view! {
        <div class="field no-print">
            <label for=id>"班级"</label>
            <select id=id prop:value=move || class.get()
                on:change=move |ev| class.set(event_target_value(&ev))>
                {move || classes.get().into_iter().map(|k| {
                    let label = class_label(&k);
                    view! { <option value=k>{label}</option> }
                }).collect_view()}
                {every.map(|label| view! { <option value=EVERY_CLASS>{label}</option> })}
            </select>
        </div>
    }
}

/// A class's children as the roll-call calls them: those attending, and those 疑似辍学 — still
/// called every morning, since the day one comes back ends the run.
pub(crate) fn class_children(store: Store, key: &str) -> Vec<RosterEntry> {
    let mut children: Vec<RosterEntry> = store
        .roster
        .with(|r| r.iter().filter(|e| class_key(e) == key).cloned().collect());
    store.paused.with(|p| {
        children.extend(
            p.iter()
                .filter(|(e, now)| *now == Status::SuspectedDropout && class_key(e) == key)
                .map(|(e, _)| e.clone()),
        )
    });
    children
}

#[component]
pub fn RollCallPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    // On a weekend or the day after a holiday began, the last school day: the absences a
    // teacher catches up with on Sunday are Friday's.
    let opened_on = store.roll_call_day(today);
    let day = RwSignal::new(opened_on.format("%Y-%m-%d").to_string());
    let class = RwSignal::new(first_class(store));
    let children = Memo::new(move |_| class_children(store, &class.get()));
    view! {
        <header class="topbar">
            <a class="back" href="/week" aria-label="返回我的一周">"‹ 我的一周"</a>
            <h1>"考勤"</h1>
        </header>
        <main class="page">
            <SaveStatusLine/>
            <div class="field">
                <label for="roll-day">"日期"</label>
                <input id="roll-day" type="date" prop:value=move || day.get()
                    on:change=move |ev| day.set(event_target_value(&ev))/>
                // Said while the day shown is the one it opened on: another day chosen, it is old.
                {(opened_on != today).then(|| {
                    let opened = opened_on.format("%Y-%m-%d").to_string();
                    view! {
                        <p class="hint" hidden=move || day.with(|d| *d != opened)>
                            {format!("今天不是上课日，先显示最近的上课日 {}。", opened_on.format("%-m月%-d日"))}
                        </p>
                    }
                })}
            </div>
            <ClassSelect id="roll-class" class/>
            {move || {
                let day = NaiveDate::parse_from_str(&day.get(), "%Y-%m-%d").ok();
                match day {
                    Some(day) => view! { <RollCall day children=children.get()/> }.into_any(),
                    None => view! { <p class="error" role="alert">"请选择日期"</p> }.into_any(),
                }
            }}
            <SuspectedList children/>
            <p><a href="/attendance/register">"缺席学生情况登记表（按月打印、导出）"</a></p>
        </main>
    }
}

/// A child's mark as the teacher is making it: ticked absent, with a reason once chosen.
type Ticked = Option<(Option<AbsenceReason>, String)>;

/// The marks to save, or the children ticked absent with no reason chosen yet.
fn to_save(ticked: BTreeMap<DocId, Ticked>) -> Result<BTreeMap<DocId, Mark>, Vec<DocId>> {
    let unreasoned: Vec<DocId> = ticked
        .iter()
        .filter(|(_, t)| matches!(t, Some((None, _))))
        .map(|(child, _)| *child)
        .collect();
    if !unreasoned.is_empty() {
        return Err(unreasoned);
    }
    Ok(ticked
        .into_iter()
        .map(|(child, t)| (child, t.and_then(|(r, note)| Some((r?, note)))))
        .collect())
}

/// The class's marks of one day, edited and saved together.
#[component]
fn RollCall(day: NaiveDate, children: Vec<RosterEntry>) -> impl IntoView {
    let store = expect_context::<Store>();
    let marks: RwSignal<BTreeMap<DocId, Ticked>> = RwSignal::new(BTreeMap::new());
    // Ticked absent and saved with no reason: said on the child's row.
    let unreasoned: RwSignal<Vec<DocId>> = RwSignal::new(Vec::new());
    let conflicts: RwSignal<BTreeMap<DocId, String>> = RwSignal::new(BTreeMap::new());
    let loaded = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let ids: Vec<DocId> = children.iter().map(|e| e.id).collect();
    // The children listed are one class's.
    let class = children
        .first()
        .map(|e| (e.basic.grade, e.basic.class))
        .unwrap_or_default();
    // This day's roll-call already taken (by this phone or another teacher's): said, so a second
    // teacher does not take it again unawares.
    let taken = move || {
        store.roll_calls.with(|all| {
            all.get(&class)
                .filter(|t| t.day == day)
                .map(|t| t.line_zh())
        })
    };
    leptos::task::spawn_local(async move {
        match store.day_marks(&ids, day).await {
            Ok(found) => {
                marks.set(
                    found
                        .marks
                        .into_iter()
                        .map(|(child, mark)| (child, mark.map(|(r, note)| (Some(r), note))))
                        .collect(),
                );
                // Two teachers who took the roll-call apart and marked a child differently:
                // both marks are said until the day is saved again.
                conflicts.set(
                    found
                        .disputed
                        .into_iter()
                        .map(|(child, marks)| {
                            let each: Vec<String> = marks
                                .iter()
                                .map(|m| format!("{} 记为{}", m.by, m.absence.reason.label_zh()))
                                .collect();
                            (
                                child,
                                format!("两位老师的记录不同：{}。请确认后保存。", each.join("；")),
                            )
                        })
                        .collect(),
                );
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
        loaded.set(true);
    });
    let absent = move || marks.with(|m| m.values().filter(|v| v.is_some()).count());
    let names: BTreeMap<DocId, String> = children
        .iter()
        .map(|e| (e.id, e.basic.name.clone()))
        .collect();
    let save = move |_| {
        done.set(None);
        problem.set(None);
        let all = match to_save(marks.get_untracked()) {
            Ok(all) => all,
            Err(missing) => {
                let who: Vec<&str> = missing
                    .iter()
                    .filter_map(|c| names.get(c).map(String::as_str))
                    .collect();
                problem.set(Some(format!(
                    "请选择{}的缺勤原因（病假、事假或无故缺勤）。未保存。",
                    who.join("、")
                )));
                unreasoned.set(missing);
                return;
            }
        };
        unreasoned.set(Vec::new());
        let count = all.values().filter(|v| v.is_some()).count();
        leptos::task::spawn_local(async move {
            match store.save_roll_call(day, class, all).await {
                Ok(not_noted) => {
                    // Saved over both teachers' marks: the day is settled.
                    conflicts.set(BTreeMap::new());
                    done.set(Some(format!(
                        "已保存：{} 考勤，缺勤 {count} 人",
                        day.format("%-m月%-d日")
                    )));
                    // The absences are kept; only the school's 已点名 was not noted.
                    if let Some(why) = not_noted {
                        problem.set(Some(format!(
                            "未能在学校名单上记下本班已点名（{why}），关爱检查仍会显示本班未点名。"
                        )));
                    }
                }
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    let rows = children
        .into_iter()
        .map(|entry| {
            let id = entry.id;
            let name = entry.basic.name.clone();
            let mark = move || marks.with(|m| m.get(&id).cloned().flatten());
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                marks.update(|m| {
                    m.insert(id, on.then(|| (None, String::new())));
                });
            };
            let set_reason = move |ev: leptos::ev::Event| {
                let reason = AbsenceReason::from_code(&event_target_value(&ev));
                marks.update(|m| {
                    if let (Some(Some(mark)), Some(reason)) = (m.get_mut(&id), reason) {
                        mark.0 = Some(reason);
                    }
                });
                unreasoned.update(|u| u.retain(|c| *c != id));
            };
            let set_note = move |ev: leptos::ev::Event| {
                let note = event_target_value(&ev);
                marks.update(|m| {
                    if let Some(Some(mark)) = m.get_mut(&id) {
                        mark.1 = note;
                    }
                });
            };
            let reason_label = format!("{name}缺勤原因");
            let note_label = format!("{name}缺勤说明");
            view! {
                <li class="roll-row">
                    <label class="check">
                        <input type="checkbox" prop:checked=move || mark().is_some() on:change=toggle/>
                        {format!("{name} 缺勤")}
                    </label>
                    {move || conflicts.with(|c| c.get(&id).cloned()).map(|text| view! {
                        <p class="status status-warn" role="status">{text}</p>
                    })}
                    {move || mark().map(|(reason, note)| view! {
                        <div class="roll-reason">
                            <select aria-label=reason_label.clone() on:change=set_reason
                                aria-invalid=move || unreasoned.with(|u| u.contains(&id)).to_string()>
                                <option value="" selected=reason.is_none() disabled>"请选择原因"</option>
                                {AbsenceReason::ALL.into_iter().map(|r| view! {
                                    <option value=r.code() selected=Some(r) == reason>{r.label_zh()}</option>
                                }).collect_view()}
                            </select>
                            <input type="text" aria-label=note_label.clone() placeholder="说明（可不填）"
                                prop:value=note on:change=set_note/>
                        </div>
                    })}
                    {move || unreasoned.with(|u| u.contains(&id)).then(|| view! {
                        <p class="error" role="alert">"请选择缺勤原因"</p>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="hint">"默认全班到校，只需勾出缺勤的儿童并选择原因。同一天再次保存即为更正。"</p>
        {move || taken().map(|line| view! { <p class="status" id="roll-taken">{line}</p> })}
        <ul class="plain-list roll">{rows}</ul>
        // In thumb reach however far down a class of 40 the teacher has scrolled.
        <div class="actions sticky-actions">
            {move || problem.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || done.get().map(|t| view! { <p class="status status-ok" role="status">{t}</p> })}
            <button type="button" class="primary" disabled=move || !loaded.get() on:click=save>
                {move || format!("保存考勤（缺勤 {} 人）", absent())}
            </button>
        </div>
    }
}

/// The class's children flagged as 疑似辍学 today.
#[component]
fn SuspectedList(children: Memo<Vec<RosterEntry>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let found: RwSignal<Vec<(String, Suspected)>> = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        let list = children.get();
        store.save_status.track();
        leptos::task::spawn_local(async move {
            let ids: Vec<DocId> = list.iter().map(|e| e.id).collect();
            let today = chrono::Local::now().date_naive();
            if let Ok(suspected) = store.suspected_dropouts(&ids, today).await {
                found.set(
                    suspected
                        .into_iter()
                        .filter_map(|s| {
                            let name = list.iter().find(|e| e.id == s.child)?.basic.name.clone();
                            Some((name, s))
                        })
                        .collect(),
                );
            }
        });
    });
    let rule = store.settings().dropout_threshold().describe_zh();
    move || {
        let list = found.get();
        (!list.is_empty()).then(|| {
            view! {
                <section class="card alert" aria-labelledby="suspected-title">
                    <h2 id="suspected-title">{format!("疑似辍学（{} 人）", list.len())}</h2>
                    <ul class="plain-list">
                        {list.into_iter().map(|(name, s)| view! {
                            <li>
                                <a href=format!("/child/{}/persuasion", s.child)>{name}</a>
                                <span class="hint">{format!("{rule}（{}达到）", s.reached.format("%-m月%-d日"))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
