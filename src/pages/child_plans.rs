//! A focus child's plans: the individual plan (个别教育管理方案: problems, goals, measures with who
//! and how often, reviews, outcome), the learning-support plan (学习帮扶计划: subjects, time,
//! content, stage results) and the progress archive (进步档案: term results, the rank chart, rank
//! gains the seeds reward), and the child's own rhythm of care (关爱频次（本生）). Each form's fields
//! are drawn from their declarations in `plans` (the added rows too), which the core's checks
//! read; each form is saved as one change, through the one save path (`components/submit.rs`), and
//! what is typed into it is kept as a draft until then (`kept_typing`).

use leptos::prelude::*;
use shouwang_core::form_field::{FormField, Keyed};
use shouwang_core::plans::{
    individual, learning, progress, LearningPlan, LearningPlanDraft, MeasureDraft, Plan, PlanDraft,
    ResultDraft, ReviewDraft, StageDraft,
};
use shouwang_core::schema::plans::{self, Plans};
use shouwang_core::DocId;

use crate::components::child_cadence_card::ChildCadenceCard;
use crate::components::child_shell::{hold_redraw, ChildShell};
use crate::components::draft::{autosave, restored_notice};
use crate::components::input_error::{dom_id, error_line, Errors};
use crate::components::rank_chart::rank_chart;
use crate::components::spec_field::{keyed_field, row_field, Placed, Rows};
use crate::components::submit::Submit;
use crate::store::{ArchiveView, Store};

#[component]
pub fn ChildPlansPage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=|id, view| plans_view(id, view)/> }
}

type Loaded = RwSignal<Option<Result<Plans, String>>, LocalStorage>;

fn plans_view(child: DocId, _: &ArchiveView) -> AnyView {
    let store = expect_context::<Store>();
    // The forms are filled once, from the first reading; later readings (after a save here, or
    // one brought by sync) only redraw the progress archive, so nothing typed or said is replaced
    // under the teacher's thumb — nor by the archive's own redraw, which the forms hold.
    hold_redraw();
    let first: Loaded = RwSignal::new_local(None);
    let latest: Loaded = RwSignal::new_local(None);
    Effect::new(move |_| {
        store.track_document(plans::plans_id(child));
        leptos::task::spawn_local(async move {
            let read = store.plans(child).await.map_err(|e| e.to_string());
            if first.with_untracked(Option::is_none) {
                first.set(Some(read.clone()));
            }
            latest.set(Some(read));
        });
    });
    let progress = move || {
        latest.with(|l| match l {
            Some(Ok(plans)) => progress_archive(plans).into_any(),
            _ => ().into_any(),
        })
    };
    view! {
        <h2>"帮扶方案"</h2>
        {move || match first.get() {
            None => view! { <p class="loading">"正在读取…"</p> }.into_any(),
            Some(Err(m)) => view! { <p class="status status-error" role="alert">{m}</p> }.into_any(),
            Some(Ok(plans)) => view! {
                <PlanForm child shown=plans.plan.clone()/>
                <ChildCadenceCard child shown=plans.cadence.clone()/>
                <LearningForm child shown=plans.learning.clone()/>
                {progress}
                <ResultForm child/>
            }.into_any(),
        }}
    }
    .into_any()
}

