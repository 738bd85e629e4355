//! Before a home visit (计划家访, 记录家访): the guardian's consent not yet signed is said, with the
//! form to take along (`pages/consent_form.rs`) — the visit is when the guardian can sign it.

use leptos::prelude::*;
use shouwang_core::archive::Archive;
use shouwang_core::consent::Consent;
use shouwang_core::DocId;

pub fn consent_reminder(child: DocId, archive: &Archive) -> Option<impl IntoView> {
    let state = Consent::of(&archive.consent);
    let ask = matches!(state, Consent::Unrecorded | Consent::Verbal);
    let note = state.note_zh()?;
    Some(view! {
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
    })
}
