//! The school's settings (学校设置), edited by the care lead: how often each kind of care is due,
//! each teacher's weekly home visits, term dates and holidays, when parents count as out of touch,
//! pairing targets, the 疑似辍学 threshold with its way of counting and the steps taken before it
//! (缺勤处理步骤). Validated by the core;
//! each mistake is named in Chinese at its field and nothing is saved until all are right.

use leptos::prelude::*;
use shouwang_core::absence_steps::StepDraft;
use shouwang_core::archive::Kind;
use shouwang_core::attendance::ThresholdMode;
use shouwang_core::cadence::CareKind;
use shouwang_core::settings::{
    CadenceDraft, RangeDraft, Settings, SettingsDraft, PARENT_CONTACT_GAP_DAYS,
    PARENT_CONTACT_LAW_ZH,
};

use crate::components::input_error::{dom_id, error_line, Errors};
use crate::components::save_status::SaveStatusLine;
use crate::components::spec_field::{labelled_input, NUMBER};
use crate::components::submit::Submit;
use crate::store::Store;

type Draft = RwSignal<SettingsDraft>;

#[component]
pub fn SchoolSettingsPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let lead = store.me_is_lead();
    view! {
        <header class="topbar">
            <a class="back" href="/dashboard" aria-label="返回关爱检查">"‹ 检查"</a>
            <h1>"学校设置"</h1>
        </header>
        <main class="page">
            // An enrolled phone is its teacher's already: only a phone on its own picks "me".
            {(!lead).then(|| {
                let said = if store.sync.enrolment.with_untracked(Option::is_some) {
                    "只有关爱负责人（德育主任、校长）可以修改学校设置。"
                } else {
                    "只有关爱负责人（德育主任、校长）可以修改学校设置。请先在“设置”中选择你是哪位老师。"
                };
                view! { <p class="status" role="status">{said}</p> }
            })}
            <SettingsForm lead/>
        </main>
    }
}

#[component]
fn SettingsForm(lead: bool) -> impl IntoView {
    let store = expect_context::<Store>();
    let shown = store.settings_draft();
    let draft: Draft = RwSignal::new(shown.clone());
    // What the form showed, or last saved: a save writes only what the lead changed from it.
    let shown = StoredValue::new(shown);
    let errors: Errors = RwSignal::new(Vec::new());
    let submit = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.run_edit_here(
            draft.get_untracked().validate(),
            errors,
            shown,
            move |settings, shown| store.save_settings(settings, shown),
            Settings::to_draft,
            "已保存：学校设置".into(),
        );
    };
    view! {
        <form class="form" on:submit=on_submit novalidate>
            // Others read the settings; nothing they cannot save looks editable.
            <fieldset class="bare" disabled=!lead>
            <section class="card">
                <h2>"关爱频次"</h2>
                {CareKind::ALL.into_iter().map(|kind| cadence_row(draft, errors, kind)).collect_view()}
                <p class="note">"每位教师每周（周一到周日）应做的家访次数，填 0 表示不设目标。"</p>
                {number(draft, errors, "visitsPerWeek", "每位教师每周家访次数", (|d| &d.visits_per_week, |d| &mut d.visits_per_week))}
            </section>
            <section class="card">
                <h2>"学期"</h2>
                <p class="detail">"未填写学期时，按通常的学年（9月—1月、2月—7月）计算。"</p>
                {ranges(draft, errors, Ranges::Terms)}
            </section>
            <section class="card">
                <h2>"学期中的假期（国庆、清明等，假期内不计应做）"</h2>
                {ranges(draft, errors, Ranges::Holidays)}
            </section>
            <section class="card">
                <h2>"提醒与结对目标"</h2>
                <p class="note">{format!("{PARENT_CONTACT_LAW_ZH}。超过设定天数没有父亲或母亲接通的联系，即提醒“父母失联”（默认 {PARENT_CONTACT_GAP_DAYS} 天）。")}</p>
                {number(draft, errors, "parentContactGapDays", "父母失联提醒天数", (|d| &d.parent_contact_gap_days, |d| &mut d.parent_contact_gap_days))}
                {number(draft, errors, "teacherPairsMin", "教师结对最少人数", (|d| &d.teacher_pairs_min, |d| &mut d.teacher_pairs_min))}
                {number(draft, errors, "teacherPairsMax", "教师结对最多人数", (|d| &d.teacher_pairs_max, |d| &mut d.teacher_pairs_max))}
                {number(draft, errors, "leaderPairsMin", "领导组成员结对最少人数", (|d| &d.leader_pairs_min, |d| &mut d.leader_pairs_min))}
            </section>
            <section class="card">
                <h2>"疑似辍学"</h2>
                <p class="note">"无故缺勤达到这么多个工作日，第二个工作日提醒班主任和关爱负责人。"</p>
                {number(draft, errors, "suspectedDropoutDays", "疑似辍学天数（无故缺勤工作日）", (|d| &d.suspected_dropout_days, |d| &mut d.suspected_dropout_days))}
                {dropout_mode(draft, errors)}
            </section>
            <section class="card" aria-labelledby="steps-title">
                <h2 id="steps-title">"缺勤处理步骤"</h2>
                <p class="note">"学生连续无故缺勤到第几个工作日，学校怎么做。关爱检查的“今天缺勤”和班主任“我的一周”的缺勤名单，在孩子旁边写出当时该做的一步；到疑似辍学天数后，按控辍保学登记、劝返。"</p>
                {absence_steps(draft, errors)}
            </section>
            <section class="card">
                <h2>"调休上班日"</h2>
                <p class="note">"国家调休、周末照常上课的日子，考勤时算作上课日。多个日期用空格分开，如 2026-09-27 2026-10-10。"</p>
                {labelled_input(
                    "调休上班日".to_string(),
                    "makeUpDays".to_string(),
                    Kind::Text,
                    Signal::derive(move || draft.with(|d| d.make_up_days.clone())),
                    move |v| draft.update(|d| d.make_up_days = v),
                    errors,
                )}
            </section>
            <section class="card">
                <h2>"离校儿童的记录"</h2>
                <p class="note">"儿童转出、毕业或辍学结案后，记录再保存这么多年，之后关爱负责人可以永久删除。"</p>
                {number(draft, errors, "retentionYears", "离校儿童记录保存年限", (|d| &d.retention_years, |d| &mut d.retention_years))}
            </section>
            <section class="card">
                <h2>"手机自动锁定"</h2>
                <p class="note">"老师的手机放下这么多分钟没有操作，就锁定并清出内存中的记录，要再输入 PIN（1 到 30 分钟）。"</p>
                {number(draft, errors, "idleLockMinutes", "自动锁定时间（分钟）", (|d| &d.idle_lock_minutes, |d| &mut d.idle_lock_minutes))}
            </section>
            </fieldset>
            // Only a lead saves the school's settings; others see them and the storage state.
            {if lead {
                submit.footer("保存设置").into_any()
            } else {
                view! { <div class="actions sticky-actions"><SaveStatusLine/></div> }.into_any()
            }}
        </form>
    }
}