fn date(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn plan_draft(p: &Plan) -> PlanDraft {
    PlanDraft {
        problems: p.problems.clone(),
        goals: p.goals.clone(),
        measures: p
            .measures
            .iter()
            .map(|m| MeasureDraft {
                what: m.what.clone(),
                who: m.who.clone(),
                how_often: m.how_often.clone(),
            })
            .collect(),
        start: date(p.start),
        reviews: p
            .reviews
            .iter()
            .map(|r| ReviewDraft {
                date: date(r.date),
                outcome: r.outcome.clone(),
            })
            .collect(),
        closed: p.closed.map(date).unwrap_or_default(),
        outcome: p.outcome.clone(),
    }
}

fn learning_draft(p: &LearningPlan) -> LearningPlanDraft {
    LearningPlanDraft {
        subjects: p.subjects.join("、"),
        teacher: p.teacher.clone(),
        time: p.time.clone(),
        content: p.content.clone(),
        stages: p
            .stages
            .iter()
            .map(|s| StageDraft {
                date: date(s.date),
                result: s.result.clone(),
            })
            .collect(),
    }
}

/// A declared field of a plan's draft, its control's id made from its key (`f-<key>`).
fn field<D: Keyed + Send + Sync + 'static>(
    draft: RwSignal<D>,
    errors: Errors,
    field: FormField,
) -> AnyView {
    let placed = Placed {
        id: dom_id(field.key()),
        at: field.key().to_string(),
        label: field.form_label(),
        ..Placed::default()
    };
    keyed_field(draft, errors, field, placed)
}

/// The rows of the draft's list `list` (a measure, a review, a stage, a subject's score), each
/// as its declared fields, with errors at `<list>.<row>.<key>`.
fn repeated<D, R>(
    draft: RwSignal<D>,
    errors: Errors,
    list: &'static str,
    rows: Rows<D, R>,
    fields: &'static [FormField],
) -> impl IntoView
where
    D: Send + Sync + 'static,
    R: Keyed + 'static,
{
    move || {
        (0..draft.with(|d| (rows.read)(d).len()))
            .map(|i| {
                let parts = fields
                    .iter()
                    .map(|f| {
                        let at = format!("{list}.{i}.{}", f.key());
                        let placed = Placed {
                            id: dom_id(&at),
                            at,
                            label: f.row_label(i),
                            ..Placed::default()
                        };
                        row_field(draft, errors, *f, placed, rows, i)
                    })
                    .collect_view();
                // A row added by mistake, or no longer wanted, goes; the errors shown belonged to
                // rows by number, and are asked again at the next save.
                let remove = move |_| {
                    draft.update(|d| {
                        let list = (rows.write)(d);
                        if i < list.len() {
                            list.remove(i);
                        }
                    });
                    errors.set(Vec::new());
                };
                view! {
                    <div class="follow-up">
                        {parts}
                        <button type="button" class="secondary" on:click=remove>{format!("删除第 {} 条", i + 1)}</button>
                    </div>
                }
            })
            .collect_view()
    }
}

