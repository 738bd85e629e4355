//! Recording a home visit (家访记录) in a kitchen with no signal, one thumb, 3–5 minutes: today,
//! me and the guardian on file filled in, observations by topic with phrases to tap, guidance,
//! the guardian's requests, follow-ups with owner and due date, the next visit. Autosaved as
//! typed; a planned visit (`?plan=`) is carried out by this one.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shouwang_core::care::{quick_phrases, FollowUpDraft, VisitDraft, MET, OBSERVATION_TOPICS};
use shouwang_core::guardianship::{self, AssessmentDraft};
use shouwang_core::stats::care::report_term;
use shouwang_core::DocId;

use crate::components::child_shell::{hold_redraw, ChildShell};
use crate::components::draft::autosave;
use crate::components::input_error::{aria_invalid, error_at, Errors};
use crate::components::submit::Submit;
use crate::store::{ArchiveView, Store};

#[component]
pub fn VisitPage() -> impl IntoView {
    view! { <ChildShell render=visit_view back_to_records=true/> }
}

fn visit_view(id: DocId, view: &ArchiveView) -> AnyView {
    let archive = &view.archive;
    let guardian_on_file = archive
        .guardians
        .iter()
        .any(|g| g.get("name").is_some_and(|n| !n.trim().is_empty()));
    let plan = use_query_map().with_untracked(|q| q.get("plan"));
    // Asked once a term (动态管理): never assessed, or last assessed before this term began.
    let today = chrono::Local::now().date_naive();
    let settings = expect_context::<Store>().settings();
    let calendar = settings.calendar_on(today);
    let term_start = report_term(&calendar, today).map(|t| t.start);
    let assess =
        guardianship::due(archive.assessed().map(|a| a.on), term_start, today).then(|| {
            guardianship::suggested(
                archive.father_facts(),
                archive.mother_facts(),
                &archive.guardian_facts(),
            )
        });
    view! { <VisitForm child=id guardian_on_file plan assess/> }.into_any()
}

pub fn draft_key(child: DocId) -> String {
    format!("visit:{child}")
}

type Draft = RwSignal<VisitDraft>;

/// `assess`: the form asks for the guardianship assessment, with what the facts suggest.
#[component]
fn VisitForm(
    child: DocId,
    guardian_on_file: bool,
    plan: Option<String>,
    assess: Option<Option<guardianship::Kind>>,
) -> impl IntoView {
    // What is typed stays: the screen is not drawn anew while this form is on it.
    hold_redraw();
    let store = expect_context::<Store>();
    let submit = Submit::new();
    let today = chrono::Local::now().date_naive();
    let me = crate::prefs::me();
    let mut start = VisitDraft::start(today, &me, guardian_on_file, "");
    start.assessment = assess.map(|_| AssessmentDraft::default());
    let draft = RwSignal::new(start);
    let errors: Errors = RwSignal::new(Vec::new());
    let restored = RwSignal::new(false);
    let key = draft_key(child);
    autosave(key.clone(), draft, restored);

    // The plan's purpose becomes the visit's, unless something was typed there already.
    if let Some(plan_id) = plan.clone() {
        leptos::task::spawn_local(async move {
            let Ok(records) = store.records(child).await else {
                return;
            };
            if let Some(found) = records.plans.iter().find(|p| p.stamp.id == plan_id) {
                let purpose = found.plan.purpose.clone();
                draft.update(|d| {
                    if d.purpose.trim().is_empty() {
                        d.purpose = purpose;
                    }
                });
            }
        });
    }

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (key, plan) = (key.clone(), plan.clone());
        // A draft kept from an earlier opening carries the assessment only if this form asks.
        let mut typed = draft.get_untracked();
        typed.assessment = assess.map(|_| typed.assessment.take().unwrap_or_default());
        submit.run(
            typed.validate(today, &store.settings().calendar_on(today)),
            errors,
            move |visit| async move { store.add_visit(child, visit, plan, &key).await },
            "已保存：家访记录".into(),
            format!("/child/{child}/records"),
        );
    };

    let max = today.format("%Y-%m-%d").to_string();
    view! {
        <h2>"记录家访"</h2>
        <form class="form" on:submit=on_submit novalidate>
            <Show when=move || restored.get()>
                <p class="status" role="status">"已恢复上次未保存的内容。"</p>
            </Show>
            {line(draft, errors, "date", "家访日期", "date", Some(max), |d| &d.date, |d| &mut d.date)}
            {line(draft, errors, "visitors", "家访教师", "text", None, |d| &d.visitors, |d| &mut d.visitors)}
            {chips(draft, errors, "见到的人", "met", &MET, |d| &d.met, |d| &mut d.met)}
            {line(draft, errors, "purpose", "家访目的", "text", None, |d| &d.purpose, |d| &mut d.purpose)}
            <fieldset class="field" aria-describedby="visit-observations-error">
                <legend>"观察到的情况（至少写一项）"</legend>
                {OBSERVATION_TOPICS.iter().map(|(topic, label)| observation(draft, topic, label)).collect_view()}
                {error_at(errors, "observations", "visit-observations-error".into())}
            </fieldset>
            {prose(draft, "guidance", "对监护人的家庭教育指导", |d| &d.guidance, |d| &mut d.guidance)}
            {prose(draft, "requests", "监护人对学校的要求", |d| &d.requests, |d| &mut d.requests)}
            {follow_ups(draft, errors)}
            {assess.map(|suggested| assessment(draft, errors, suggested))}
            {line(draft, errors, "nextVisit", "下次家访日期（可不填）", "date", None, |d| &d.next_visit, |d| &mut d.next_visit)}
            {submit.footer("保存家访记录")}
        </form>
    }
}

