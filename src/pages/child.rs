//! The child screen: add a child or edit one's basic information, with drafts kept as typed;
//! a damaged record is shown as such, with its raw bytes exportable.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shouwang_core::archive::{self, SectionId, Values};
use shouwang_core::child::{
    already_listed, basic_value_zh, grade_label_zh, EARLIEST_BIRTH, GRADES,
};
use shouwang_core::consent::Consent;
use shouwang_core::five_clears::Clear;
use shouwang_core::schema;
use shouwang_core::teachers::Duty;
use shouwang_core::{ChildDraft, ChildEdit, ChildRecord, DocId, Field, Gender};

use crate::components::child_shell::ChildShell;
use crate::components::draft::restored_notice;
use crate::components::form::{choice, input, select, Binding, Form, Kind};
use crate::components::notice::Flash;
use crate::components::save_status::SaveStatusLine;
use crate::components::section_card::{conflict_view, kept_line, SectionCard};
use crate::components::status_card::StatusCard;
use crate::components::tap_result::TapResult;
use crate::store::{child_draft_key, ArchiveView, ChildView, Store};

#[component]
pub fn NewChildPage() -> impl IntoView {
    view! {
        <Header title="添加儿童"/>
        <main class="page">
            <ChildForm id=None initial=ChildDraft::default()/>
        </main>
    }
}

#[component]
pub fn ChildPage() -> impl IntoView {
    provide_context(BasicOutcome(RwSignal::new(None)));
    view! { <ChildShell render=|id, view| archive_view(id, view).into_any()/> }
}

#[component]
fn Header(title: &'static str) -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="back" href="/" aria-label="返回名册">"‹ 名册"</a>
            <h1>{title}</h1>
        </header>
    }
}

/// What the basic form's last save came to, kept by the page rather than the form: the archive
/// is drawn anew when its document changes, this save included, and the teacher still reads 已保存.
#[derive(Clone, Copy)]
struct BasicOutcome(RwSignal<Option<Result<(), String>>>);

/// Said while something of the child's is only on this phone, so a teacher about to hand the
/// phone in, or wondering whether the school sees her visit, knows; gone once the server has it.
fn unsent_line(child: DocId) -> impl IntoView {
    let store = expect_context::<Store>();
    move || {
        let parts = store.child_unsent_parts(child);
        (!parts.is_empty()).then(|| {
            view! {
                <p class="detail unsent-note" role="status">
                    <span class="badge badge-wait">"未上传"</span>
                    {format!("{}尚未上传到学校，已安全保存在本机；连上网络后会自动同步。", parts.join("、"))}
                </p>
            }
        })
    }
}

fn archive_view(id: DocId, view: &ArchiveView) -> impl IntoView {
    let conflicts_of = |section| {
        view.conflicts
            .iter()
            .find(|(s, _)| *s == section)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    };
    let sections = SectionId::SINGLE
        .into_iter()
        .chain((0..view.archive.guardians.len()).map(SectionId::Guardian))
        .map(|section| {
            let mut values = view.archive.section(section).cloned().unwrap_or_default();
            // The 身份证号 is checked against the child's birth date, which the basics keep.
            if section == SectionId::Identity {
                values.insert(
                    archive::CHILD_BIRTH.into(),
                    view.record.basic.birth_date.format("%Y-%m-%d").to_string(),
                );
            }
            let suggested = if section == SectionId::Consent {
                shouwang_core::consent::suggested(&view.archive, chrono::Local::now().date_naive())
            } else {
                Values::new()
            };
            view! { <SectionCard child=id section values conflicts=conflicts_of(section) suggested/> }
        })
        .collect_view();
    let next_guardian = SectionId::Guardian(view.archive.guardians.len());
    let adding = RwSignal::new(false);
    let basic_conflicts = view
        .basic_conflicts
        .iter()
        .map(|c| {
            let key = c.key;
            let label = schema::basic_field(key)
                .map(|f| f.label_zh())
                .unwrap_or(key)
                .to_string();
            let choices = c
                .values
                .iter()
                .map(|w| (basic_value_zh(key, &w.value), w.clone()))
                .collect();
            let store = expect_context::<Store>();
            // The basic information holds single values (a name, a date, a class): one is
            // chosen; 备注 can keep both teachers' notes.
            let both = (key == "notes")
                .then(|| archive::merged_text(&c.texts(), "；"))
                .flatten()
                .map(|raw| (raw.clone(), raw));
            conflict_view(
                label,
                choices,
                both,
                "basic".into(),
                move |value| async move {
                    store
                        .keep_basic_value(id, key, value)
                        .await
                        .map_err(|e| e.to_string())
                },
            )
        })
        .collect_view();
    view! {
        {kept_line("basic".into())}
        {basic_conflicts}
        {unsent_line(id)}
        // What a teacher opens a child for comes first: who the child is, and recording care
        // (a visit is one tap); the forms that change the archive follow.
        {summary_view(view)}
        <nav class="child-links" aria-label="关爱与档案">
            <a class="primary" href=format!("/child/{id}/visit")>"＋ 记录家访"</a>
            <a class="primary" href=format!("/child/{id}/records")>"关爱记录"</a>
            <a href=format!("/child/{id}/card")>"联系卡"</a>
            <a href=format!("/child/{id}/print")>"打印档案"</a>
            <a href=format!("/child/{id}/consent")>"知情同意书"</a>
            <a href=format!("/child/{id}/focus")>"帮扶方案"</a>
            <a href=format!("/child/{id}/binder")>"打印检查档案袋"</a>
            <a href=format!("/child/{id}/history")>"修改记录"</a>
            // Untracked: this runs inside the shell's render, and a tracked read would redraw the
            // whole screen (and drop a section form mid-save) on every directory write.
            {untrack(|| expect_context::<Store>().me_is_lead()).then(|| view! {
                <a href=format!("/audit?child={id}")>"查阅记录"</a>
            })}
        </nav>
        // Its 保存 stays at the screen's foot while the form is in view: named, it is not taken
        // for the links' above it.
        <h2>"基本信息"</h2>
        <ChildForm id=Some(id) initial=view.record.to_draft()/>
        <Responsible child=id name=view.record.basic.name.clone()/>
        <StatusCard child=id name=view.record.basic.name.clone()/>
        {sections}
        {move || if adding.get() {
            view! { <SectionCard child=id section=next_guardian values=Values::new() conflicts=Vec::new()
                start_editing=true on_close=Callback::new(move |()| adding.set(false))/> }.into_any()
        } else {
            view! { <button type="button" class="wide" on:click=move |_| adding.set(true)>"＋ 添加监护人"</button> }.into_any()
        }}
    }
}