/// Today, for the checks that refuse dates in the future.
/// Keeps what is typed into one of the child's plan forms as a draft (the phone locking itself
/// or a reload loses nothing); the key carries the child's id, so an erased child's goes too.
fn kept_typing<T>(
    form: &str,
    child: DocId,
    draft: RwSignal<T>,
) -> (RwSignal<bool>, Callback<()>, String)
where
    T: serde::Serialize + serde::de::DeserializeOwned + Clone + PartialEq + Send + Sync + 'static,
{
    let restored = RwSignal::new(false);
    let key = format!("{form}:{child}");
    let discard = autosave(key.clone(), draft, restored);
    (restored, discard, key)
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A measure whose 负责人 has left the school (the child was handed over with its plan) is
/// said beside the measures, with who cares for the child now, until the 负责人 is changed.
fn departed_note(child: DocId, draft: RwSignal<PlanDraft>) -> impl IntoView {
    let store = expect_context::<Store>();
    move || {
        let teachers = store.teachers.get();
        let departed: Vec<&str> = teachers
            .iter()
            .filter(|t| !t.at_school())
            .map(|t| t.name.as_str())
            .collect();
        let named = draft.with(|d| individual::departed_named(&d.measures, &departed));
        (!named.is_empty()).then(|| {
            let now: Vec<String> = store.assignments.with(|a| {
                shouwang_core::teachers::teachers_of(
                    a.get(&child).map(Vec::as_slice).unwrap_or(&[]),
                )
                .into_iter()
                .filter_map(|id| teachers.iter().find(|t| t.id == id && t.at_school()))
                .map(|t| t.name.clone())
                .collect()
            });
            let to = if now.is_empty() {
                "请改为现在负责这名儿童的老师".to_string()
            } else {
                format!("请改为现在负责这名儿童的老师（{}）", now.join("、"))
            };
            view! {
                <p class="status status-warn" id="plan-departed">
                    {format!("措施的负责人中，{}已离校：{to}，并保存方案。", named.join("、"))}
                </p>
            }
        })
    }
}

#[component]
fn PlanForm(child: DocId, shown: Option<Plan>) -> impl IntoView {
    let store = expect_context::<Store>();
    let draft = RwSignal::new(shown.as_ref().map(plan_draft).unwrap_or_default());
    // What the form showed, or last saved: a save writes only what was changed from it.
    let shown = StoredValue::new(shown);
    let errors: Errors = RwSignal::new(Vec::new());
    let (restored, discard, key) = kept_typing("plan", child, draft);
    let submit = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let key = key.clone();
        submit.run_edit_here(
            draft.get_untracked().validate(today()),
            errors,
            shown,
            move |plan, shown| async move { store.save_plan(child, plan, shown, &key).await },
            |plan: &Plan| Some(plan.clone()),
            "已保存：个别教育管理方案".into(),
        );
    };
    let measures = repeated(
        draft,
        errors,
        individual::MEASURES.key(),
        Rows {
            read: |d: &PlanDraft| &d.measures,
            write: |d: &mut PlanDraft| &mut d.measures,
        },
        &individual::MEASURE,
    );
    let reviews = repeated(
        draft,
        errors,
        individual::REVIEWS.key(),
        Rows {
            read: |d: &PlanDraft| &d.reviews,
            write: |d: &mut PlanDraft| &mut d.reviews,
        },
        &individual::REVIEW,
    );
    view! {
        <section class="card" aria-labelledby="plan-title">
            <h3 id="plan-title">"个别教育管理方案"</h3>
            <form class="form" on:submit=on_submit novalidate>
                {restored_notice(restored, Some(discard))}
                {field(draft, errors, individual::PROBLEMS)}
                {field(draft, errors, individual::GOALS)}
                {field(draft, errors, individual::START)}
                <fieldset class="field">
                    <legend>{individual::MEASURES.form_label()}</legend>
                    {measures}
                    {error_line(errors, individual::MEASURES.key().into())}
                    {departed_note(child, draft)}
                    <button type="button" on:click=move |_| draft.update(|d| d.measures.push(MeasureDraft::default()))>"＋ 添加措施"</button>
                </fieldset>
                <fieldset class="field">
                    <legend>{individual::REVIEWS.form_label()}</legend>
                    {reviews}
                    <button type="button" on:click=move |_| draft.update(|d| d.reviews.push(ReviewDraft::default()))>"＋ 添加复查"</button>
                </fieldset>
                {field(draft, errors, individual::CLOSED)}
                {field(draft, errors, individual::OUTCOME)}
                {submit.inline_footer("保存方案")}
            </form>
        </section>
    }
}

#[component]
fn LearningForm(child: DocId, shown: Option<LearningPlan>) -> impl IntoView {
    let store = expect_context::<Store>();
    let draft = RwSignal::new(shown.as_ref().map(learning_draft).unwrap_or_default());
    let shown = StoredValue::new(shown);
    let errors: Errors = RwSignal::new(Vec::new());
    let (restored, discard, key) = kept_typing("learning", child, draft);
    let submit = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let key = key.clone();
        submit.run_edit_here(
            draft.get_untracked().validate(today()),
            errors,
            shown,
            move |plan, shown| async move { store.save_learning(child, plan, shown, &key).await },
            |plan: &LearningPlan| Some(plan.clone()),
            "已保存：学习帮扶计划".into(),
        );
    };
    let stages = repeated(
        draft,
        errors,
        learning::STAGES,
        Rows {
            read: |d: &LearningPlanDraft| &d.stages,
            write: |d: &mut LearningPlanDraft| &mut d.stages,
        },
        &learning::STAGE,
    );
    view! {
        <section class="card" aria-labelledby="learning-title">
            <h3 id="learning-title">"学习帮扶计划"</h3>
            <form class="form" on:submit=on_submit novalidate>
                {restored_notice(restored, Some(discard))}
                {field(draft, errors, learning::SUBJECTS)}
                {field(draft, errors, learning::TEACHER)}
                {field(draft, errors, learning::TIME)}
                {field(draft, errors, learning::CONTENT)}
                {stages}
                <button type="button" on:click=move |_| draft.update(|d| d.stages.push(StageDraft::default()))>"＋ 添加阶段性效果"</button>
                {submit.inline_footer("保存计划")}
            </form>
        </section>
    }
}

