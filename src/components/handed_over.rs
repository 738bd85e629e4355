//! The children who left this teacher's list because the care lead ended her duty: said on the
//! roster once, with the assurance that her records on them reached the school, until she taps
//! 知道了 — a child must not just vanish from the list she works from. A child back on her list
//! is left out of it.

use leptos::prelude::*;

use crate::store::Store;

#[component]
pub fn HandedOver() -> impl IntoView {
    let store = expect_context::<Store>();
    let names = store.handed_over;
    move || {
        // A child handed back to her (the lead changed her mind) is on her list again: not said.
        let list: Vec<String> = store.roster.with(|roster| {
            names
                .get()
                .into_iter()
                .filter(|name| !roster.iter().any(|e| e.basic.name == *name))
                .collect()
        });
        (!list.is_empty()).then(|| {
            let said = format!(
                "{}已不再由你负责（关爱负责人调整了分工）：本机上的有关记录都已上传到学校，本机不再保存其档案。",
                list.join("、")
            );
            view! {
                <div class="status status-warn" role="status" id="handed-over">
                    <p>{said}</p>
                    <button type="button" on:click=move |_| {
                        leptos::task::spawn_local(store.dismiss_handed_over());
                    }>"知道了"</button>
                </div>
            }
        })
    }
}
