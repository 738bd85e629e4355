//! Said above the school's figures on a teacher's phone: it keeps only her own children's
//! archives and records, so what it counts is her part of the school, not the school — read
//! without this line, "留守儿童 4 人" beside the lead's 12 looks like a wrong number.

use leptos::prelude::*;

use crate::store::Store;

#[component]
pub fn PartialNotice() -> impl IntoView {
    let store = expect_context::<Store>();
    let partial = store.sync.enrolment.with_untracked(Option::is_some) && !store.me_is_lead();
    partial.then(|| {
        view! {
            <p class="note" id="partial-figures">
                "本机只保存你负责的儿童的档案和记录，以下数字只统计这些儿童；全校的数字以关爱负责人手机上的为准。"
            </p>
        }
    })
}
