//! The care lead's check (关爱检查): what is overdue or due soon for each child, teacher and class,
//! with links down to the child and their records; parents out of touch, pairing gaps and focus
//! children. A teacher sees their own children's items first.

use std::collections::BTreeSet;
use std::rc::Rc;

use chrono::NaiveDate;
use leptos::prelude::*;
use shouwang_core::absence_steps::step_on;
use shouwang_core::absent_day::absent_on;
use shouwang_core::attendance::{day_named_zh, WorkDays};
use shouwang_core::cadence::CareKind;
use shouwang_core::harm;
use shouwang_core::report::class_label_zh;
use shouwang_core::settings::Silence;
use shouwang_core::sign_off::{term_visits, Unchecked};
use shouwang_core::stats::{CareTally, DueItem};
use shouwang_core::week::OpenFollowUp;
use shouwang_core::DocId;

use crate::components::control_summary::control_summary;
use crate::components::paged_list::{ChildLinks, Pages, NAMES_PAGE};
use crate::components::school_data::{due_text, load_figures, with_figures, ExportButton, Figures};
use crate::store::Store;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let loaded = load_figures();
    view! {
        <header class="topbar">
            <a class="back" href="/" aria-label="返回名册">"‹ 名册"</a>
            <h1>"关爱检查"</h1>
        </header>
        <main class="page">
            <nav class="child-links" aria-label="学校工作">
                {store.me_is_lead().then(|| view! { <a href="/school/settings">"学校设置"</a> })}
                <a href="/pairing">"结对帮扶"</a>
                <a href="/focus">"重点帮扶对象"</a>
                {store.me_is_lead().then(|| view! { <a href="/audit">"查阅记录"</a> })}
                {store.me_is_lead().then(|| view! { <a href="/school/staff">"教师与手机"</a> })}
                <a href="/school">"统计"</a>
                <a href="/school/report">"学期报告"</a>
                <a href="/school/summary">"工作总结"</a>
                <a href="/binders">"打印档案袋"</a>
                <a href="/dropouts">"控辍保学"</a>
                <a href="/sessions">"集体活动"</a>
            </nav>
            <crate::components::partial_notice::PartialNotice/>
            <crate::components::dropout_alert::DropoutAlert/>
            <crate::components::retention_due::RetentionDue/>
            {(store.me_is_lead() && store.sync.enrolment.with_untracked(Option::is_some))
                .then(|| view! { <crate::components::recovery_panel::RecoveryAlert/> })}
            {with_figures(loaded, dashboard)}
        </main>
    }
}

fn dashboard(f: Rc<Figures>) -> impl IntoView {
    let d = &f.dashboard;
    let overdue = d
        .due
        .iter()
        .filter(|i| matches!(i.due, shouwang_core::cadence::Due::Overdue { .. }))
        .count();
    let term = d
        .term
        .map(|t| {
            format!(
                "{} 至 {}",
                t.start.format("%Y-%m-%d"),
                t.end.format("%Y-%m-%d")
            )
        })
        .unwrap_or_else(|| "不在学期中".into());
    let me = crate::prefs::me_id();
    let mine: BTreeSet<DocId> = f.snapshot.assignments.children_of(&me).collect();
    let mut items: Vec<DueItem> = d.due.clone();
    // A teacher's own children first; the order within stays by urgency.
    shouwang_core::sort::sort_by_key(&mut items, |i| !mine.contains(&i.child));
    let unreadable = f.snapshot.unreadable.len();
    let late = d.late_follow_ups.len();
    let late_note = if late > 0 {
        format!("（其中家访跟进事项 {late} 项）")
    } else {
        String::new()
    };
    let unknown = match d.counts.unknown() {
        0 => String::new(),
        n => format!("（另有家庭情况未知 {n} 人）"),
    };
    view! {
        <section class="card" aria-label="概况">
            <p id="dashboard-summary">{format!(
                "本学期：{term}。留守儿童 {} 人，学校关爱对象（非留守）{} 人{unknown}，已结对 {} 人，逾期 {} 项{late_note}，近期应做 {} 项。",
                d.counts.left_behind(), d.counts.watched(), d.pairing.paired(), overdue + late, d.due.len() - overdue
            )}</p>
            {(unreadable > 0).then(|| view! {
                <p class="status status-error" role="alert">{format!("有 {unreadable} 名儿童的记录无法读取，未计入已完成。")}</p>
            })}
            <ExportButton figures=f.clone()/>
        </section>
        // Before anything else of the school's: the law asks for these at once.
        {harm_found(&f)}
        {needs_facts(&f)}
        {absent_today(&f)}
        {control_summary(&f)}
        <section class="card" aria-labelledby="due-title">
            <h2 id="due-title">"逾期与近期应做（按儿童）"</h2>
            {due_table(&f, &items)}
        </section>
        {late_follow_ups(&f)}
        <section class="card" aria-labelledby="teacher-title">
            <h2 id="teacher-title">"按负责教师"</h2>
            <p class="detail">"每位教师负责（班主任、结对帮扶）的儿童的关爱完成情况，不论由哪位老师记录。"</p>
            <p class="detail">{TALLY_NOTE}</p>
            {by_teacher(&f)}
        </section>
        {visits_this_week(&f)}
        {unchecked_visits(&f)}
        <section class="card" aria-labelledby="class-title">
            <h2 id="class-title">"按班级"</h2>
            <p class="detail">{TALLY_NOTE}</p>
            {by_class(&f)}
        </section>
        <section class="card" aria-labelledby="touch-title">
            <h2 id="touch-title">"父母失联"</h2>
            {out_of_touch(&f)}
        </section>
    }
}

