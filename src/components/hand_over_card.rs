//! The pairing screen's 整体交接 card (care lead only): a teacher leaving mid-term hands every
//! child she looks after, and every class she is 班主任 of, to another teacher in one step, after a
//! question naming how many — instead of child by child.

use leptos::prelude::*;
use shouwang_core::input::{InputError, Issue};

use crate::components::input_error::Errors;
use crate::components::submit::Submit;
use crate::components::teacher_select::TeacherSelect;
use crate::store::Store;

const FROM: &str = "handOverFrom";
const TO: &str = "handOverTo";

#[component]
pub fn HandOverCard() -> impl IntoView {
    let store = expect_context::<Store>();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let errors: Errors = RwSignal::new(Vec::new());
    let submit = Submit::new();
    let name_of = move |id: &str| {
        store
            .teachers
            .with_untracked(|all| shouwang_core::teachers::name_of(all, id))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (leaving, taking) = (from.get_untracked(), to.get_untracked());
        let mut found = Vec::new();
        if leaving.is_empty() {
            found.push(InputError::not_chosen(FROM, "交出的老师"));
        }
        if taking.is_empty() {
            found.push(InputError::not_chosen(TO, "接手的老师"));
        } else if taking == leaving {
            found.push(InputError::new(
                TO,
                "接手的老师",
                Issue::Said("请选择另一位老师接手".into()),
            ));
        }
        // Each child once, however many duties she holds towards it.
        let children = store
            .assignments
            .with_untracked(|a| a.children_of(&leaving).count());
        let (leaving_name, taking_name) = (name_of(&leaving), name_of(&taking));
        let classes = store
            .class_teachers()
            .values()
            .any(|t| t.contains(&leaving));
        if !leaving.is_empty() && children == 0 && !classes {
            found.push(InputError::new(
                FROM,
                "交出的老师",
                Issue::Said(format!("{leaving_name}现在没有负责的儿童，无需交接")),
            ));
        }
        if found.is_empty()
            && !crate::js::confirm(&format!(
                "把{leaving_name}负责的 {children} 名儿童（和所任的班主任）全部交给{taking_name}？{leaving_name}的职责即时结束。"
            ))
        {
            return;
        }
        let checked = if found.is_empty() { Ok(()) } else { Err(found) };
        submit.run_here(
            checked,
            errors,
            move |()| store.hand_over(leaving, taking),
            format!("已交接：{leaving_name}负责的 {children} 名儿童已交给{taking_name}"),
        );
    };
    view! {
        <section class="card" aria-labelledby="hand-over-title">
            <h2 id="hand-over-title">"整体交接（老师调走时）"</h2>
            <p class="detail">"把一位老师负责的全部儿童和所任班主任一次交给另一位老师。"</p>
            <form class="form" on:submit=on_submit novalidate>
                <TeacherSelect id=FROM label="交出的老师" value=from errors/>
                <TeacherSelect id=TO label="接手的老师" value=to errors/>
                {submit.inline_footer("交接")}
            </form>
        </section>
    }
}
