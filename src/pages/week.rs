//! My week (我的一周): for the teacher using this device, the children they are responsible
//! for and what is overdue or due soon, parents out of touch, open follow-ups, and due visits
//! grouped by village for one trip. A teacher with no children yet takes a class here.

use chrono::NaiveDate;
use leptos::prelude::*;
use shouwang_core::absence_steps::step_on;
use shouwang_core::cadence::{CareKind, Due};
use shouwang_core::child::grade_label_zh;
use shouwang_core::records::RecordKind;
use shouwang_core::settings::{Silence, PARENT_CONTACT_LAW_ZH};
use shouwang_core::status::Status;
use shouwang_core::visit_target::weekly_visits;
use shouwang_core::week::{my_week, ChildCare, Task, Week};
use shouwang_core::{DocId, RosterEntry};

use crate::components::save_status::SaveStatusLine;
use crate::components::tap_result::TapResult;
use crate::store::Store;

#[component]
pub fn WeekPage() -> impl IntoView {
    let me = crate::prefs::me_id();
    view! {
        <header class="topbar">
            <a class="back" href="/" aria-label="返回名册">"‹ 名册"</a>
            <h1>"我的一周"</h1>
        </header>
        <main class="page">
            <SaveStatusLine/>
            <nav class="week-links" aria-label="班级工作">
                <a class="secondary" href="/attendance">"考勤：登记今天的缺勤"</a>
                <a class="secondary" href="/dropouts">"控辍保学：疑似辍学与劝返"</a>
                <a class="secondary" href="/sessions">"集体活动与会议"</a>
            </nav>
            <crate::components::roll_call_check::MyRollCall/>
            <crate::components::dropout_alert::DropoutAlert/>
            {if me.is_empty() {
                view! {
                    <p class="status" role="status">"请先在“设置”中选择你是哪位老师，才能看到你负责的儿童。"</p>
                    <a class="primary" href="/settings">"去设置"</a>
                }.into_any()
            } else {
                view! { <MyWeek me/> }.into_any()
            }}
        </main>
    }
}

/// The roster lines of the children `me` is responsible for and the school cares for: a child
/// known not to be (both parents at home) owes no calls to parents away, as on 关爱检查.
fn my_children(store: Store, me: &str) -> Vec<RosterEntry> {
    let mine: Vec<DocId> = store.assignments.with(|all| all.children_of(me).collect());
    store.roster.with(|roster| {
        roster
            .iter()
            .filter(|e| mine.contains(&e.id) && shouwang_core::stats::in_care(e))
            .cloned()
            .collect()
    })
}

/// The children `me` is responsible for who are on the books but do not attend (休学, 疑似辍学):
/// nothing is due for them, and a 疑似辍学 is the teacher's to bring back (劝返).
fn my_paused(store: Store, me: &str) -> Vec<(RosterEntry, Status)> {
    let mine: Vec<DocId> = store.assignments.with(|all| all.children_of(me).collect());
    store.paused.with(|paused| {
        paused
            .iter()
            .filter(|(e, _)| mine.contains(&e.id))
            .cloned()
            .collect()
    })
}

