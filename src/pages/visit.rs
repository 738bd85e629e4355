//! Recording a home visit (家访记录) in a kitchen with no signal, one thumb, 3–5 minutes: today,
//! me and the guardian on file filled in, observations by topic with phrases to tap, guidance,
//! the guardian's requests, follow-ups with owner and due date, the next visit. Every field is
//! drawn from its declaration in `care` (key, label, kind), where the same declaration checks it.
//! Autosaved as typed; a planned visit (`?plan=`) is carried out by this one; a stored one is
//! corrected with the same form (`?edit=`, 更正), its follow-ups left as recorded.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shouwang_core::archive::Kind;
use shouwang_core::form_field::{FormField, Keyed};
use shouwang_core::guardianship::{self, AssessmentDraft};
use shouwang_core::harm;
use shouwang_core::schema::records::StoredVisit;
use shouwang_core::stats::care::report_term;
use shouwang_core::visit::{self, quick_phrases, FollowUpDraft, VisitDraft, OBSERVATION_TOPICS};
use shouwang_core::DocId;

use crate::components::child_shell::{hold_redraw, ChildShell};
use crate::components::consent_reminder::consent_reminder;
use crate::components::draft::{autosave, restored_notice};
use crate::components::input_error::{aria_invalid, error_at, Errors};
use crate::components::spec_field::{keyed_field, row_field, Placed, Rows};
use crate::components::stored_record::{split_notice, with_stored};
use crate::components::submit::Submit;
use crate::components::unsigned_notice::unsigned_notice;
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
    let (plan, edit) = use_query_map().with_untracked(|q| (q.get("plan"), q.get("edit")));
    if let Some(visit) = edit {
        return view! { <VisitCorrection child=id visit/> }.into_any();
    }
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
    view! {
        {consent_reminder(id, archive, true)}
        <VisitForm child=id guardian_on_file plan assess shown=None/>
    }
    .into_any()
}

/// 更正: the stored visit read, then the visit form filled with it.
#[component]
fn VisitCorrection(child: DocId, visit: String) -> impl IntoView {
    with_stored(
        child,
        move |records| records.visits.into_iter().find(|v| v.stamp.id == visit),
        move |v| {
            view! { <VisitForm child guardian_on_file=false plan=None assess=None shown=Some(v)/> }
                .into_any()
        },
    )
}

pub fn draft_key(child: DocId) -> String {
    format!("visit:{child}")
}

type Draft = RwSignal<VisitDraft>;

