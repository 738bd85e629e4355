//! A focus child's plans: the individual plan (个别教育管理方案: problems, goals, measures with who
//! and how often, reviews, outcome), the learning-support plan (学习帮扶计划: subjects, time,
//! content, stage results) and the progress archive (进步档案: term results, the rank chart, rank
//! gains the seeds reward), and the child's own rhythm of care (关爱频次（本生）). Each form is
//! checked by the core and saved as one change, through the one save path (`components/submit.rs`).

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

/// One field of a row the teacher can add (a measure, a review, a stage, a subject's score).
struct Part<R> {
    label: fn(usize) -> String,
    key: &'static str,
    kind: &'static str,
    get: fn(&R) -> String,
    set: fn(&mut R, String),
}

/// The rows of the draft's list `list` (`rows` reads it, `rows_mut` writes it), each as its
/// parts, with errors at `<list>.<row>.<key>`.
fn repeated<D: Send + Sync + 'static, R: 'static>(
    draft: RwSignal<D>,
    errors: Errors,
    list: &'static str,
    rows: fn(&D) -> &Vec<R>,
    rows_mut: fn(&mut D) -> &mut Vec<R>,
    parts: &'static [Part<R>],
) -> impl IntoView {
    move || {
        (0..draft.with(|d| rows(d).len()))
            .map(|i| {
                let fields = parts
                    .iter()
                    .map(|p| {
                        let (get, set) = (p.get, p.set);
                        bound(
                            draft,
                            errors,
                            ((p.label)(i), format!("{list}.{i}.{}", p.key), p.kind),
                            move |d: &D| rows(d).get(i).map(get),
                            move |d: &mut D, v| {
                                if let Some(row) = rows_mut(d).get_mut(i) {
                                    set(row, v);
                                }
                            },
                        )
                    })
                    .collect_view();
                view! { <div class="follow-up">{fields}</div> }
            })
            .collect_view()
    }
}

static MEASURES: [Part<MeasureDraft>; 3] = [
    Part {
        label: |i| format!("措施 {}", i + 1),
        key: "what",
        kind: "text",
        get: |m| m.what.clone(),
        set: |m, v| m.what = v,
    },
    Part {
        label: |_| "负责人".into(),
        key: "who",
        kind: "text",
        get: |m| m.who.clone(),
        set: |m, v| m.who = v,
    },
    Part {
        label: |_| "频次".into(),
        key: "howOften",
        kind: "text",
        get: |m| m.how_often.clone(),
        set: |m, v| m.how_often = v,
    },
];

static REVIEWS: [Part<ReviewDraft>; 2] = [
    Part {
        label: |i| format!("复查 {} 日期", i + 1),
        key: "date",
        kind: "date",
        get: |r| r.date.clone(),
        set: |r, v| r.date = v,
    },
    Part {
        label: |_| "复查结果".into(),
        key: "outcome",
        kind: "textarea",
        get: |r| r.outcome.clone(),
        set: |r, v| r.outcome = v,
    },
];

static STAGES: [Part<StageDraft>; 2] = [
    Part {
        label: |i| format!("阶段 {} 日期", i + 1),
        key: "date",
        kind: "date",
        get: |s| s.date.clone(),
        set: |s, v| s.date = v,
    },
    Part {
        label: |_| "阶段性效果".into(),
        key: "result",
        kind: "textarea",
        get: |s| s.result.clone(),
        set: |s, v| s.result = v,
    },
];

static SCORES: [Part<(String, String)>; 2] = [
    Part {
        label: |i| format!("科目 {}", i + 1),
        key: "subject",
        kind: "text",
        get: |s| s.0.clone(),
        set: |s, v| s.0 = v,
    },
    Part {
        label: |_| "成绩".into(),
        key: "score",
        kind: "number",
        get: |s| s.1.clone(),
        set: |s, v| s.1 = v,
    },
];