/// Who is responsible for the child, and one tap for "me" to take it on or hand it back.
#[component]
fn Responsible(child: DocId, name: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let me = crate::prefs::me_id();
    let tap = TapResult::new();
    let name = StoredValue::new(name);
    let duties = move || {
        store
            .assignments
            .with(|all| all.get(&child).cloned().unwrap_or_default())
    };
    let names = move || {
        let teachers = store.teachers.get();
        let list: Vec<String> = duties()
            .into_iter()
            .map(|(id, duty)| {
                format!(
                    "{}（{}）",
                    shouwang_core::teachers::name_of(&teachers, &id),
                    duty.label_zh()
                )
            })
            .collect();
        if list.is_empty() {
            "尚未安排负责教师".to_string()
        } else {
            list.join("、")
        }
    };
    let set = move |duty: Option<Duty>| {
        let said = name.with_value(|name| match duty {
            Some(duty) => format!("已保存：你是{name}的{}", duty.label_zh()),
            None => format!("已保存：你不再负责{name}"),
        });
        tap.run(
            said,
            store.set_duty(vec![child], crate::prefs::me_id(), duty),
        );
    };
    // A teacher may hold several duties towards one child (a 班主任 who also pairs with the
    // child): each duty not yet held is offered, whatever else is.
    let mine = {
        let me = me.clone();
        move || -> Vec<Duty> {
            duties()
                .into_iter()
                .filter(|(t, _)| *t == me)
                .map(|(_, d)| d)
                .collect()
        }
    };
    let offer = move |held: &[Duty], duty: Duty, label: &'static str| {
        (!held.contains(&duty)).then(
            || view! { <button type="button" on:click=move |_| set(Some(duty))>{label}</button> },
        )
    };
    // The care lead ends any teacher's duty here; the child's documents then leave that
    // teacher's phone at its next sync.
    let end_duties = move || {
        if !store.me_is_lead() {
            return Vec::new();
        }
        let teachers = store.teachers.get();
        duties()
            .into_iter()
            .map(|(teacher, duty)| {
                let who = shouwang_core::teachers::name_of(&teachers, &teacher);
                let said = name.with_value(|name| {
                    format!("已保存：{who}不再担任{name}的{}", duty.label_zh())
                });
                let end = move |_| {
                    tap.run(
                        said.clone(),
                        store.remove_duty(child, teacher.clone(), duty),
                    );
                };
                view! {
                    <button type="button" on:click=end>{format!("取消{who}的{}职责", duty.label_zh())}</button>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <section class="card" aria-label="负责教师">
            <p>{move || format!("负责教师：{}", names())}</p>
            <div class="row-actions">{end_duties}</div>
            {(!store.can_change_directory()).then(|| view! {
                <p class="detail">"负责教师由关爱负责人安排。"</p>
            })}
            {(!me.is_empty() && store.can_change_directory()).then(|| view! {
                {move || {
                    let held = mine();
                    view! {
                        <div class="row-actions">
                            {offer(&held, Duty::Paired, "我来结对帮扶")}
                            {offer(&held, Duty::ClassTeacher, "我是班主任")}
                            {(!held.is_empty()).then(|| view! {
                                <button type="button" on:click=move |_| set(None)>"我不再负责"</button>
                            })}
                        </div>
                    }
                }}
            })}
            {tap.line()}
        </section>
    }
}

/// The derived facts: category, guardian, and which of the 五个清楚 are still missing.
fn summary_view(view: &ArchiveView) -> impl IntoView {
    let category = view
        .flags
        .category
        .map(|c| c.label_zh())
        .unwrap_or("类别未知：请填写父母现状");
    let clear = Clear::ALL.len() - view.gaps.len();
    // Read from the archive as it is now, not the roster line's copy of it.
    let consent = Consent::of(&view.archive.consent);
    let gaps = view
        .gaps
        .iter()
        .map(|gap| view! { <li>{format!("{}：缺 {}", gap.clear.label_zh(), gap.missing.join("、"))}</li> })
        .collect_view();
    view! {
        <section class="card summary" aria-label="档案概况">
            <p><span class="badge">{category}</span>
                {view.flags.no_guardian.then(|| view! { <span class="badge badge-alert">"无有效监护"</span> })}
            </p>
            <p class="five-clears">{format!("五个清楚：{clear}/5")}</p>
            <ul class="gaps">{gaps}</ul>
            <p class="consent-state">{format!("监护人知情同意：{}", consent.label_zh())}</p>
            {consent.note_zh().map(|note| view! { <p class="detail">{note}</p> })}
        </section>
    }
}

/// What saving the basic form writes: the teacher's changes onto the archive as it is now (sync
/// may have brought another phone's change since the form opened).
async fn onto_now(
    store: Store,
    child: DocId,
    typed: &ChildDraft,
    base: &ChildDraft,
    today: chrono::NaiveDate,
) -> Result<ChildRecord, String> {
    let now = match store.open_child(child).await {
        Ok(ChildView::Ready(view)) => view.record.to_draft(),
        Ok(_) => return Err("这份档案现在无法打开，未保存。填写的内容仍在表单中。".into()),
        Err(err) => return Err(err.to_string()),
    };
    typed.edits_onto(base, &now).validate(today).map_err(|_| {
        "另一位老师刚修改了这名儿童的基本信息，与你填写的内容合不到一起：请核对后再保存。".into()
    })
}

/// The basic-information form. `id` is None for a new child.
#[component]
fn ChildForm(id: Option<DocId>, initial: ChildDraft) -> impl IntoView {
    let store = expect_context::<Store>();
    let flash = expect_context::<Flash>();
    let navigate = use_navigate();
    let form = Form::new(initial.clone());
    // Some(true) saved, Some(false) failed; None while editing.
    let outcome = use_context::<BasicOutcome>()
        .map(|o| o.0)
        .unwrap_or_else(|| RwSignal::new(None));
    let saving = RwSignal::new(false);
    let restored = RwSignal::new(false);

    // What the form showed when it opened: a save writes only what the teacher changed from it
    // (`ChildDraft::edits_onto`), so a value another phone changed meanwhile is kept.
    let base = StoredValue::new(initial.clone());
    // 放弃草稿: a child begun and given up must not lend its 学籍号 to the next one.
    let opened = initial.clone();
    let discard = Callback::new(move |()| {
        base.set_value(opened.clone());
        form.draft.set(opened.clone());
        form.errors.set(Vec::new());
        restored.set(false);
        leptos::task::spawn_local(async move {
            store.discard_draft(&child_draft_key(id)).await;
        });
    });
    // The new child the teacher was told is already listed (name, grade, class).
    let warned = StoredValue::new(None::<(String, u32, u32)>);

    // A draft left by a closed tab or a dead phone comes back before anything else is typed,
    // with what its form showed (a draft from an older version has only what was typed).
    leptos::task::spawn_local(async move {
        let key = child_draft_key(id);
        let left = match store.draft::<ChildEdit>(&key).await {
            Some(edit) => Some(edit),
            None => store
                .draft::<ChildDraft>(&key)
                .await
                .map(|typed| ChildEdit {
                    base: initial.clone(),
                    typed,
                }),
        };
        if let Some(edit) = left {
            if edit.typed != initial && form.edits.get_untracked() == 0 {
                base.set_value(edit.base);
                form.draft.set(edit.typed);
                restored.set(true);
            }
        }
    });
    Effect::new(move |first: Option<()>| {
        form.edits.track();
        if first.is_some() {
            outcome.set(None);
            let edit = ChildEdit {
                base: base.get_value(),
                typed: form.draft.get_untracked(),
            };
            leptos::task::spawn_local(async move {
                store.put_draft(&child_draft_key(id), &edit).await;
            });
        }
    });

    let today = chrono::Local::now().date_naive();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let typed = form.draft.get_untracked();
        let record = match typed.validate(today) {
            Ok(record) => record,
            Err(errors) => {
                form.errors.set(errors);
                outcome.set(Some(Err("请按红字提示改正后再保存。".into())));
                crate::components::input_error::reveal_first();
                return;
            }
        };
        // A new child already listed in her class: said once; saving again adds her anyway.
        if id.is_none() {
            let key = (
                record.basic.name.clone(),
                record.basic.grade,
                record.basic.class,
            );
            let listed = store.roster.with_untracked(|mine| {
                store
                    .others
                    .with_untracked(|others| already_listed(&record.basic, mine, others))
            });
            if let Some(error) = listed {
                if warned.get_value().as_ref() != Some(&key) {
                    warned.set_value(Some(key));
                    form.errors.set(vec![error]);
                    outcome.set(Some(Err("请先核对姓名下的提示。".into())));
                    crate::components::input_error::reveal_first();
                    return;
                }
            }
        }
        form.errors.set(Vec::new());
        saving.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let action = if id.is_some() {
                "修改基本信息"
            } else {
                "新建档案"
            };
            let record = match id {
                Some(child) => match onto_now(store, child, &typed, &base.get_value(), today).await
                {
                    Ok(record) => record,
                    Err(message) => {
                        saving.set(false);
                        outcome.set(Some(Err(message)));
                        return;
                    }
                },
                None => record,
            };
            let name = record.basic.name.clone();
            let result = store.save_child(id, record, action).await;
            saving.set(false);
            match result {
                Ok(_) if id.is_none() => {
                    flash.show(format!("已保存：{name}"));
                    navigate("/", Default::default());
                }
                Ok(_) => {
                    restored.set(false);
                    outcome.set(Some(Ok(())));
                }
                Err(err) => outcome.set(Some(Err(err.to_string()))),
            }
        });
    };

    let (min, max) = (
        format!(
            "{:04}-{:02}-{:02}",
            EARLIEST_BIRTH.0, EARLIEST_BIRTH.1, EARLIEST_BIRTH.2
        ),
        today.format("%Y-%m-%d").to_string(),
    );
    let grades = GRADES.map(|g| (g.to_string(), grade_label_zh(g))).collect();
    let genders = Gender::ALL
        .iter()
        .map(|g| (g.code(), g.label_zh()))
        .collect();
    view! {
        <form class="form" on:submit=on_submit novalidate>
            {restored_notice(restored, Some(discard))}
            {input(form, Field::Name, Kind::Text, Binding { get: |d: &ChildDraft| &d.name, set: |d| &mut d.name })}
            {choice(form, Field::Gender, genders, Binding { get: |d: &ChildDraft| &d.gender, set: |d| &mut d.gender })}
            {input(form, Field::BirthDate, Kind::Date { min, max },
                Binding { get: |d: &ChildDraft| &d.birth_date, set: |d| &mut d.birth_date })}
            {select(form, Field::Grade, grades, Binding { get: |d: &ChildDraft| &d.grade, set: |d| &mut d.grade })}
            {input(form, Field::Class, Kind::Number, Binding { get: |d: &ChildDraft| &d.class, set: |d| &mut d.class })}
            {input(form, Field::Village, Kind::Text, Binding { get: |d: &ChildDraft| &d.village, set: |d| &mut d.village })}
            {input(form, Field::StudentNo, Kind::Text, Binding { get: |d: &ChildDraft| &d.student_no, set: |d| &mut d.student_no })}
            {input(form, Field::Notes, Kind::Multiline, Binding { get: |d: &ChildDraft| &d.notes, set: |d| &mut d.notes })}
            <div class="actions">
                <SaveStatusLine/>
                {move || match outcome.get() {
                    Some(Ok(())) => view! { <p class="status status-ok" role="status">"已保存"</p> }.into_any(),
                    Some(Err(message)) => view! { <p class="status status-error" role="alert">{message}</p> }.into_any(),
                    None => ().into_any(),
                }}
                <button type="submit" class="primary" disabled=move || saving.get()>
                    {move || if saving.get() { "正在保存…" } else { "保存" }}
                </button>
            </div>
        </form>
    }
}
