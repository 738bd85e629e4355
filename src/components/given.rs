//! The children the care lead newly gave this teacher (a class taken over, a pairing): named on
//! the roster with the duty, class by class, until she taps 知道了 — a new 班主任 learns she is
//! one from her phone, not from strangers on her list. A child whose documents have not reached
//! the phone yet is named once they have.

use leptos::prelude::*;
use shouwang_core::given::{lines_zh, GivenChild};

use crate::store::Store;

#[component]
pub fn Given() -> impl IntoView {
    let store = expect_context::<Store>();
    move || {
        let news = store.given.get();
        let children: Vec<GivenChild> = store.roster.with(|roster| {
            roster
                .iter()
                .filter_map(|line| Some((line, news.get(&line.id)?)))
                .flat_map(|(line, duties)| {
                    duties.iter().map(|duty| GivenChild {
                        name: line.basic.name.clone(),
                        class: line.basic.class_label_zh(),
                        duty: *duty,
                    })
                })
                .collect()
        });
        (!children.is_empty()).then(|| {
            let lines = lines_zh(&children)
                .into_iter()
                .map(|line| view! { <li>{line}</li> })
                .collect_view();
            view! {
                <div class="status status-ok" role="status" id="given">
                    <p>"关爱负责人把这些儿童交给了你，他们的档案和记录已在本机："</p>
                    <ul>{lines}</ul>
                    <button type="button" on:click=move |_| {
                        leptos::task::spawn_local(store.dismiss_given());
                    }>"知道了"</button>
                </div>
            }
        })
    }
}