fn progress_archive(plans: &Plans) -> impl IntoView {
    let results = &plans.results;
    let steps = progress(results)
        .into_iter()
        .map(|s| {
            let (a, b) = (&results[s.from], &results[s.to]);
            let gain = match s.rank_gain {
                Some(g) if g > 0 => format!("进步 {g} 名"),
                Some(g) if g < 0 => format!("退步 {} 名", -g),
                Some(_) => "名次不变".into(),
                None => "无名次".into(),
            };
            let note = if s.award {
                "（可表彰）"
            } else if s.kept_top {
                "（保持前列）"
            } else {
                ""
            };
            view! { <li>{format!("{} → {}：{gain}{note}", a.term, b.term)}</li> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="progress-title">
            <h3 id="progress-title">"进步档案"</h3>
            {rank_chart(results)}
            <ul id="progress-steps">{steps}</ul>
            <ol id="progress-results" class="plain-list" aria-label="历次成绩">
                {{
                    let mut listed: Vec<_> = results.iter().collect();
                    shouwang_core::sort::sort_by_key(&mut listed, |r| r.date);
                    listed.into_iter().map(|r| view! { <li>{r.line_zh()}</li> }).collect_view()
                }}
            </ol>
        </section>
    }
}

/// A blank result form with one subject line.
fn empty_result() -> ResultDraft {
    ResultDraft {
        scores: vec![(String::new(), String::new())],
        ..ResultDraft::default()
    }
}

#[component]
fn ResultForm(child: DocId) -> impl IntoView {
    let store = expect_context::<Store>();
    let draft = RwSignal::new(empty_result());
    let errors: Errors = RwSignal::new(Vec::new());
    let (restored, discard, key) = kept_typing("result", child, draft);
    let submit = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let key = key.clone();
        let save = move |result| async move {
            let saved = store.add_result(child, result, &key).await;
            if saved.is_ok() {
                // A blank form for the next term; the archive above redraws.
                draft.set(empty_result());
            }
            saved
        };
        submit.run_here(
            draft.get_untracked().validate(today()),
            errors,
            save,
            "已保存：学期成绩".into(),
        );
    };
    let scores = repeated(
        draft,
        errors,
        progress::SCORES.key(),
        Rows {
            read: |d: &ResultDraft| &d.scores,
            write: |d: &mut ResultDraft| &mut d.scores,
        },
        &progress::SCORE,
    );
    view! {
        <section class="card" aria-labelledby="result-title">
            <h3 id="result-title">"记录学期成绩"</h3>
            <form class="form" on:submit=on_submit novalidate>
                {restored_notice(restored, Some(discard))}
                {field(draft, errors, progress::TERM)}
                {field(draft, errors, progress::DATE)}
                {scores}
                <button type="button" on:click=move |_| draft.update(|d| d.scores.push((String::new(), String::new())))>"＋ 添加科目"</button>
                {field(draft, errors, progress::TOTAL)}
                {field(draft, errors, progress::RANK)}
                {error_line(errors, progress::SCORES.key().into())}
                {submit.inline_footer("保存成绩")}
            </form>
        </section>
    }
}
