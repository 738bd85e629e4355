//! A focus child's plans: the individual plan (个别教育管理方案: problems, goals, measures with who
//! and how often, reviews, outcome), the learning-support plan (学习帮扶计划: subjects, time,
//! content, stage results) and the progress archive (进步档案: term results, the rank chart, rank
//! gains the seeds reward), and the child's own rhythm of care (关爱频次（本生）). Each form is
//! checked by the core and saved as one change.

use leptos::prelude::*;
use shouwang_core::plans::{
    progress, LearningPlanDraft, MeasureDraft, PlanDraft, ResultDraft, ReviewDraft, StageDraft,
};
use shouwang_core::schema::plans::{self, Plans};
use shouwang_core::DocId;

use crate::components::child_cadence_card::ChildCadenceCard;
use crate::components::child_shell::{hold_redraw, ChildShell};
use crate::components::input_error::{labelled_input, Errors};
use crate::components::rank_chart::rank_chart;
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
                <PlanForm child initial=plans.plan.as_ref().map(plan_draft).unwrap_or_default()/>
                <ChildCadenceCard child initial=plans.cadence.clone()/>
                <LearningForm child initial=plans.learning.as_ref().map(learning_draft).unwrap_or_default()/>
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

fn plan_draft(p: &shouwang_core::plans::Plan) -> PlanDraft {
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

fn learning_draft(p: &shouwang_core::plans::LearningPlan) -> LearningPlanDraft {
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

/// One text of a draft as a labelled input: read with `get`, written with `set`.
fn bound<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    errors: Errors,
    (label, field, kind): (String, String, &'static str),
    get: impl Fn(&D) -> Option<String> + Copy + Send + Sync + 'static,
    set: impl Fn(&mut D, String) + Copy + 'static,
) -> impl IntoView {
    labelled_input(
        label,
        field,
        kind,
        Signal::derive(move || draft.with(|d| get(d).unwrap_or_default())),
        move |v| draft.update(|d| set(d, v)),
        errors,
    )
}

fn spec(label: &str, field: &str, kind: &'static str) -> (String, String, &'static str) {
    (label.to_string(), field.to_string(), kind)
}

/// A form's errors at its fields and the line that says how saving went.
#[derive(Clone, Copy)]
struct FormState {
    errors: Errors,
    outcome: RwSignal<Option<Result<String, String>>>,
}

impl FormState {
    fn new() -> Self {
        FormState {
            errors: RwSignal::new(Vec::new()),
            outcome: RwSignal::new(None),
        }
    }

    /// The valid value, or the errors shown at their fields and nothing saved.
    fn checked<T>(self, found: Result<T, Vec<shouwang_core::input::InputError>>) -> Option<T> {
        match found {
            Ok(value) => {
                self.errors.set(Vec::new());
                Some(value)
            }
            Err(errors) => {
                self.errors.set(errors);
                self.outcome
                    .set(Some(Err("请按红字提示改正后再保存。".into())));
                None
            }
        }
    }

    fn saved(self, result: Result<(), crate::store::SaveError>, what: &str) {
        self.outcome.set(Some(
            result
                .map(|()| format!("已保存：{what}"))
                .map_err(|e| e.to_string()),
        ));
    }
}

/// Save outcome line and button, shared by the three forms.
fn save_line(
    outcome: RwSignal<Option<Result<String, String>>>,
    label: &'static str,
) -> impl IntoView {
    view! {
        {move || outcome.get().map(|r| match r {
            Ok(t) => view! { <p class="status status-ok" role="status">{t}</p> }.into_any(),
            Err(t) => view! { <p class="status status-error" role="alert">{t}</p> }.into_any(),
        })}
        <button type="submit" class="primary">{label}</button>
    }
}

#[component]
fn PlanForm(child: DocId, initial: PlanDraft) -> impl IntoView {
    let store = expect_context::<Store>();
    let draft = RwSignal::new(initial);
    let state = FormState::new();
    let errors = state.errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let today = chrono::Local::now().date_naive();
        let Some(plan) = state.checked(draft.get_untracked().validate(today)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let r = store.save_plan(child, plan).await;
            state.saved(r, "个别教育管理方案");
        });
    };
    let measures = move || {
        (0..draft.with(|d| d.measures.len()))
            .map(|i| {
                let at = |part: &str| format!("measures.{i}.{part}");
                view! {
                    <div class="follow-up">
                        {bound(draft, errors, spec(&format!("措施 {}", i + 1), &at("what"), "text"),
                            move |d: &PlanDraft| d.measures.get(i).map(|m| m.what.clone()),
                            move |d: &mut PlanDraft, v| if let Some(m) = d.measures.get_mut(i) { m.what = v })}
                        {bound(draft, errors, spec("负责人", &at("who"), "text"),
                            move |d: &PlanDraft| d.measures.get(i).map(|m| m.who.clone()),
                            move |d: &mut PlanDraft, v| if let Some(m) = d.measures.get_mut(i) { m.who = v })}
                        {bound(draft, errors, spec("频次", &at("howOften"), "text"),
                            move |d: &PlanDraft| d.measures.get(i).map(|m| m.how_often.clone()),
                            move |d: &mut PlanDraft, v| if let Some(m) = d.measures.get_mut(i) { m.how_often = v })}
                    </div>
                }
            })
            .collect_view()
    };
    let reviews = move || {
        (0..draft.with(|d| d.reviews.len()))
            .map(|i| {
                let at = |part: &str| format!("reviews.{i}.{part}");
                view! {
                    <div class="follow-up">
                        {bound(draft, errors, spec(&format!("复查 {} 日期", i + 1), &at("date"), "date"),
                            move |d: &PlanDraft| d.reviews.get(i).map(|r| r.date.clone()),
                            move |d: &mut PlanDraft, v| if let Some(r) = d.reviews.get_mut(i) { r.date = v })}
                        {bound(draft, errors, spec("复查结果", &at("outcome"), "textarea"),
                            move |d: &PlanDraft| d.reviews.get(i).map(|r| r.outcome.clone()),
                            move |d: &mut PlanDraft, v| if let Some(r) = d.reviews.get_mut(i) { r.outcome = v })}
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="plan-title">
            <h3 id="plan-title">"个别教育管理方案"</h3>
            <form class="form" on:submit=submit novalidate>
                {bound(draft, errors, spec("存在问题", "problems", "textarea"), |d: &PlanDraft| Some(d.problems.clone()), |d: &mut PlanDraft, v| d.problems = v)}
                {bound(draft, errors, spec("帮扶目标", "goals", "textarea"), |d: &PlanDraft| Some(d.goals.clone()), |d: &mut PlanDraft, v| d.goals = v)}
                {bound(draft, errors, spec("方案开始日期", "start", "date"), |d: &PlanDraft| Some(d.start.clone()), |d: &mut PlanDraft, v| d.start = v)}
                <fieldset class="field">
                    <legend>"帮扶措施（谁、多久一次）"</legend>
                    {measures}
                    {crate::components::input_error::error_line(errors, "measures".into())}
                    <button type="button" on:click=move |_| draft.update(|d| d.measures.push(MeasureDraft::default()))>"＋ 添加措施"</button>
                </fieldset>
                <fieldset class="field">
                    <legend>"复查"</legend>
                    {reviews}
                    <button type="button" on:click=move |_| draft.update(|d| d.reviews.push(ReviewDraft::default()))>"＋ 添加复查"</button>
                </fieldset>
                {bound(draft, errors, spec("方案结束日期（可不填）", "closed", "date"), |d: &PlanDraft| Some(d.closed.clone()), |d: &mut PlanDraft, v| d.closed = v)}
                {bound(draft, errors, spec("帮扶效果", "outcome", "textarea"), |d: &PlanDraft| Some(d.outcome.clone()), |d: &mut PlanDraft, v| d.outcome = v)}
                {save_line(state.outcome, "保存方案")}
            </form>
        </section>
    }
}

#[component]
fn LearningForm(child: DocId, initial: LearningPlanDraft) -> impl IntoView {
    let store = expect_context::<Store>();
    let draft = RwSignal::new(initial);
    let state = FormState::new();
    let errors = state.errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let today = chrono::Local::now().date_naive();
        let Some(plan) = state.checked(draft.get_untracked().validate(today)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let r = store.save_learning(child, plan).await;
            state.saved(r, "学习帮扶计划");
        });
    };
    let stages = move || {
        (0..draft.with(|d| d.stages.len()))
            .map(|i| {
                let at = |part: &str| format!("stages.{i}.{part}");
                view! {
                    <div class="follow-up">
                        {bound(draft, errors, spec(&format!("阶段 {} 日期", i + 1), &at("date"), "date"),
                            move |d: &LearningPlanDraft| d.stages.get(i).map(|s| s.date.clone()),
                            move |d: &mut LearningPlanDraft, v| if let Some(s) = d.stages.get_mut(i) { s.date = v })}
                        {bound(draft, errors, spec("阶段性效果", &at("result"), "textarea"),
                            move |d: &LearningPlanDraft| d.stages.get(i).map(|s| s.result.clone()),
                            move |d: &mut LearningPlanDraft, v| if let Some(s) = d.stages.get_mut(i) { s.result = v })}
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="learning-title">
            <h3 id="learning-title">"学习帮扶计划"</h3>
            <form class="form" on:submit=submit novalidate>
                {bound(draft, errors, spec("帮扶科目（用顿号分隔）", "subjects", "text"), |d: &LearningPlanDraft| Some(d.subjects.clone()), |d: &mut LearningPlanDraft, v| d.subjects = v)}
                {bound(draft, errors, spec("任课教师", "teacher", "text"), |d: &LearningPlanDraft| Some(d.teacher.clone()), |d: &mut LearningPlanDraft, v| d.teacher = v)}
                {bound(draft, errors, spec("帮扶时间", "time", "text"), |d: &LearningPlanDraft| Some(d.time.clone()), |d: &mut LearningPlanDraft, v| d.time = v)}
                {bound(draft, errors, spec("帮扶内容", "content", "textarea"), |d: &LearningPlanDraft| Some(d.content.clone()), |d: &mut LearningPlanDraft, v| d.content = v)}
                {stages}
                <button type="button" on:click=move |_| draft.update(|d| d.stages.push(StageDraft::default()))>"＋ 添加阶段性效果"</button>
                {save_line(state.outcome, "保存计划")}
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
    let state = FormState::new();
    let errors = state.errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let today = chrono::Local::now().date_naive();
        let Some(result) = state.checked(draft.get_untracked().validate(today)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let r = store.add_result(child, result).await;
            if r.is_ok() {
                // A blank form for the next term; the archive above redraws.
                draft.set(empty_result());
            }
            state.saved(r, "学期成绩");
        });
    };
    let scores = move || {
        (0..draft.with(|d| d.scores.len()))
            .map(|i| {
                let at = |part: &str| format!("scores.{i}.{part}");
                view! {
                    <div class="follow-up">
                        {bound(draft, errors, spec(&format!("科目 {}", i + 1), &at("subject"), "text"),
                            move |d: &ResultDraft| d.scores.get(i).map(|s| s.0.clone()),
                            move |d: &mut ResultDraft, v| if let Some(s) = d.scores.get_mut(i) { s.0 = v })}
                        {bound(draft, errors, spec("成绩", &at("score"), "number"),
                            move |d: &ResultDraft| d.scores.get(i).map(|s| s.1.clone()),
                            move |d: &mut ResultDraft, v| if let Some(s) = d.scores.get_mut(i) { s.1 = v })}
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="result-title">
            <h3 id="result-title">"记录学期成绩"</h3>
            <form class="form" on:submit=submit novalidate>
                {bound(draft, errors, spec("学期", "term", "text"), |d: &ResultDraft| Some(d.term.clone()), |d: &mut ResultDraft, v| d.term = v)}
                {bound(draft, errors, spec("考试日期", "date", "date"), |d: &ResultDraft| Some(d.date.clone()), |d: &mut ResultDraft, v| d.date = v)}
                {scores}
                <button type="button" on:click=move |_| draft.update(|d| d.scores.push((String::new(), String::new())))>"＋ 添加科目"</button>
                {bound(draft, errors, spec("总分（可不填，按各科相加）", "total", "number"), |d: &ResultDraft| Some(d.total.clone()), |d: &mut ResultDraft, v| d.total = v)}
                {bound(draft, errors, spec("班级名次", "rank", "number"), |d: &ResultDraft| Some(d.rank.clone()), |d: &mut ResultDraft, v| d.rank = v)}
                {crate::components::input_error::error_line(errors, "scores".into())}
                {save_line(state.outcome, "保存成绩")}
            </form>
        </section>
    }
}
