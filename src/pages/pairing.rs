//! Pairing (结对帮扶): the care lead pairs teachers with children (班主任, 结对帮扶教师) and anyone
//! may add a student buddy, proxy parent or volunteer. Lists the children who still have no paired
//! adult and the teachers under the school's target; a teacher sees their own children first.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use shouwang_core::input::InputError;
use shouwang_core::pairing::{self, HelperDraft, HelperKind};
use shouwang_core::schema::helpers::Pairing;
use shouwang_core::stats::in_care;
use shouwang_core::teachers::Duty;
use shouwang_core::{DocId, RosterEntry};

use crate::components::input_error::{dom_id, error_line, Errors};
use crate::components::paged_list::{ChildLinks, Pages, NAMES_PAGE};
use crate::components::save_status::SaveStatusLine;
use crate::components::submit::Submit;
use crate::components::tap_result::TapResult;
use crate::store::Store;

#[component]
pub fn PairingPage() -> impl IntoView {
    let store = expect_context::<Store>();
    // Every write to the index refreshes `assignments`, so tracking it re-reads the helpers too.
    let pairings = Memo::new(move |_| {
        store.assignments.track();
        store.pairings()
    });
    view! {
        <header class="topbar">
            <a class="back" href="/dashboard" aria-label="返回关爱检查">"‹ 检查"</a>
            <h1>"结对帮扶"</h1>
        </header>
        <main class="page">
            <SaveStatusLine/>
            <Gaps pairings/>
            {store.me_is_lead().then(|| view! { <AssignTeacher/> })}
            {store.me_is_lead().then(|| view! { <crate::components::class_teacher_card::ClassTeacherCard/> })}
            {store.me_is_lead().then(|| view! { <crate::components::hand_over_card::HandOverCard/> })}
            <AddHelper/>
            <Overview pairings/>
        </main>
    }
}

/// Children in care, the ones `me` is responsible for first, then in list order.
fn children_mine_first(store: Store) -> Vec<RosterEntry> {
    let me = crate::prefs::me_id();
    let mine: BTreeSet<DocId> = store.assignments.with(|all| all.children_of(&me).collect());
    let mut list: Vec<RosterEntry> = store
        .roster
        .with(|r| r.iter().filter(|e| in_care(e)).cloned().collect());
    shouwang_core::sort::sort_by_key(&mut list, |e| !mine.contains(&e.id));
    list
}

/// A child's link on the list of those without a paired adult: name and class.
fn child_link(entry: &RosterEntry) -> (DocId, String) {
    (
        entry.id,
        format!("{}（{}）", entry.basic.name, entry.basic.class_label_zh()),
    )
}

#[component]
fn Gaps(pairings: Memo<Vec<Pairing>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let without = move || {
        let children = children_mine_first(store);
        let helpers = pairings.with(|p| shouwang_core::schema::helpers::helpers_by_child(p));
        let missing: BTreeSet<DocId> = store.assignments.with(|a| {
            pairing::without_paired_adult(children.iter().map(|e| e.id), a, &helpers)
                .into_iter()
                .collect()
        });
        children
            .into_iter()
            .filter(|e| missing.contains(&e.id))
            .collect::<Vec<_>>()
    };
    let under = move || {
        let in_care: BTreeSet<DocId> = children_mine_first(store).iter().map(|e| e.id).collect();
        let targets = store.settings().pairing;
        let teachers = store.teachers.get();
        let loads = store
            .assignments
            .with(|a| pairing::loads(&teachers, a, &in_care, &targets));
        let rows: Vec<String> = pairing::under_target(&loads)
            .map(|l| {
                let name = shouwang_core::teachers::name_of(&teachers, &l.teacher);
                format!("{name}：{}", l.summary_zh())
            })
            .collect();
        // An empty heading reads as a list that failed to load.
        if rows.is_empty() {
            view! { <p class="empty">"每位教师都已达到结对目标。"</p> }.into_any()
        } else {
            let rows = rows
                .into_iter()
                .map(|row| view! { <li>{row}</li> })
                .collect_view();
            view! { <ul id="under-target" class="plain-list">{rows}</ul> }.into_any()
        }
    };
    view! {
        <section class="card" aria-labelledby="no-adult-title">
            <h2 id="no-adult-title">"没有结对成人的儿童"</h2>
            {move || {
                let list = without();
                if list.is_empty() {
                    view! { <p id="no-paired-adult" class="empty">"每名儿童都有结对的成人。"</p> }.into_any()
                } else {
                    view! {
                        <p class="count">{format!("共 {} 名", list.len())}</p>
                        <ChildLinks links=list.iter().map(child_link).collect() id="no-paired-adult"/>
                    }.into_any()
                }
            }}
        </section>
        <section class="card" aria-labelledby="under-target-title">
            <h2 id="under-target-title">"未达结对目标的教师"</h2>
            {under}
        </section>
    }
}