/// Today, for the checks that refuse dates in the future.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[component]
fn PlanForm(child: DocId, initial: PlanDraft) -> impl IntoView {
    let store = expect_context::<Store>();
    let draft = RwSignal::new(initial);
    let errors: Errors = RwSignal::new(Vec::new());
    let submit = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.run_here(
            draft.get_untracked().validate(today()),
            errors,
            move |plan| store.save_plan(child, plan),
            "已保存：个别教育管理方案".into(),
        );
    };
    let measures = repeated(
        draft,
        errors,
        "measures",
        |d| &d.measures,
        |d| &mut d.measures,
        &MEASURES,
    );
    let reviews = repeated(
        draft,
        errors,
        "reviews",
        |d| &d.reviews,
        |d| &mut d.reviews,
        &REVIEWS,
    );
    view! {
        <section class="card" aria-labelledby="plan-title">
            <h3 id="plan-title">"个别教育管理方案"</h3>
            <form class="form" on:submit=on_submit novalidate>
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
                {submit.inline_footer("保存方案")}
            </form>
        </section>
    }
}

#[component]
fn LearningForm(child: DocId, initial: LearningPlanDraft) -> impl IntoView {
    let store = expect_context::<Store>();
    let draft = RwSignal::new(initial);
    let errors: Errors = RwSignal::new(Vec::new());
    let submit = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.run_here(
            draft.get_untracked().validate(today()),
            errors,
            move |plan| store.save_learning(child, plan),
            "已保存：学习帮扶计划".into(),
        );
    };
    let stages = repeated(
        draft,
        errors,
        "stages",
        |d| &d.stages,
        |d| &mut d.stages,
        &STAGES,
    );
    view! {
        <section class="card" aria-labelledby="learning-title">
            <h3 id="learning-title">"学习帮扶计划"</h3>
            <form class="form" on:submit=on_submit novalidate>
                {bound(draft, errors, spec("帮扶科目（用顿号分隔）", "subjects", "text"), |d: &LearningPlanDraft| Some(d.subjects.clone()), |d: &mut LearningPlanDraft, v| d.subjects = v)}
                {bound(draft, errors, spec("任课教师", "teacher", "text"), |d: &LearningPlanDraft| Some(d.teacher.clone()), |d: &mut LearningPlanDraft, v| d.teacher = v)}
                {bound(draft, errors, spec("帮扶时间", "time", "text"), |d: &LearningPlanDraft| Some(d.time.clone()), |d: &mut LearningPlanDraft, v| d.time = v)}
                {bound(draft, errors, spec("帮扶内容", "content", "textarea"), |d: &LearningPlanDraft| Some(d.content.clone()), |d: &mut LearningPlanDraft, v| d.content = v)}
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
    let submit = Submit::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let save = move |result| async move {
            let saved = store.add_result(child, result).await;
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
        "scores",
        |d| &d.scores,
        |d| &mut d.scores,
        &SCORES,
    );
    view! {
        <section class="card" aria-labelledby="result-title">
            <h3 id="result-title">"记录学期成绩"</h3>
            <form class="form" on:submit=on_submit novalidate>
                {bound(draft, errors, spec("学期", "term", "text"), |d: &ResultDraft| Some(d.term.clone()), |d: &mut ResultDraft, v| d.term = v)}
                {bound(draft, errors, spec("考试日期", "date", "date"), |d: &ResultDraft| Some(d.date.clone()), |d: &mut ResultDraft, v| d.date = v)}
                {scores}
                <button type="button" on:click=move |_| draft.update(|d| d.scores.push((String::new(), String::new())))>"＋ 添加科目"</button>
                {bound(draft, errors, spec("总分（可不填，按各科相加）", "total", "number"), |d: &ResultDraft| Some(d.total.clone()), |d: &mut ResultDraft, v| d.total = v)}
                {bound(draft, errors, spec("班级名次", "rank", "number"), |d: &ResultDraft| Some(d.rank.clone()), |d: &mut ResultDraft, v| d.rank = v)}
                {crate::components::input_error::error_line(errors, "scores".into())}
                {submit.inline_footer("保存成绩")}
            </form>
        </section>
    }
}