/// 强制报告: the visits and talk cards that found harm, those not yet reported first (in red:
/// the school must see that they are), then those reported this term; nothing when there are none.
fn harm_found(f: &Figures) -> Option<impl IntoView> {
    let since = f.dashboard.term.map(|t| t.start);
    let cares = f.snapshot.care.iter().map(|(id, c)| (*id, &c.harm[..]));
    let found = harm::listed(cares, since);
    if found.is_empty() {
        return None;
    }
    let pending = found.iter().filter(|(_, h)| h.harm.is_pending()).count();
    let rows = found
        .iter()
        .map(|(child, h)| {
            let line = format!(
                " {} {}：{}",
                h.date.format("%-m月%-d日"),
                h.record_zh,
                h.harm.line_zh()
            );
            view! { <li class:overdue=h.harm.is_pending()>{child_cell(f, *child)}{line}</li> }
        })
        .collect_view();
    let said = if pending > 0 {
        format!("{pending} 条记录发现侵害或疑似侵害尚未报告：请立即核实，并向公安机关报告（未成年人保护法第十一条）。报告后请记录的老师或关爱负责人“更正”该记录。")
    } else {
        "本学期记录中发现的侵害或疑似侵害都已报告。".to_string()
    };
    Some(view! {
        <section class="card" aria-labelledby="harm-title">
            <h2 id="harm-title">"强制报告：发现侵害或疑似侵害"</h2>
            <p class="detail">{said}</p>
            <ul class="harm-list" id="harm-found">{rows}</ul>
        </section>
    })
}

/// 点名制度: the class teacher tells the school the day's absences within hours. The children
/// absent on the roll-call day (today, or the last school day within a week), from the absences
/// the figures already read (`absent_day::absent_on`): away without leave with the days in a row
/// and whether the family was reached — and the school's step in force for the days (缺勤处理步骤)
/// —, then those on leave. Nothing on a day without school.
fn absent_today(f: &Figures) -> Option<impl IntoView> {
    let settings = &f.snapshot.settings;
    let calendar = settings.calendar_on(f.today);
    let days = WorkDays::new(&calendar, &settings.make_up_days);
    let day = days.roll_call_day(f.today);
    if !days.is_working_day(day) {
        return None;
    }
    let when = day_named_zh(day, f.today);
    let absent = absent_on(
        f.snapshot.roster.iter().map(|e| e.id),
        &f.snapshot.absences,
        &f.snapshot.care,
        day,
        days,
    );
    let list = if absent.is_empty() {
        view! { <p class="empty">"点名记录中没有缺勤的儿童。"</p> }.into_any()
    } else {
        let rows = absent
            .iter()
            .map(|a| {
                let class = f
                    .entry(a.child)
                    .map(|e| class_label_zh((e.basic.grade, e.basic.class)))
                    .unwrap_or_default();
                let step = step_on(&settings.absence_steps, a.unexcused_days)
                    .map(|s| view! { <span class="task-step">{s.line_zh(a.unexcused_days)}</span> });
                view! { <li>{child_cell(f, a.child)}{format!(" {class}：{}", a.line_zh())}{step}</li> }
            })
            .collect_view();
        view! { <ul id="absent-today">{rows}</ul> }.into_any()
    };
    let threshold = settings.dropout_threshold().describe_zh();
    Some(view! {
        <section class="card" aria-labelledby="absent-title">
            <h2 id="absent-title">{format!("{when}缺勤（{} 人）", absent.len())}</h2>
            <p class="detail">{format!("点名制度：学生无故缺勤，班主任当天联系家长；{threshold}即为疑似辍学，在控辍保学登记。")}</p>
            {list}
        </section>
    })
}