/// A child's class as the picker narrows by it: (grade, class).
fn class_of(entry: &RosterEntry) -> (u32, u32) {
    (entry.basic.grade, entry.basic.class)
}

/// Past this many children in care the picker asks for the class first: a school's 600 in one
/// drop-down were a wheel of 600 names on a phone, for every child a lead pairs.
const CLASS_FIRST_PAST: usize = 60;

/// The "儿童" drop-down of the school forms, the teacher's own children first; the chosen child's
/// id goes to `child`. For a school of more than one class's worth, a 班级 drop-down before it
/// narrows the names to one class (全部班级 at first, so nothing is hidden until the lead asks).
pub(crate) fn child_picker(
    store: Store,
    id: &'static str,
    child: RwSignal<String>,
    errors: Option<Errors>,
) -> impl IntoView {
    let children = Memo::new(move |_| children_mine_first(store));
    // The class chosen, as (grade, class); none: every class.
    let class = RwSignal::new(None::<(u32, u32)>);
    let classes = move || {
        children.with(|all| {
            all.iter()
                .map(|e| (class_of(e), e.basic.class_label_zh()))
                .collect::<BTreeMap<_, _>>()
        })
    };
    let options = move || {
        let chosen = class.get();
        children.with(|all| {
            all.iter()
                .filter(|e| chosen.is_none_or(|c| c == class_of(e)))
                .map(|e| {
                    let label = format!("{}（{}）", e.basic.name, e.basic.class_label_zh());
                    // Drawn anew when the class changes: the chosen child stays shown as chosen.
                    let value = e.id.to_string();
                    let selected = value == child.get_untracked();
                    view! { <option value=value selected=selected>{label}</option> }
                })
                .collect_view()
        })
    };
    let class_id = format!("{id}-class");
    let pick_class = move |ev: leptos::ev::Event| {
        let picked = event_target_value(&ev)
            .split_once('-')
            .and_then(|(g, c)| Some((g.parse().ok()?, c.parse().ok()?)));
        class.set(picked);
        // A child of another class is no longer among the names: nothing stays chosen unseen.
        let shown = children.with_untracked(|all| {
            all.iter().any(|e| {
                e.id.to_string() == child.get_untracked() && picked.is_none_or(|c| c == class_of(e))
            })
        });
        if !shown {
            child.set(String::new());
        }
    };
    let class_first = move || {
        (children.with(Vec::len) > CLASS_FIRST_PAST).then(|| {
            let class_id = class_id.clone();
            view! {
                <div class="field">
                    <label for=class_id.clone()>"班级"</label>
                    <select id=class_id on:change=pick_class>
                        <option value="">"全部班级"</option>
                        {classes().into_iter().map(|(key, label)| {
                            let (grade, number) = key;
                            let selected = class.get_untracked() == Some(key);
                            view! {
                                <option value=format!("{grade}-{number}") selected=selected>{label}</option>
                            }
                        }).collect_view()}
                    </select>
                </div>
            }
        })
    };
    view! {
        {class_first}
        <div class="field">
            <label for=id>"儿童"</label>
            <select id=id aria-describedby=errors.map(|_| format!("{}-error", dom_id(id)))
                prop:value=move || child.get() on:change=move |ev| child.set(event_target_value(&ev))>
                <option value="">"请选择"</option>{options}
            </select>
            {errors.map(|errors| error_line(errors, id.into()))}
        </div>
    }
}