/// How to read and write one text of the draft.
type Access = (
    fn(&SettingsDraft) -> &String,
    fn(&mut SettingsDraft) -> &mut String,
);

fn number(
    draft: Draft,
    errors: Errors,
    field: &'static str,
    label: &'static str,
    (get, at): Access,
) -> impl IntoView {
    let value = Signal::derive(move || draft.with(|d| get(d).clone()));
    labelled_input(
        label.to_string(),
        field.to_string(),
        NUMBER,
        value,
        move |v| draft.update(|d| *at(d) = v),
        errors,
    )
}

/// 计算方式: working days in a row, or within one calendar month.
fn dropout_mode(draft: Draft, errors: Errors) -> impl IntoView {
    let field = "suspectedDropoutMode";
    let id = dom_id(field);
    let current = move || draft.with(|d| d.suspected_dropout_mode.clone());
    let options = ThresholdMode::ALL
        .map(|mode| {
            view! { <option value=mode.code() selected=move || current() == mode.code()>{mode.label_zh()}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>"疑似辍学计算方式"</label>
            <select id=id.clone() aria-describedby=format!("{id}-error")
                on:change=move |ev| draft.update(|d| d.suspected_dropout_mode = event_target_value(&ev))>
                {options}
            </select>
            {error_line(errors, field.to_string())}
        </div>
    }
}

fn cadence_row(draft: Draft, errors: Errors, kind: CareKind) -> impl IntoView {
    let field = format!("cadences.{}", kind.code());
    let id = dom_id(&field);
    let number_id = format!("{id}-number");
    let current = move || draft.with(|d| d.cadences.get(&kind).cloned().unwrap_or_default());
    let edit = move |f: &dyn Fn(&mut CadenceDraft)| {
        draft.update(|d| f(d.cadences.entry(kind).or_default()))
    };
    let units = [
        ("perTerm", "每学期几次"),
        ("monthly", "每月一次"),
        ("everyDays", "每隔几天一次"),
    ]
    .map(|(code, label)| {
        view! { <option value=code selected=move || current().unit == code>{label}</option> }
    })
    .collect_view();
    view! {
        <fieldset class="field" aria-describedby=format!("{id}-error")>
            <legend>{kind.label_zh()}</legend>
            <select id=format!("{id}-unit") aria-label=format!("{}频次", kind.label_zh())
                on:change=move |ev| { let v = event_target_value(&ev); edit(&|c| c.unit = v.clone()) }>
                {units}
            </select>
            <Show when=move || current().unit != "monthly">
                // The number alone read as either: times a term, or days between two.
                <div class="with-unit">
                    <input id=number_id.clone() type="text" inputmode="numeric" autocomplete="off"
                        aria-label=format!("{}次数或天数", kind.label_zh())
                        prop:value=move || current().number
                        on:input=move |ev| { let v = event_target_value(&ev); edit(&|c| c.number = v.clone()) }/>
                    <span class="unit">{move || if current().unit == "perTerm" { "次" } else { "天" }}</span>
                </div>
            </Show>
            {error_line(errors, field.clone())}
        </fieldset>
    }
}

/// 缺勤处理步骤: each step's first day and what is done, a row each, in the order typed (the
/// core sorts them by day when saved).
fn absence_steps(draft: Draft, errors: Errors) -> impl IntoView {
    let count = move || draft.with(|d| d.absence_steps.len());
    let rows = move || {
        (0..count())
            .map(|i| step_row(draft, errors, i))
            .collect_view()
    };
    view! {
        {rows}
        <button type="button" on:click=move |_| draft.update(|d| d.absence_steps.push(StepDraft::default()))>
            "＋ 添加一步"
        </button>
    }
}

fn step_row(draft: Draft, errors: Errors, i: usize) -> impl IntoView {
    let part = move |action: bool| {
        let (key, label, kind) = if action {
            ("action", format!("第 {} 步：怎么做", i + 1), Kind::Prose)
        } else {
            (
                "day",
                format!("第 {} 步：连续无故缺勤第几天起", i + 1),
                NUMBER,
            )
        };
        let value = Signal::derive(move || {
            draft.with(|d| {
                d.absence_steps
                    .get(i)
                    .map(|s| {
                        if action {
                            s.action.clone()
                        } else {
                            s.day.clone()
                        }
                    })
                    .unwrap_or_default()
            })
        });
        let set = move |v: String| {
            draft.update(|d| {
                if let Some(s) = d.absence_steps.get_mut(i) {
                    if action {
                        s.action = v;
                    } else {
                        s.day = v;
                    }
                }
            })
        };
        labelled_input(
            label,
            format!("absenceSteps.{i}.{key}"),
            kind,
            value,
            set,
            errors,
        )
    };
    let remove = move |_| {
        draft.update(|d| {
            if i < d.absence_steps.len() {
                d.absence_steps.remove(i);
            }
        })
    };
    view! {
        <div class="follow-up">
            {part(false)}
            {part(true)}
            <button type="button" class="link" on:click=remove>{format!("删除第 {} 步", i + 1)}</button>
        </div>
    }
}

#[derive(Clone, Copy)]
enum Ranges {
    Terms,
    Holidays,
}

impl Ranges {
    fn key(self) -> &'static str {
        match self {
            Ranges::Terms => "terms",
            Ranges::Holidays => "holidays",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Ranges::Terms => "学期",
            Ranges::Holidays => "假期",
        }
    }

    fn list(self, d: &SettingsDraft) -> &Vec<RangeDraft> {
        match self {
            Ranges::Terms => &d.terms,
            Ranges::Holidays => &d.holidays,
        }
    }

    fn rows(self, d: &mut SettingsDraft) -> &mut Vec<RangeDraft> {
        match self {
            Ranges::Terms => &mut d.terms,
            Ranges::Holidays => &mut d.holidays,
        }
    }
}

fn ranges(draft: Draft, errors: Errors, which: Ranges) -> impl IntoView {
    let count = move || draft.with(|d| which.list(d).len());
    let rows = move || {
        (0..count())
            .map(|i| range_row(draft, errors, which, i))
            .collect_view()
    };
    view! {
        {rows}
        <button type="button" on:click=move |_| draft.update(|d| which.rows(d).push(RangeDraft::default()))>
            {format!("＋ 添加{}", which.noun())}
        </button>
    }
}

fn range_row(draft: Draft, errors: Errors, which: Ranges, i: usize) -> impl IntoView {
    let noun = which.noun();
    let part = move |end: bool| {
        let field = format!("{}.{i}.{}", which.key(), if end { "end" } else { "start" });
        let label = format!(
            "第 {} 个{noun}{}",
            i + 1,
            if end { "结束日期" } else { "开始日期" }
        );
        let value = Signal::derive(move || {
            draft.with(|d| {
                which
                    .list(d)
                    .get(i)
                    .map(|r| if end { r.end.clone() } else { r.start.clone() })
                    .unwrap_or_default()
            })
        });
        let set = move |v: String| {
            draft.update(|d| {
                if let Some(r) = which.rows(d).get_mut(i) {
                    if end {
                        r.end = v;
                    } else {
                        r.start = v;
                    }
                }
            })
        };
        labelled_input(label, field, Kind::Date, value, set, errors)
    };
    let remove = move |_| {
        draft.update(|d| {
            let rows = which.rows(d);
            if i < rows.len() {
                rows.remove(i);
            }
        })
    };
    view! {
        <div class="follow-up">
            {part(false)}
            {part(true)}
            {error_line(errors, format!("{}.{i}", which.key()))}
            <button type="button" class="link" on:click=remove>{format!("删除此{noun}")}</button>
        </div>
    }
}