/// 未在校的儿童: the teacher's children out of school, so that one marked 疑似辍学 does not simply
/// vanish from the week of the teacher who must bring them back.
fn paused_view(store: Store, me: String) -> impl IntoView {
    move || {
        let paused = my_paused(store, &me);
        (!paused.is_empty()).then(|| {
            let rows = paused
                .into_iter()
                .map(|(entry, now)| {
                    let id = entry.id;
                    view! {
                        <li class="row-with-action">
                            <a href=format!("/child/{id}")>{format!("{}（{}）", entry.basic.name, now.label())}</a>
                            {(now == Status::SuspectedDropout).then(|| view! {
                                <a href=format!("/child/{id}/persuasion")>"劝返记录"</a>
                            })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section aria-labelledby="week-paused">
                    <h2 id="week-paused">"未在校的儿童"</h2>
                    <p class="note">"不计入应做的关爱工作；疑似辍学的儿童请尽快劝返，并记下每一次劝返。"</p>
                    <ul class="plain-list">{rows}</ul>
                </section>
            }
        })
    }
}

/// The teacher's children whose archive two teachers filled in differently while apart: only she
/// (or the other) can say which is right, and the child's page is where she chooses.
fn disputed_view(store: Store, me: String) -> impl IntoView {
    move || {
        let disputed: Vec<RosterEntry> = my_children(store, &me)
            .into_iter()
            .chain(my_paused(store, &me).into_iter().map(|(entry, _)| entry))
            .filter(|entry| entry.flags.disputed > 0)
            .collect();
        (!disputed.is_empty()).then(|| {
            let rows = disputed
                .into_iter()
                .map(|entry| {
                    view! {
                        <li class="task">
                            <a href=format!("/child/{}", entry.id)>
                                <span class="task-child">{entry.basic.name}</span>
                                <span class="task-due">{format!("档案中有 {} 处两位老师填写不同，请打开档案选择保留哪一个", entry.flags.disputed)}</span>
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section aria-labelledby="week-disputed">
                    <h2 id="week-disputed">"两位老师填写不同"</h2>
                    <ul class="tasks">{rows}</ul>
                </section>
            }
        })
    }
}

type Loaded = Option<Result<(Vec<RosterEntry>, Vec<ChildCare>, Week, Calls), String>>;

/// 点名制度: the roll-call day's children absent without leave whose family is not reached yet
/// (`ChildCare::family_to_call`), by their place in the cares, each with the school's step in
/// force for its days in a row away (`absence_steps::step_on`), if the school set one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Calls {
    day: NaiveDate,
    children: Vec<(usize, Option<String>)>,
}

impl Calls {
    async fn of(store: Store, cares: &[ChildCare], today: NaiveDate) -> Result<Calls, String> {
        let day = store.roll_call_day(today);
        let ids: Vec<DocId> = cares.iter().filter_map(|c| c.id).collect();
        let found = store
            .day_marks(&ids, day)
            .await
            .map_err(|e| format!("考勤无法读取：{e}"))?;
        let steps = store.settings().absence_steps;
        let children = cares
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                let mark = c.id.and_then(|id| found.marks.get(&id).cloned().flatten());
                c.family_to_call(mark.map(|(reason, _)| reason), day)
            })
            .map(|(i, c)| {
                let run = c.id.and_then(|id| found.runs.get(&id).copied());
                let step = run.and_then(|run| Some(step_on(&steps, run)?.line_zh(run)));
                (i, step)
            })
            .collect();
        Ok(Calls { day, children })
    }
}

#[component]
fn MyWeek(me: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let loaded: RwSignal<Loaded, LocalStorage> = RwSignal::new_local(None);
    // Kept here: the week is drawn anew when a tap's change is made, before it is stored. A class
    // taken is said at the top, where the choice was; a follow-up done where its list was.
    let took = TapResult::new();
    let tap = TapResult::new();
    let who = me.clone();
    Effect::new(move |_| {
        // Read again whenever a child's documents change, on this phone or by sync.
        store.track_children();
        let children = my_children(store, &who);
        leptos::task::spawn_local(async move {
            let started = crate::js::now_ms();
            let today = chrono::Local::now().date_naive();
            let mut cares = Vec::with_capacity(children.len());
            for entry in &children {
                match store.records(entry.id).await {
                    Ok(records) => cares.push(ChildCare {
                        id: Some(entry.id),
                        name: entry.basic.name.clone(),
                        village: entry.basic.village.clone(),
                        added: entry.flags.added,
                        cadence: store.child_cadence(entry.id).await,
                        ..records.care()
                    }),
                    Err(err) => {
                        loaded.set(Some(Err(format!(
                            "{}的记录无法读取：{err}",
                            entry.basic.name
                        ))));
                        return;
                    }
                }
            }
            let week = my_week(&cares, &store.settings(), today);
            let calls = match Calls::of(store, &cares, today).await {
                Ok(calls) => calls,
                Err(message) => {
                    loaded.set(Some(Err(message)));
                    return;
                }
            };
            loaded.set(Some(Ok((children, cares, week, calls))));
            crate::js::record_measure("shouwang:week-ready", started, crate::js::now_ms());
        });
    });
    let paused = paused_view(store, me.clone());
    let disputed = disputed_view(store, me.clone());
    view! {
        {took.line()}
        {disputed}
        {move || loaded.with(|state| match state {
            None => view! { <p class="loading">"正在整理本周任务…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="status status-error" role="alert">{message.clone()}</p> }.into_any(),
            Some(Ok((children, ..))) if children.is_empty() && my_paused(store, &me).is_empty() => view! { <TakeClass me=me.clone() tap=took/> }.into_any(),
            Some(Ok((children, ..))) if children.is_empty() => view! {
                <p class="empty">"你负责的儿童目前都不在校。"</p>
            }.into_any(),
            Some(Ok((children, cares, week, calls))) => view! {
                {harm_view(cares)}
                {calls_view(cares, calls)}
                {week_view(children.len(), cares, week, tap)}
            }
            .into_any(),
        })}
        {paused}
    }
}

/// 强制报告: her children's records that found harm not yet reported, first on her week until the
/// record is corrected to say whom it was reported to; nothing when there are none.
fn harm_view(cares: &[ChildCare]) -> Option<impl IntoView> {
    let rows: Vec<_> = cares
        .iter()
        .flat_map(|c| c.harm.iter().filter(|h| h.harm.is_pending()).map(move |h| (c, h)))
        .map(|(child, h)| {
            let href = child
                .id
                .map(|id| format!("/child/{id}/records"))
                .unwrap_or_default();
            let what = format!("{} {}", h.date.format("%-m月%-d日"), h.record_zh);
            view! { <li class="task overdue"><a href=href><span class="task-child">{child.name.clone()}</span><span class="task-kind">{what}</span><span class="task-due">"尚未报告"</span></a></li> }
        })
        .collect();
    (!rows.is_empty()).then(|| view! {
        <section aria-labelledby="week-harm">
            <h2 id="week-harm">{format!("发现侵害或疑似侵害，尚未报告（{}）", rows.len())}</h2>
            <p class="detail">"请立即向公安机关报告（未成年人保护法第十一条），并告诉学校关爱负责人；报告后打开记录点“更正”，选“发现，已报告”，写明报告对象和日期。"</p>
            <ul class="tasks">{rows}</ul>
        </section>
    })
}

/// The children absent without leave on the roll-call day whose family is still to be reached,
/// each a tap from recording the call; nothing when there are none.
fn calls_view(cares: &[ChildCare], calls: &Calls) -> Option<impl IntoView> {
    if calls.children.is_empty() {
        return None;
    }
    let today = chrono::Local::now().date_naive();
    let when = shouwang_core::attendance::day_named_zh(calls.day, today);
    let rows = calls
        .children
        .iter()
        .map(|(i, step)| {
            let child = &cares[*i];
            let href = child
                .id
                .map(|id| record_link(id, CareKind::ParentCall))
                .unwrap_or_default();
            let step = step.clone().map(|line| view! { <span class="task-step">{line}</span> });
            view! { <li class="task"><a href=href><span class="task-child">{child.name.clone()}</span><span class="task-due">"记录与家长联系"</span>{step}</a></li> }
        })
        .collect_view();
    Some(view! {
        <section aria-labelledby="week-absent">
            <h2 id="week-absent">{format!("{when}无故缺勤，请联系家长（{}）", calls.children.len())}</h2>
            <p class="detail">"点名制度：学生无故缺勤，班主任当天联系家长或监护人，问明原因。记下接通的联系（主题可选“缺课、请假”）或家访后，这一条就不再列出；没接通的电话不算。"</p>
            <ul class="tasks">{rows}</ul>
        </section>
    })
}

/// Where a teacher records a kind of care for a child.
fn record_link(child: DocId, kind: CareKind) -> String {
    let code = match kind {
        CareKind::Visit | CareKind::PlanReview => return format!("/child/{child}/visit"),
        CareKind::ParentCall => RecordKind::ParentContact.code(),
        CareKind::Talk => RecordKind::Talk.code(),
        CareKind::ChildParentContact => RecordKind::FamilyContact.code(),
    };
    format!("/child/{child}/add/{code}")
}

fn due_text(due: Due) -> String {
    match due {
        Due::Overdue { days, .. } => format!("已逾期 {days} 天"),
        Due::DueBy(day) => format!("{} 前完成", day.format("%m-%d")),
        Due::UpToDate { .. } => "已完成".into(),
        Due::Holiday => "假期".into(),
    }
}

fn task_row(cares: &[ChildCare], task: &Task) -> impl IntoView {
    let child = &cares[task.child];
    let overdue = matches!(task.due, Due::Overdue { .. });
    let href = child
        .id
        .map(|id| record_link(id, task.kind))
        .unwrap_or_default();
    view! {
        <li class="task" class:overdue=overdue>
            <a href=href>
                <span class="task-child">{child.name.clone()}</span>
                <span class="task-kind">{task.kind.label_zh()}</span>
                <span class="task-due">{due_text(task.due)}</span>
            </a>
        </li>
    }
}

/// A row of one line that opens where the teacher acts on it.
fn line_row(href: Option<String>, line: String, overdue: bool) -> impl IntoView {
    view! {
        <li class="task" class:overdue=overdue>
            <a href=href.unwrap_or_default()>{line}</a>
        </li>
    }
}

fn week_view(count: usize, cares: &[ChildCare], week: &Week, tap: TapResult) -> impl IntoView {
    let store = expect_context::<Store>();
    let urgent = week
        .urgent
        .iter()
        .map(|t| task_row(cares, t))
        .collect_view();
    let later = week.later.iter().map(|t| task_row(cares, t)).collect_view();
    let silent = week
        .out_of_touch
        .iter()
        .map(|(i, silence)| {
            let child = &cares[*i];
            let text = match silence {
                Silence::Never => "没有接通的父母联系记录".to_string(),
                Silence::Days(days) => format!("父母已 {days} 天未与孩子联系"),
            };
            let href = child
                .id
                .map(|id| record_link(id, CareKind::ChildParentContact))
                .unwrap_or_default();
            view! { <li class="task"><a href=href><span class="task-child">{child.name.clone()}</span><span class="task-due">{text}</span></a></li> }
        })
        .collect_view();
    // The flag cites the law it stands for and what clears it (records::reached_parents).
    let silent_note = format!(
        "{}。超过 {} 天没有父亲或母亲接通的联系（电话、视频接通，或书信、短信、微信）即列在这里。",
        PARENT_CONTACT_LAW_ZH,
        store.settings().parent_contact_gap_days
    );
    let today = chrono::Local::now().date_naive();
    // A follow-up past its day is overdue work like any other: listed and counted with it.
    let (late_follow_ups, open_follow_ups): (Vec<_>, Vec<_>) =
        week.follow_ups.iter().partition(|(_, f)| f.is_late(today));
    let follow_up_row = move |(i, f): &(usize, shouwang_core::week::OpenFollowUp)| {
        let child = cares[*i].id;
        let (visit, index) = (f.visit.clone(), f.index);
        let said = format!("已保存：{}的“{}”已完成", cares[*i].name, f.action);
        let undone = format!("已撤销：{}的“{}”改为未完成", cares[*i].name, f.action);
        let done = move |_| {
            let Some(child) = child else { return };
            // Saved, the week is read again with the child's records; 撤销 opens it again.
            let visit = visit.clone();
            tap.run_reversible(None, (said.clone(), undone.clone()), move |on| {
                store.set_follow_up_done(child, visit.clone(), index, on)
            });
        };
        // Past its day: said, as a cadence item past its day is.
        let late = f.is_late(today);
        let line = format!(
            "{} · {}（{}，{} 前{}）",
            cares[*i].name,
            f.action,
            f.owner,
            f.due.format("%m-%d"),
            if late { "，已逾期" } else { "" }
        );
        view! {
            <li class=if late { "task follow-up-task overdue" } else { "task follow-up-task" }>
                <span>{line}</span>
                <button type="button" on:click=done>"完成"</button>
            </li>
        }
    };
    let late_count = late_follow_ups.len();
    // A visit promised to a family stands whoever promised it: a teacher taking over a class
    // learns here when she is expected. It is called off here when the family says not to
    // come, with 撤销 as for 完成.
    let agreed = week
        .agreed
        .iter()
        .map(|(i, a)| {
            let child = cares[*i].id;
            let href = child.map(|id| record_link(id, CareKind::Visit));
            let name = cares[*i].name.as_str();
            let (said, undone) = (a.cancelled_zh(Some(name)), a.restored_zh(Some(name)));
            let promised = a.promised.clone();
            let cancel = move |_| {
                let Some(child) = child else { return };
                let promised = promised.clone();
                tap.run_reversible(None, (said.clone(), undone.clone()), move |off| {
                    store.set_cancelled(child, promised.clone(), off)
                });
            };
            view! {
                <li class="task with-action" class:overdue=a.date < today>
                    <a href=href.unwrap_or_default()>{a.line_zh(name, today)}</a>
                    <button type="button" on:click=cancel>"取消"</button>
                </li>
            }
        })
        .collect_view();
    let agreed_count = week.agreed.len();
    // What a call or a talk said to do next, written as text: found here, not in the record.
    let noted = week
        .noted
        .iter()
        .map(|(i, n)| {
            let href = cares[*i]
                .id
                .map(|id| format!("/child/{id}/add/{}", n.kind.code()));
            line_row(href, n.line_zh(&cares[*i].name), false)
        })
        .collect_view();
    let noted_count = week.noted.len();
    let late_rows = late_follow_ups
        .into_iter()
        .map(follow_up_row)
        .collect_view();
    let has_follow = !open_follow_ups.is_empty();
    let follow_ups = open_follow_ups
        .into_iter()
        .map(follow_up_row)
        .collect_view();
    let route = week
        .route
        .iter()
        .map(|stop| {
            let names = stop
                .children
                .iter()
                .map(|i| {
                    let c = &cares[*i];
                    let plan = c
                        .plans
                        .first()
                        .map(|a| format!("（约好 {}）", a.date.format("%m-%d")))
                        .unwrap_or_default();
                    format!("{} {}{plan}", c.name, c.village)
                })
                .collect::<Vec<_>>()
                .join("、");
            view! { <li><strong>{format!("{}（{} 户）", stop.village, stop.children.len())}</strong><p>{names}</p></li> }
        })
        .collect_view();
    let (has_urgent, has_silent, has_follow, has_route, has_later) = (
        !week.urgent.is_empty() || late_count > 0,
        !week.out_of_touch.is_empty(),
        has_follow,
        !week.route.is_empty(),
        !week.later.is_empty(),
    );
    let visits = weekly_visits(
        cares,
        &crate::prefs::me(),
        store.settings().visits_per_week,
        today,
    );
    let short = visits.target.saturating_sub(visits.done);
    view! {
        <p class="count">{format!("我负责 {count} 名儿童")}</p>
        <p class="count" id="week-visits" class:overdue=visits.missed(today)>
            {visits.text_zh()}
            {(short > 0).then(|| format!("，还差 {short} 次"))}
        </p>
        <section aria-labelledby="week-urgent">
            <h2 id="week-urgent">{format!("逾期和本周要做（{}）", week.urgent.len() + late_count)}</h2>
            {(!has_urgent).then(|| view! { <p class="empty">"本周没有到期的任务。"</p> })}
            <ul class="tasks">{urgent}{late_rows}</ul>
        </section>
        // What a 完成 stored is said by the list it was tapped in.
        {(late_count > 0).then(|| tap.line())}
        {has_silent.then(|| view! {
            <section aria-labelledby="week-silent">
                <h2 id="week-silent">"父母失联"</h2>
                <p class="detail">{silent_note}</p>
                <ul class="tasks">{silent}</ul>
            </section>
        })}
        {(late_count == 0).then(|| tap.line())}
        {has_follow.then(|| view! {
            <section aria-labelledby="week-follow">
                <h2 id="week-follow">"待办跟进事项"</h2>
                <ul class="tasks">{follow_ups}</ul>
            </section>
        })}
        {(agreed_count > 0).then(|| view! {
            <section aria-labelledby="week-agreed">
                <h2 id="week-agreed">{format!("约好的家访（{agreed_count}）")}</h2>
                <ul class="tasks">{agreed}</ul>
            </section>
        })}
        {(noted_count > 0).then(|| view! {
            <section aria-labelledby="week-noted">
                <h2 id="week-noted">{format!("联系时写下的后续跟进（{noted_count}）")}</h2>
                <p class="detail">"最近一次与家长联系、谈心记录中写的后续跟进。写下同类的新记录后，这一条就不再列出。"</p>
                <ul class="tasks">{noted}</ul>
            </section>
        })}
        {has_route.then(|| view! {
            <section aria-labelledby="week-route">
                <h2 id="week-route">"家访路线（按村）"</h2>
                <ol class="route">{route}</ol>
            </section>
        })}
        {has_later.then(|| view! {
            <section aria-labelledby="week-later">
                <h2 id="week-later">"本阶段还要完成"</h2>
                <ul class="tasks">{later}</ul>
            </section>
        })}
    }
}

/// A class teacher takes their whole class in one tap, with the children who join it later;
/// paired children are added on each child's screen.
#[component]
fn TakeClass(me: String, tap: TapResult) -> impl IntoView {
    // Said beneath the choice it is about; what a tap stored is said above (`tap`), since this
    // block is gone once the class is taken.
    let missing = RwSignal::new(false);
    let store = expect_context::<Store>();
    let classes = Memo::new(move |_| {
        let mut found: Vec<(u32, u32)> = store
            .roster
            .with(|r| r.iter().map(|e| (e.basic.grade, e.basic.class)).collect());
        shouwang_core::sort::sort(&mut found);
        found.dedup();
        found
    });
    let chosen = RwSignal::new(String::new());
    let take = move |_| {
        let Some((grade, class)) = chosen
            .get_untracked()
            .split_once('-')
            .and_then(|(g, c)| Some((g.parse::<u32>().ok()?, c.parse::<u32>().ok()?)))
        else {
            missing.set(true);
            return;
        };
        // The class's 班主任 as the lead's 整班班主任 names one: the children who join the class
        // later are this teacher's too, not only those on the roster today.
        let said = format!("已保存：你是{}{class}班的班主任", grade_label_zh(grade));
        tap.run(said, store.set_class_teacher((grade, class), me.clone()));
    };
    if !store.can_change_directory() {
        return view! {
            <p class="empty">"还没有分配给你的儿童。请关爱负责人在“结对帮扶”中为你安排。"</p>
        }
        .into_any();
    }
    view! {
        <p class="empty">"还没有分配给你的儿童。"</p>
        <div class="field">
            <label for="take-class">"我是这个班的班主任"</label>
            <select id="take-class" aria-describedby="take-class-error"
                on:change=move |ev| { missing.set(false); chosen.set(event_target_value(&ev)) }>
                <option value="">"请选择班级"</option>
                {move || classes.get().into_iter().map(|(g, c)| view! {
                    <option value=format!("{g}-{c}")>{format!("{}{c}班", grade_label_zh(g))}</option>
                }).collect_view()}
            </select>
            <p id="take-class-error" class="error" aria-live="polite">
                {move || missing.get().then_some("请先选择班级")}
            </p>
        </div>
        <button type="button" class="primary wide" on:click=take>"负责这个班的全部儿童"</button>
        <p class="note">"结对帮扶的儿童：在该儿童的档案页点“我来结对帮扶”。"</p>
    }
    .into_any()
}