/// The child chosen in `child_picker` (its error, 请选择儿童, is shown beneath it) together with
/// the rest of the form, or every problem of both.
pub(crate) fn with_child<T>(
    child: RwSignal<String>,
    id: &'static str,
    rest: Result<T, Vec<InputError>>,
) -> Result<(DocId, T), Vec<InputError>> {
    let chosen =
        DocId::parse(&child.get_untracked()).map_err(|_| InputError::not_chosen(id, "儿童"));
    match (chosen, rest) {
        (Ok(id), Ok(rest)) => Ok((id, rest)),
        (chosen, rest) => Err(chosen
            .err()
            .into_iter()
            .chain(rest.err().into_iter().flatten())
            .collect()),
    }
}

#[component]
fn AssignTeacher() -> impl IntoView {
    let store = expect_context::<Store>();
    let child = RwSignal::new(String::new());
    let teacher = RwSignal::new(String::new());
    let duty = RwSignal::new(Duty::Paired.code().to_string());
    let errors: Errors = RwSignal::new(Vec::new());
    let submit = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let who = teacher.get_untracked();
        let duty = Duty::from_code(&duty.get_untracked());
        let mut found = Vec::new();
        if who.is_empty() {
            found.push(InputError::not_chosen("assign-teacher", "教师"));
        }
        if duty.is_none() {
            found.push(InputError::not_chosen("assign-duty", "职责"));
        }
        let chosen = duty.filter(|_| found.is_empty()).ok_or(found);
        let checked = with_child(child, "assign-child", chosen);
        // Named: a lead pairing a class's children one after another sees which one was saved.
        let done = match &checked {
            Ok((id, duty)) => {
                let name = store
                    .teachers
                    .with_untracked(|all| shouwang_core::teachers::name_of(all, &who));
                format!(
                    "已保存：{name}担任{}的{}",
                    store.listed_name(*id).unwrap_or_default(),
                    duty.label_zh()
                )
            }
            Err(_) => String::new(),
        };
        submit.run_here(
            checked,
            errors,
            move |(id, duty)| store.set_duty(vec![id], who, Some(duty)),
            done,
        );
    };
    view! {
        <section class="card" aria-labelledby="assign-title">
            <h2 id="assign-title">"安排教师"</h2>
            <form class="form" on:submit=on_submit novalidate>
                {child_picker(store, "assign-child", child, Some(errors))}
                <crate::components::teacher_select::TeacherSelect id="assign-teacher" label="教师" value=teacher errors/>
                <div class="field">
                    <label for="assign-duty">"职责"</label>
                    <select id="assign-duty" aria-describedby="f-assign-duty-error"
                        on:change=move |ev| duty.set(event_target_value(&ev))>
                        {Duty::ALL.into_iter().map(|d| view! {
                            <option value=d.code() selected=d == Duty::Paired>{d.label_zh()}</option>
                        }).collect_view()}
                    </select>
                    {error_line(errors, "assign-duty".into())}
                </div>
                {submit.inline_footer("安排")}
            </form>
        </section>
    }
}

