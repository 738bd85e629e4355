//! Before a home visit (计划家访, 记录家访): the guardian's consent not yet signed is said, with the
//! form to take along (`pages/consent_form.rs`) — the visit is when the guardian can sign it. On
//! 记录家访, a guardian who has just signed is recorded in one tap (`consent::signed_on_visit`), with
//! 撤销 beside what was stored: the teacher in the kitchen need not find the archive's form.

use leptos::prelude::*;
use shouwang_core::archive::{Archive, SectionId, Values};
use shouwang_core::consent::{self, Consent};
use shouwang_core::DocId;

use crate::components::tap_result::TapResult;
use crate::store::Store;

/// The reminder; `on_visit` adds the one tap for a form signed there and then.
pub fn consent_reminder(child: DocId, archive: &Archive, on_visit: bool) -> Option<impl IntoView> {
    let state = Consent::of(&archive.consent);
    let ask = matches!(state, Consent::Unrecorded | Consent::Verbal);
    let note = state.note_zh()?;
    let today = chrono::Local::now().date_naive();
    // Signed here: the reminder gives way to what was stored (the screen is not redrawn under an
    // open visit form, so it would still ask for the signature).
    let stored = RwSignal::new(false);
    let sign = on_visit
        .then(|| consent::signed_on_visit(archive, today))
        .flatten()
        .map(|signed| signed_here(child, archive.consent.clone(), signed, state, today, stored));
    let reminder = move || {
        (!stored.get()).then(|| {
            view! {
                <p class="status status-warn" role="status" id="consent-reminder">
                    {if ask {
                        view! {
                            {format!("监护人知情同意：{}。这次家访请带上", state.label_zh())}
                            <a href=format!("/child/{child}/consent")>"知情同意书"</a>
                            "，请监护人阅读并签字。"
                        }
                        .into_any()
                    } else {
                        note.into_any()
                    }}
                </p>
            }
        })
    };
    Some(view! { {reminder} {sign} })
}

/// 「…已在知情同意书上签字」: the consent section written as signed, or back as it was by 撤销.
/// The button stays away while the signature is stored (`stored`).
fn signed_here(
    child: DocId,
    before: Values,
    signed: Values,
    was: Consent,
    today: chrono::NaiveDate,
    stored: RwSignal<bool>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let tap = TapResult::new();
    let by = signed.get(consent::BY).cloned().unwrap_or_default();
    // `signed_on_visit` dates the signature today.
    let day = today.format("%-m月%-d日");
    let said = (
        format!("已保存：{by}已书面签字同意（{day}）"),
        format!("已撤销：监护人知情同意仍为{}", was.label_zh()),
    );
    let label = format!("{by}已在知情同意书上签字");
    let record = move |_| {
        let (before, signed) = (before.clone(), signed.clone());
        tap.run_reversible(None, said.clone(), move |on| {
            let (clean, shown) = if on {
                (signed.clone(), before.clone())
            } else {
                (before.clone(), signed.clone())
            };
            async move {
                let saved = store
                    .save_section(child, SectionId::Consent, clean, shown)
                    .await;
                if saved.is_ok() {
                    stored.set(on);
                }
                saved
            }
        });
    };
    view! {
        {move || (!stored.get()).then(|| view! {
            <button type="button" class="secondary wide" on:click=record.clone()>{label.clone()}</button>
        })}
        {tap.line()}
    }
}