fn child_cell(f: &Figures, child: DocId) -> impl IntoView {
    view! {
        <a href=format!("/child/{child}")>{f.child_name(child)}</a>
        " "
        <a class="link" href=format!("/child/{child}/records")>"记录"</a>
    }
}

/// Children with no family facts yet: whether they are left-behind is unknown until someone
/// fills in the parents' situation, so they are listed here rather than counted as 留守.
fn needs_facts(f: &Figures) -> Option<impl IntoView> {
    let children = &f.dashboard.needs_facts;
    (!children.is_empty()).then(|| {
        let links = children
            .iter()
            .map(|child| (*child, f.child_name(*child)))
            .collect::<Vec<_>>();
        view! {
            <section class="card" aria-labelledby="facts-title">
                <h2 id="facts-title">{format!("需补充家庭情况（{} 人）", children.len())}</h2>
                <p class="note">"还没有填写父母情况，无法判断是否留守，未计入留守儿童。"</p>
                <ChildLinks links id="needs-facts" class="plain-list"/>
            </section>
        }
    })
}

/// How many due items are drawn at first and per tap on 显示更多: a school of 600 has hundreds,
/// and the lead reads the first (their own children's, then the most urgent) before the rest.
const DUE_PAGE: usize = 50;

fn due_table(f: &Rc<Figures>, items: &[DueItem]) -> AnyView {
    if items.is_empty() {
        return view! { <p class="empty">"没有逾期或近期应做的事项。"</p> }.into_any();
    }
    let total = items.len();
    let pages = Pages::new(DUE_PAGE);
    let figures = StoredValue::new_local(f.clone());
    let items = items.to_vec();
    let drawn = move || pages.drawn(&items);
    let row = move |(_, i): (usize, DueItem)| {
        figures.with_value(|f| {
            view! {
                <tr>
                    <th>{child_cell(f, i.child)}</th>
                    <td>{class_label_zh(i.class)}</td>
                    <td>{i.kind.label_zh()}</td>
                    <td>{due_text(i.due)}</td>
                </tr>
            }
        })
    };
    view! {
        <table class="stats cards" id="due-list">
            <thead><tr><th>"儿童"</th><th>"班级"</th><th>"事项"</th><th>"状态"</th></tr></thead>
            <tbody><For each=drawn key=|(n, _)| *n children=row/></tbody>
        </table>
        {pages.more(move || total, "项")}
    }
    .into_any()
}

/// How to read "家访 0/5" beside "待办 2 项": the first counts every period begun this term, the
/// one still running included; the second only what is overdue or due within days. Without it a
/// lead read 0/5 with nothing overdue as numbers that do not agree.
const TALLY_NOTE: &str = "“家访 1/5”即已完成 1 次、本学期到目前应做 5 次（含正在进行、尚未到期的这一期）；“待办”只数已逾期和近期到期的事项。";

/// "done / due" per kind of care, as a cell.
fn tally_text(tally: &CareTally) -> String {
    CareKind::EVERY_CHILD
        .into_iter()
        .filter_map(|k| {
            tally
                .get(&k)
                .map(|t| format!("{} {}/{}", k.label_zh(), t.done, t.due))
        })
        .collect::<Vec<_>>()
        .join("，")
}