#[component]
fn AddHelper() -> impl IntoView {
    let store = expect_context::<Store>();
    let child = RwSignal::new(String::new());
    let draft = RwSignal::new(HelperDraft {
        kind: HelperKind::ProxyParent.code().into(),
        name: String::new(),
    });
    let errors: Errors = RwSignal::new(Vec::new());
    let submit = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let save = move |(id, helper)| async move {
            let result = store.add_helper(id, helper).await;
            if result.is_ok() {
                draft.update(|d| d.name.clear());
            }
            result
        };
        submit.run_here(
            with_child(child, "helper-child", draft.get_untracked().validate()),
            errors,
            save,
            "已添加帮扶人".into(),
        );
    };
    view! {
        <section class="card" aria-labelledby="helper-title">
            <h2 id="helper-title">"安排学习帮手、代理家长或志愿者"</h2>
            <form class="form" on:submit=on_submit novalidate>
                {child_picker(store, "helper-child", child, Some(errors))}
                <fieldset class="field">
                    <legend>"帮扶人类别"</legend>
                    <div class="chips">
                        {HelperKind::ALL.into_iter().map(|k| view! {
                            <label class="chip">
                                <input type="radio" name="helper-kind" prop:checked=move || draft.with(|d| d.kind == k.code())
                                    on:change=move |_| draft.update(|d| d.kind = k.code().into())/>
                                <span>{k.label_zh()}</span>
                            </label>
                        }).collect_view()}
                    </div>
                    {error_line(errors, "kind".into())}
                </fieldset>
                <div class="field">
                    <label for="f-name">"帮扶人姓名"</label>
                    <input id="f-name" type="text" autocomplete="off" aria-describedby="f-name-error"
                        prop:value=move || draft.with(|d| d.name.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.name = v) }/>
                    {error_line(errors, "name".into())}
                </div>
                {submit.inline_footer("添加帮扶人")}
            </form>
        </section>
    }
}

#[component]
fn Overview(pairings: Memo<Vec<Pairing>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let tap = TapResult::new();
    // A school of 600 is 600 rows: a screenful at first, the teacher's own children first.
    let pages = Pages::new(NAMES_PAGE);
    let children = Memo::new(move |_| children_mine_first(store));
    let rows = move || {
        let teachers = store.teachers.get();
        let assignments = store.assignments.get();
        let all = pairings.get();
        children
            .get()
            .into_iter()
            .take(pages.shown())
            .map(|e| {
                let duties: Vec<String> = assignments
                    .get(&e.id)
                    .into_iter()
                    .flatten()
                    .map(|(t, d)| {
                        let name = teachers
                            .iter()
                            .find(|x| x.id == *t)
                            .map(|x| x.name.as_str())
                            .unwrap_or("（未知教师）");
                        format!("{name}（{}）", d.label_zh())
                    })
                    .collect();
                let helpers = all
                    .iter()
                    .filter(|p| p.child == e.id)
                    .map(|p| {
                        let id = p.id.clone();
                        let said = format!(
                            "已保存：{}不再是{}的{}",
                            p.helper.name,
                            e.basic.name,
                            p.helper.kind.label_zh()
                        );
                        let remove = move |_| tap.run(said.clone(), store.remove_helper(id.clone()));
                        // Each 取消 says whom it takes off: a row may hold several.
                        let aria = format!("取消{}的{}{}", e.basic.name, p.helper.kind.label_zh(), p.helper.name);
                        view! {
                            <span class="badge">{format!("{}：{}", p.helper.kind.label_zh(), p.helper.name)}</span>
                            <button type="button" class="link" aria-label=aria on:click=remove>"取消"</button>
                        }
                    })
                    .collect_view();
                view! {
                    <tr>
                        <th><a href=format!("/child/{}", e.id)>{e.basic.name.clone()}</a></th>
                        <td>{duties.join("、")}</td>
                        <td>{helpers}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="overview-title">
            <h2 id="overview-title">"结对一览"</h2>
            {tap.line()}
            <div class="table-scroll" role="region" tabindex="0" aria-label="结对一览表">
                <table class="stats">
                    <thead><tr><th>"儿童"</th><th>"教师"</th><th>"其他帮扶人"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {pages.more(move || children.with(Vec::len), "名")}
        </section>
    }
}