/// `assess`: the form asks for the guardianship assessment, with what the facts suggest.
/// `shown`: a stored visit to correct (更正), its follow-ups and assessment left as recorded.
#[component]
fn VisitForm(
    child: DocId,
    guardian_on_file: bool,
    plan: Option<String>,
    assess: Option<Option<guardianship::Kind>>,
    shown: Option<StoredVisit>,
) -> impl IntoView {
    // What is typed stays: the screen is not drawn anew while this form is on it.
    hold_redraw();
    let store = expect_context::<Store>();
    let submit = Submit::new();
    let today = chrono::Local::now().date_naive();
    let me = crate::prefs::me();
    let start = match &shown {
        Some(stored) => VisitDraft::of(&stored.visit),
        None => {
            let mut start = VisitDraft::start(today, &me, guardian_on_file, "");
            start.assessment = assess.map(|_| AssessmentDraft::default());
            start
        }
    };
    let correcting = shown.is_some();
    let split = shown
        .as_ref()
        .map(StoredVisit::conflicts_zh)
        .unwrap_or_default();
    let draft = RwSignal::new(start);
    let errors: Errors = RwSignal::new(Vec::new());
    let restored = RwSignal::new(false);
    let key = match &shown {
        Some(stored) => format!("correct:visit:{child}:{}", stored.stamp.id),
        None => draft_key(child),
    };
    let discard = autosave(key.clone(), draft, restored);
    let shown = StoredValue::new(shown.map(|s| (s.stamp.id, s.visit)));

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
        let calendar = store.settings().calendar_on(today).into_owned();
        let back = format!("/child/{child}/records");
        match shown.get_value() {
            Some((id, was)) => submit.run(
                typed.validate_correction(&was, today, &calendar),
                errors,
                move |visit| async move {
                    store
                        .correct_visit(child, id, (visit, was), &key)
                        .await
                },
                "已更正：家访记录".into(),
                back,
            ),
            None => submit.run(
                typed.validate(today, &calendar),
                errors,
                move |visit| async move { store.add_visit(child, visit, plan, &key).await },
                "已保存：家访记录".into(),
                back,
            ),
        }
    };

    let max = today.format("%Y-%m-%d").to_string();
    view! {
        <h2>{if correcting { "更正家访" } else { "记录家访" }}</h2>
        {split_notice(&split, "选定后保存即为准")}
        <form class="form" on:submit=on_submit novalidate>
            {restored_notice(restored, Some(discard))}
            {(!correcting).then(unsigned_notice)}
            {field(draft, errors, visit::VISIT_DATE, Some(max.clone()))}
            {field(draft, errors, visit::VISITORS, None)}
            {field(draft, errors, visit::WHO_MET, None)}
            {field(draft, errors, visit::PURPOSE, None)}
            {observations(draft, errors)}
            {field(draft, errors, visit::GUIDANCE, None)}
            {field(draft, errors, visit::REQUESTS, None)}
            {harm(draft, errors, max)}
            // A correction leaves the follow-ups as recorded: each is done or reopened on the
            // records screen, where when it was done is kept.
            {(!correcting).then(|| follow_ups(draft, errors))}
            {assess.map(|suggested| assessment(draft, errors, suggested))}
            {field(draft, errors, visit::NEXT_VISIT, None)}
            {submit.footer("保存家访记录")}
        </form>
    }
}

/// One field of the visit bound to its value in the draft (`Keyed`), drawn by its
/// kind: prose with phrases to tap, any other as the archive's control (a choice as chips); `max`
/// is the last day a date's picker offers.
fn field(draft: Draft, errors: Errors, field: FormField, max: Option<String>) -> AnyView {
    if field.spec.kind == Kind::Prose {
        return prose(draft, errors, field);
    }
    let key = field.key();
    let placed = Placed {
        id: format!("visit-{key}"),
        at: key.to_string(),
        label: field.form_label(),
        max,
        ..Placed::default()
    };
    keyed_field(draft, errors, field, placed)
}

/// 强制报告: whether harm was found; once reported, to whom and on which day; while it is not
/// yet, what the law asks of her now.
fn harm(draft: Draft, errors: Errors, max: String) -> impl IntoView {
    let chosen = move || draft.with(|d| d.harm.clone());
    view! {
        {field(draft, errors, visit::HARM, None)}
        {move || (chosen() == "pending").then(|| view! {
            <p class="status status-warn" role="status">{harm::URGE_ZH}</p>
        })}
        {move || (chosen() == "reported").then(|| view! {
            {field(draft, errors, visit::REPORTED_TO, None)}
            {field(draft, errors, visit::REPORTED_ON, Some(max.clone()))}
        })}
    }
}