/// A one-line input (text or date) bound to a string of the draft.
#[allow(clippy::too_many_arguments)]
fn line(
    draft: Draft,
    errors: Errors,
    field: &'static str,
    label: &'static str,
    input_type: &'static str,
    max: Option<String>,
    get: fn(&VisitDraft) -> &String,
    set: fn(&mut VisitDraft) -> &mut String,
) -> impl IntoView {
    let id = format!("visit-{field}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type=input_type max=max autocomplete="off" aria-describedby=error_id.clone()
                aria-invalid=move || aria_invalid(errors, field)
                prop:value=move || draft.with(|d| get(d).clone())
                on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| *set(d) = v) }/>
            {error_at(errors, field, error_id.clone())}
        </div>
    }
}

/// One choice among a few as radio chips, bound to a code of the draft.
fn chips(
    draft: Draft,
    errors: Errors,
    legend: &'static str,
    field: &'static str,
    options: &'static [(&'static str, &'static str)],
    get: fn(&VisitDraft) -> &String,
    set: fn(&mut VisitDraft) -> &mut String,
) -> impl IntoView {
    let error_id = format!("visit-{field}-error");
    let chips = options
        .iter()
        .map(|(code, label)| {
            view! {
                <label class="chip">
                    <input type="radio" name=format!("visit-{field}") value=*code
                        prop:checked=move || draft.with(|d| get(d) == code)
                        on:change=move |_| draft.update(|d| *set(d) = code.to_string())/>
                    <span>{*label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field" aria-describedby=error_id.clone()>
            <legend>{legend}</legend>
            <div class="chips">{chips}</div>
            {error_at(errors, field, error_id.clone())}
        </fieldset>
    }
}

/// The term's guardianship assessment: the type, then the grade (filled in where the type
/// leaves no choice), with what the archive's facts suggest named, never chosen for the teacher.
fn assessment(
    draft: Draft,
    errors: Errors,
    suggested: Option<guardianship::Kind>,
) -> impl IntoView {
    fn kind(d: &VisitDraft) -> &String {
        static EMPTY: String = String::new();
        d.assessment.as_ref().map(|a| &a.kind).unwrap_or(&EMPTY)
    }
    fn grade(d: &VisitDraft) -> &String {
        static EMPTY: String = String::new();
        d.assessment
            .as_ref()
            .map(|a| &a.assessment)
            .unwrap_or(&EMPTY)
    }
    fn kind_mut(d: &mut VisitDraft) -> &mut String {
        &mut d.assessment.get_or_insert_with(Default::default).kind
    }
    fn grade_mut(d: &mut VisitDraft) -> &mut String {
        &mut d.assessment.get_or_insert_with(Default::default).assessment
    }
    // A type that decides the grade sets it as soon as it is tapped (a grade tapped afterwards
    // that contradicts it is named at saving).
    let chosen = Memo::new(move |_| draft.with(|d| guardianship::Kind::from_code(kind(d))));
    Effect::new(move |_| {
        if let Some(implied) = chosen
            .get()
            .and_then(guardianship::Kind::implied_assessment)
        {
            draft.update(|d| *grade_mut(d) = implied.code().to_string());
        }
    });
    view! {
        <section class="assessment" aria-labelledby="visit-assessment-title">
            <h3 id="visit-assessment-title">"监护情况（本学期尚未评估）"</h3>
            <p class="detail">"请按这次家访看到的情况选择；拿不准可以先不选，下次家访再评估。"</p>
            {suggested.map(|k| view! {
                <p class="detail">{format!("按档案中父母和监护人的情况，可能是“{}”，请按实际情况选择。", k.label_zh())}</p>
            })}
            {chips(draft, errors, "监护类型", guardianship::KIND_FIELD, guardianship::KINDS, kind, kind_mut)}
            {chips(draft, errors, "监护情况评估", guardianship::ASSESSMENT_FIELD, guardianship::ASSESSMENTS, grade, grade_mut)}
        </section>
    }
}

/// Appends a tapped phrase to a text, separated the way teachers write lists.
fn append_phrase(text: &mut String, phrase: &str) {
    let trimmed = text.trim_end();
    if trimmed.is_empty() {
        *text = phrase.to_string();
    } else if !trimmed.contains(phrase) {
        *text = format!("{trimmed}；{phrase}");
    }
}

fn phrase_chips(
    phrases: &'static [&'static str],
    tap: impl Fn(&'static str) + Copy + 'static,
) -> impl IntoView {
    let chips = phrases
        .iter()
        .map(|phrase| view! { <button type="button" class="phrase" on:click=move |_| tap(phrase)>{*phrase}</button> })
        .collect_view();
    view! { <div class="phrases">{chips}</div> }
}

fn observation(draft: Draft, topic: &'static str, label: &'static str) -> impl IntoView {
    let id = format!("visit-observation-{topic}");
    let text = move || {
        draft.with(|d| {
            d.observations
                .iter()
                .find(|(t, _)| t == topic)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
    };
    let edit = move |f: &dyn Fn(&mut String)| {
        draft.update(
            |d| match d.observations.iter_mut().find(|(t, _)| t == topic) {
                Some((_, v)) => f(v),
                None => {
                    let mut v = String::new();
                    f(&mut v);
                    d.observations.push((topic.to_string(), v));
                }
            },
        )
    };
    view! {
        <div class="observation">
            <label for=id.clone()>{label}</label>
            {phrase_chips(quick_phrases(topic), move |p| edit(&|v: &mut String| append_phrase(v, p)))}
            <textarea id=id rows="2" prop:value=text
                on:input=move |ev| { let typed = event_target_value(&ev); edit(&|v: &mut String| *v = typed.clone()) }></textarea>
        </div>
    }
}

fn prose(
    draft: Draft,
    field: &'static str,
    label: &'static str,
    get: fn(&VisitDraft) -> &String,
    set: fn(&mut VisitDraft) -> &mut String,
) -> impl IntoView {
    let id = format!("visit-{field}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {phrase_chips(quick_phrases(field), move |p| draft.update(|d| append_phrase(set(d), p)))}
            <textarea id=id rows="2" prop:value=move || draft.with(|d| get(d).clone())
                on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| *set(d) = v) }></textarea>
        </div>
    }
}

fn follow_ups(draft: Draft, errors: Errors) -> impl IntoView {
    let me = crate::prefs::me();
    let rows = move || {
        let count = draft.with(|d| d.follow_ups.len());
        (0..count)
            .map(|i| follow_up_row(draft, errors, i))
            .collect_view()
    };
    let add = move |_| {
        let owner = me.clone();
        draft.update(|d| {
            d.follow_ups.push(FollowUpDraft {
                owner,
                ..FollowUpDraft::default()
            })
        })
    };
    view! {
        <fieldset class="field follow-ups">
            <legend>"需要跟进的事项"</legend>
            {rows}
            <button type="button" on:click=add>"＋ 添加跟进事项"</button>
        </fieldset>
    }
}

fn follow_up_row(draft: Draft, errors: Errors, i: usize) -> impl IntoView {
    let part = move |name: &'static str, label: &'static str, input_type: &'static str| {
        let field = format!("followUps.{i}.{name}");
        let id = format!("visit-followup-{i}-{name}");
        let error_id = format!("{id}-error");
        let value = move || {
            draft.with(|d| {
                d.follow_ups
                    .get(i)
                    .map(|f| match name {
                        "action" => f.action.clone(),
                        "owner" => f.owner.clone(),
                        _ => f.due.clone(),
                    })
                    .unwrap_or_default()
            })
        };
        let set = move |ev| {
            let v = event_target_value(&ev);
            draft.update(|d| {
                if let Some(f) = d.follow_ups.get_mut(i) {
                    match name {
                        "action" => f.action = v,
                        "owner" => f.owner = v,
                        _ => f.due = v,
                    }
                }
            })
        };
        let invalid_field = field.clone();
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id type=input_type autocomplete="off" aria-describedby=error_id.clone()
                    aria-invalid=move || aria_invalid(errors, &invalid_field)
                    prop:value=value on:input=set/>
                {error_at(errors, field, error_id.clone())}
            </div>
        }
    };
    let remove = move |_| {
        draft.update(|d| {
            if i < d.follow_ups.len() {
                d.follow_ups.remove(i);
            }
        })
    };
    view! {
        <div class="follow-up">
            {part("action", "事项", "text")}
            {part("owner", "负责人", "text")}
            {part("due", "完成期限", "date")}
            <button type="button" class="link" on:click=remove>"删除此事项"</button>
        </div>
    }
}
