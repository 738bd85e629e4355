//! The school's other children below the roster: those whose documents are not on this phone,
//! as the school's index lists them to every teacher — name and class, nothing more (need to
//! know). A teacher sees who is in the school; the care lead decides who works with whom. A
//! search on the roster finds among them too.

use leptos::prelude::*;
use shouwang_core::roster::Listing;

use shouwang_core::search::NameKey;

use crate::pages::roster::{Searching, DRAW_WHOLE};
use crate::store::Store;

#[component]
pub fn OtherChildren() -> impl IntoView {
    let store = expect_context::<Store>();
    // A search above finds among them too (the teacher looking for a child of another class).
    let query = use_context::<Searching>()
        .map(|Searching(typed)| typed)
        .unwrap_or_else(|| RwSignal::new(String::new()));
    let searching = Memo::new(move |_| query.with(|q| !q.trim().is_empty()));
    // Pinyin keys once per list change, not per keystroke.
    let keyed = Memo::new(move |_| {
        store.others.with(|others| {
            others
                .iter()
                .map(|child| (child.clone(), NameKey::new(&child.name)))
                .collect::<Vec<_>>()
        })
    });
    let found = Memo::new(move |_| {
        let typed = query.get();
        keyed.with(|all| {
            all.iter()
                .filter(|(_, key)| typed.trim().is_empty() || key.matches(&typed))
                .map(|(child, _)| child.clone())
                .collect::<Vec<Listing>>()
        })
    });
    let count = Memo::new(move |_| store.others.with(Vec::len));
    // A class's handful of names is shown open. A school's hundreds start folded and are drawn
    // only while open: as an open list every roster visit laid out 600 links below the
    // teacher's own class, and a lead's first sync drew them all when the school's index came
    // and again as the children arrived (tasks of 95 ms in the W-school bench).
    // Until the teacher opens or folds it, the count decides (the lists may arrive after the
    // screen is drawn).
    let chosen = RwSignal::new(None::<bool>);
    let open = Memo::new(move |_| chosen.get().unwrap_or(count.get() <= DRAW_WHOLE));
    let rows = move || {
        found.with(|others| {
            others
                .iter()
                .map(|child| (child.clone(), child.class_label_zh()))
                .collect::<Vec<_>>()
        })
    };
    let list = move || {
        view! {
            <ul class="plain-list">
                <For each=rows key=|(child, class)| (child.id, child.name.clone(), class.clone())
                    children=|(child, class): (Listing, String)| view! {
                        <li><a href=format!("/child/{}", child.id)>
                            {format!("{} · {class}", child.name)}
                        </a></li>
                    }/>
            </ul>
        }
    };
    let hint =
        || view! { <p class="hint">"只显示姓名和班级。档案只给负责教师和关爱负责人查看。"</p> };
    let any = Memo::new(move |_| count.get() > 0);
    move || {
        if !any.get() {
            return None;
        }
        // What a search found is shown as a plain list, never inside the folded one: its open
        // state is the teacher's alone, and a search that opened it raced her last fold (the
        // browser's toggle event comes a task later) and once left the results folded away.
        if searching.get() {
            return Some(
                view! {
                    <section class="card others" aria-labelledby="others-found">
                        <h2 id="others-found" class="others-title">{move || format!(
                            "本校其他儿童（找到 {} 名，共 {} 名）",
                            found.with(Vec::len),
                            count.get()
                        )}</h2>
                        {hint()}
                        {list()}
                    </section>
                }
                .into_any(),
            );
        }
        Some(
            view! {
                <details class="card others" prop:open=open on:toggle=move |ev| {
                    // The toggle event also follows the app's own setting of `open`.
                    let now = event_target::<web_sys::Element>(&ev).has_attribute("open");
                    if now != open.get_untracked() {
                        chosen.set(Some(now));
                    }
                }>
                    <summary>{move || format!("本校其他儿童（{} 名）", count.get())}</summary>
                    {hint()}
                    <Show when=move || open.get()>{list()}</Show>
                </details>
            }
            .into_any(),
        )
    }
}