/// The term's guardianship assessment: the type, then the grade (filled in where the type
/// leaves no choice), with what the archive's facts suggest named, never chosen for the teacher.
fn assessment(
    draft: Draft,
    errors: Errors,
    suggested: Option<guardianship::Kind>,
) -> impl IntoView {
    // A type that decides the grade sets it as soon as it is tapped (a grade tapped afterwards
    // that contradicts it is named at saving).
    let chosen = Memo::new(move |_| {
        draft.with(|d| guardianship::Kind::from_code(d.text(guardianship::KIND_FIELD)))
    });
    Effect::new(move |_| {
        if let Some(implied) = chosen
            .get()
            .and_then(guardianship::Kind::implied_assessment)
        {
            draft.update(|d| {
                if let Some(grade) = d.text_mut(guardianship::ASSESSMENT_FIELD) {
                    *grade = implied.code().to_string();
                }
            });
        }
    });
    view! {
        <section class="assessment" aria-labelledby="visit-assessment-title">
            <h3 id="visit-assessment-title">"监护情况（本学期尚未评估）"</h3>
            <p class="detail">"请按这次家访看到的情况选择；拿不准可以先不选，下次家访再评估。"</p>
            {suggested.map(|k| view! {
                <p class="detail">{format!("按档案中父母和监护人的情况，可能是“{}”，请按实际情况选择。", k.label_zh())}</p>
            })}
            {field(draft, errors, guardianship::KIND_ASKED, None)}
            {field(draft, errors, guardianship::ASSESSMENT_ASKED, None)}
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

/// The topics observed (at least one written), each a text with its phrases; a topic's problem
/// shows beneath them all.
fn observations(draft: Draft, errors: Errors) -> impl IntoView {
    let error_id = format!("visit-{}-error", visit::OBSERVATIONS.key());
    let topics = OBSERVATION_TOPICS
        .iter()
        .map(|(topic, label)| observation(draft, topic, label))
        .collect_view();
    view! {
        <fieldset class="field" aria-describedby=error_id.clone()>
            <legend>{visit::OBSERVATIONS.form_label()}</legend>
            {topics}
            {error_at(errors, visit::OBSERVATIONS.key(), error_id.clone())}
        </fieldset>
    }
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
    let edit = move |f: &dyn Fn(&mut String)| draft.update(|d| f(d.observation_mut(topic)));
    view! {
        <div class="observation">
            <label for=id.clone()>{label}</label>
            {phrase_chips(quick_phrases(topic), move |p| edit(&|v: &mut String| append_phrase(v, p)))}
            <textarea id=id rows="2" prop:value=text
                on:input=move |ev| { let typed = event_target_value(&ev); edit(&|v: &mut String| *v = typed.clone()) }></textarea>
        </div>
    }
}

/// A prose field of the visit with its phrases to tap. Its error line is drawn only while it
/// says something: only a text far too long has one, and an empty line would space the form out.
fn prose(draft: Draft, errors: Errors, field: FormField) -> AnyView {
    let key = field.key();
    let id = format!("visit-{key}");
    let error_id = format!("{id}-error");
    let has_error = move || aria_invalid(errors, key) == "true";
    let described = error_id.clone();
    let edit =
        move |f: &dyn Fn(&mut String)| draft.update(|d| d.text_mut(key).into_iter().for_each(f));
    let tap = move |p| edit(&|v: &mut String| append_phrase(v, p));
    view! {
        <div class="field">
            <label for=id.clone()>{field.form_label()}</label>
            {phrase_chips(quick_phrases(key), tap)}
            <textarea id=id rows="2" aria-describedby=move || has_error().then(|| described.clone())
                aria-invalid=move || aria_invalid(errors, key)
                prop:value=move || draft.with(|d| d.text(key).to_string())
                on:input=move |ev| { let typed = event_target_value(&ev); edit(&|v: &mut String| *v = typed.clone()) }></textarea>
            <Show when=has_error>{error_at(errors, key, error_id.clone())}</Show>
        </div>
    }
    .into_any()
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

/// A follow-up row: its fields (`visit::FOLLOW_UP`) bound to the row, errors at `followUps.<i>.<key>`.
fn follow_up_row(draft: Draft, errors: Errors, i: usize) -> impl IntoView {
    let rows = Rows {
        read: |d: &VisitDraft| &d.follow_ups,
        write: |d: &mut VisitDraft| &mut d.follow_ups,
    };
    let part = move |field: &FormField| {
        let key = field.key();
        let placed = Placed {
            id: format!("visit-followup-{i}-{key}"),
            at: format!("followUps.{i}.{key}"),
            label: field.row_label(i),
            ..Placed::default()
        };
        row_field(draft, errors, *field, placed, rows, i)
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
            {visit::FOLLOW_UP.iter().map(part).collect_view()}
            <button type="button" class="link" on:click=remove>"删除此事项"</button>
        </div>
    }
}
