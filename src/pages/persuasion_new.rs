//! Recording one 劝返 attempt: date, how, who went, with whom they spoke, the outcome, what
//! happened and the next step — checked against the day the child's absence began. What is typed
//! is kept as a draft (the phone locking itself, a reload or 返回 loses nothing) until it is saved.

use leptos::prelude::*;
use shouwang_core::archive::Kind;
use shouwang_core::input::InputError;
use shouwang_core::persuasion::{AttemptDraft, Method, Outcome};
use shouwang_core::DocId;

use crate::components::child_shell::{hold_redraw, ChildShell};
use crate::components::choice_chips::chip_field;
use crate::components::draft::{autosave, restored_notice};
use crate::components::input_error::{error_line, Errors};
use crate::components::spec_field::labelled_input;
use crate::components::submit::Submit;
use crate::store::{ArchiveView, Store};

#[component]
pub fn NewAttemptPage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=form_view/> }
}

fn form_view(id: DocId, view: &ArchiveView) -> AnyView {
    let name = view.record.basic.name.clone();
    view! { <AttemptForm child=id name/> }.into_any()
}

/// A text field of the draft, bound by a getter and a setter.
type Bind = (fn(&AttemptDraft) -> String, fn(&mut AttemptDraft, String));

#[component]
fn AttemptForm(child: DocId, name: String) -> impl IntoView {
    // What is typed stays: the screen is not drawn anew while this form is on it.
    hold_redraw();
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    let submit = Submit::new();
    let draft = RwSignal::new(AttemptDraft {
        on: today.format("%Y-%m-%d").to_string(),
        ..AttemptDraft::default()
    });
    let errors: Errors = RwSignal::new(Vec::<InputError>::new());
    let restored = RwSignal::new(false);
    // The key carries the child's id: an erased child's draft goes with her.
    let key = format!("persuasion:{child}");
    let discard = autosave(key.clone(), draft, restored);
    let ledger = LocalResource::new(move || async move {
        store.ledger(child, today).await.map_err(|e| e.to_string())
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(Ok(found)) = ledger.get_untracked() else {
            return;
        };
        let Some(began) = found.began else {
            return;
        };
        let by = crate::prefs::me();
        let key = key.clone();
        submit.run(
            draft.get_untracked().validate(began, today, &by),
            errors,
            move |attempt| async move { store.add_attempt(child, attempt, &key).await },
            "已保存：劝返记录".to_string(),
            format!("/child/{child}/persuasion"),
        );
    };
    let text = move |label: &str, key: &str, kind: Kind, (get, set): Bind| {
        labelled_input(
            label.into(),
            key.into(),
            kind,
            Signal::derive(move || draft.with(get)),
            move |v| draft.update(|d| set(d, v)),
            errors,
        )
    };
    let outcomes = Outcome::ALL
        .map(|o| view! { <option value=o.code()>{o.label()}</option> })
        .collect_view();
    let form = view! {
        <form class="form" on:submit=on_submit novalidate>
            {restored_notice(restored, Some(discard))}
            {text("劝返日期", "on", Kind::Date, (|d| d.on.clone(), |d, v| d.on = v))}
            {chip_field("劝返方式", "method", Method::ALL.iter().map(|m| (m.code(), m.label())).collect(),
                Signal::derive(move || draft.with(|d| d.method.clone())),
                move |v| draft.update(|d| d.method = v), errors)}
            {text("参与人员", "people", Kind::Text, (|d| d.people.clone(), |d, v| d.people = v))}
            {text("劝返对象", "withWhom", Kind::Text, (|d| d.with_whom.clone(), |d, v| d.with_whom = v))}
            <div class="field">
                <label for="f-outcome">"结果"</label>
                <select id="f-outcome" aria-describedby="f-outcome-error"
                    prop:value=move || draft.with(|d| d.outcome.clone())
                    on:change=move |ev| draft.update(|d| d.outcome = event_target_value(&ev))>
                    <option value="">"请选择"</option>
                    {outcomes}
                </select>
                {error_line(errors, "outcome".into())}
            </div>
            {text("情况说明", "note", Kind::Prose, (|d| d.note.clone(), |d, v| d.note = v))}
            {text("下一步", "nextStep", Kind::Text, (|d| d.next_step.clone(), |d, v| d.next_step = v))}
            {submit.footer("保存劝返记录")}
        </form>
    };
    let ready = move || {
        ledger.get().map(|found| match found {
            Ok(l) if l.began.is_some() => None,
            Ok(_) => Some("该儿童没有无故缺勤或疑似辍学记录，无需劝返。".to_string()),
            Err(e) => Some(e),
        })
    };
    view! {
        <h2>{format!("{name} · 记录一次劝返")}</h2>
        {move || ready().flatten().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
        {form}
    }
}