fn item_list<'a>(f: &Figures, items: impl Iterator<Item = &'a DueItem>) -> AnyView {
    items
        .map(|i| {
            view! { <li>{child_cell(f, i.child)}{format!(" {}：{}", i.kind.label_zh(), due_text(i.due))}</li> }
        })
        .collect_view()
        .into_any()
}

/// A follow-up as the lead reads it: the child, what was promised, whose it was, how late.
fn follow_up_line(
    f: &Figures,
    child: DocId,
    item: &OpenFollowUp,
    today: NaiveDate,
) -> impl IntoView {
    // The name opens the child's records, where the follow-up is marked done.
    view! {
        <li>
            <a href=format!("/child/{child}/records")>{f.child_name(child)}</a>
            {format!(" 跟进：{}（{}，已逾期 {} 天）", item.action, item.owner, (today - item.due).num_days())}
        </li>
    }
}

/// Visits' follow-ups past their day: what a teacher promised a family and has not marked done
/// (a teacher who left, a class that changed hands), listed for the lead, longest overdue first.
fn late_follow_ups(f: &Figures) -> Option<impl IntoView> {
    let late = &f.dashboard.late_follow_ups;
    (!late.is_empty()).then(|| {
        let rows = late
            .iter()
            .map(|(child, item)| follow_up_line(f, *child, item, f.today))
            .collect_view();
        view! {
            <section class="card" aria-labelledby="late-title">
                <h2 id="late-title">{format!("逾期未完成的跟进事项（{} 项）", late.len())}</h2>
                <p class="note">"家访时约定的跟进事项，过了期限还没有标记完成。"</p>
                <ul class="plain-list" id="late-follow-ups">{rows}</ul>
            </section>
        }
    })
}

fn by_teacher(f: &Figures) -> AnyView {
    let d = &f.dashboard;
    f.snapshot
        .teachers
        .iter()
        .filter_map(|t| {
            let tally = d.care_by_teacher.get(&t.id).cloned().unwrap_or_default();
            let items: Vec<&DueItem> = d.due_for_teacher(&t.id, &f.snapshot.assignments).collect();
            let late: Vec<&(DocId, OpenFollowUp)> =
                d.late_follow_ups_for(&t.id, &f.snapshot.assignments).collect();
            // A teacher who left is listed while children are still hers, not after.
            if !t.at_school() && tally.is_empty() && items.is_empty() && late.is_empty() {
                return None;
            }
            let count = items.len() + late.len();
            let late = late
                .into_iter()
                .map(|(child, item)| follow_up_line(f, *child, item, f.today))
                .collect_view();
            Some(view! {
                <details class="drill">
                    <summary>{format!("{}：{}（待办 {count} 项）", t.name, tally_text(&tally))}</summary>
                    <ul>{item_list(f, items.into_iter())}{late}</ul>
                </details>
            })
        })
        .collect_view()
        .into_any()
}

/// Each teacher's home visits this week against the school's weekly target, those under it
/// named first (检查家访: the seeds' 每星期家访不低于2次).
fn visits_this_week(f: &Figures) -> impl IntoView {
    let target = f.snapshot.settings.visits_per_week;
    let name = |id: &str| shouwang_core::teachers::name_of(&f.snapshot.teachers, id);
    let lines = &f.dashboard.visits_this_week;
    // The day the figures were gathered for, as every figure on the page.
    let today = f.today;
    let under: Vec<String> = lines
        .iter()
        .filter(|l| l.visits.under_target())
        .map(|l| name(&l.teacher))
        .collect();
    // Said as missed only once the school week ends (Friday on); before, what is still to do.
    let missed = lines.iter().any(|l| l.visits.missed(today));
    let title = if target == 0 {
        "本周家访（学校未设每周目标）".to_string()
    } else {
        format!("本周家访（每位教师每周 {target} 次）")
    };
    let verdict = match (target, under.is_empty(), missed) {
        (0, _, _) => None,
        (_, true, _) => Some(view! { <p class="status status-ok">"每位教师本周都已达到。"</p> }.into_any()),
        (_, false, true) => Some(view! {
            <p class="status status-error" id="visits-under">{format!("未达到（{} 人）：{}", under.len(), under.join("、"))}</p>
        }.into_any()),
        (_, false, false) => Some(view! {
            <p class="status" id="visits-under">{format!("本周还未达到（{} 人）：{}", under.len(), under.join("、"))}</p>
        }.into_any()),
    };
    let rows = lines
        .iter()
        .map(|l| view! { <li class:overdue=l.visits.missed(today)>{format!("{}：{}", name(&l.teacher), l.visits.text_zh())}</li> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="visits-week-title">
            <h2 id="visits-week-title">{title}</h2>
            {verdict}
            <ul class="plain-list" id="visits-week">{rows}</ul>
        </section>
    }
}

fn by_class(f: &Figures) -> AnyView {
    let d = &f.dashboard;
    d.care_by_class
        .iter()
        .map(|(class, tally)| {
            let items: Vec<&DueItem> = d.due_for_class(*class).collect();
            view! {
                <details class="drill">
                    <summary>{format!("{}：{}（待办 {} 项）", class_label_zh(*class), tally_text(tally), items.len())}</summary>
                    <ul>{item_list(f, items.into_iter())}</ul>
                </details>
            }
        })
        .collect_view()
        .into_any()
}

/// 学校检查: the term's home visits and those no care lead has checked yet, the longest waiting
/// first, each a tap from the child's records, where it is checked (`sign_off::term_visits`).
fn unchecked_visits(f: &Rc<Figures>) -> Option<impl IntoView> {
    let term = f.dashboard.term?;
    let (total, unchecked) = term_visits(&f.snapshot.care, term);
    let waiting = unchecked.len();
    let summary = format!(
        "本学期家访记录 {total} 份，学校已检查 {} 份，未检查 {waiting} 份。",
        total - waiting
    );
    let pages = Pages::new(NAMES_PAGE);
    let figures = StoredValue::new_local(f.clone());
    let drawn = move || pages.drawn(&unchecked);
    let row = move |(_, visit): (usize, Unchecked)| {
        figures.with_value(|f| {
            let text = format!(
                " {} {}的家访",
                visit.date.format("%-m月%-d日"),
                visit.author
            );
            view! {
                <li>
                    <a href=format!("/child/{}/records", visit.child)>{f.child_name(visit.child)}</a>
                    {text}
                </li>
            }
        })
    };
    Some(view! {
        <section class="card" aria-labelledby="checks-title">
            <h2 id="checks-title">"学校检查家访记录（本学期）"</h2>
            <p id="checks-summary">{summary}</p>
            {(waiting > 0).then(|| view! {
                <p class="detail">"打开儿童的关爱记录，展开一次家访，读后点“已检查”，可写检查意见；老师会在记录下看到。"</p>
                <ul id="unchecked-visits"><For each=drawn key=|(n, _)| *n children=row/></ul>
                {pages.more(move || waiting, "份")}
            })}
        </section>
    })
}

/// Parents out of touch, the longest first: a child with no call recorded is listed once the
/// school has cared for her longer than its gap (a roster just imported lists nobody).
fn out_of_touch(f: &Rc<Figures>) -> AnyView {
    let list = f.dashboard.out_of_touch.clone();
    if list.is_empty() {
        return view! { <p class="empty">"没有失联的家长。"</p> }.into_any();
    }
    let total = list.len();
    let pages = Pages::new(NAMES_PAGE);
    let figures = StoredValue::new_local(f.clone());
    let drawn = move || pages.drawn(&list);
    let row = move |(_, (child, silence)): (usize, (DocId, Silence))| {
        let text = match silence {
            Silence::Never => "没有接通的父母联系记录".to_string(),
            Silence::Days(days) => format!("父母 {days} 天未与孩子联系"),
        };
        figures.with_value(|f| view! { <li>{child_cell(f, child)}{format!(" {text}")}</li> })
    };
    view! {
        <ul id="out-of-touch"><For each=drawn key=|(n, _)| *n children=row/></ul>
        {pages.more(move || total, "名")}
    }
    .into_any()
}
