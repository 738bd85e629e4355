//! The pairing screen's 整班班主任 card (care lead only): name a whole class's 班主任 once, and
//! every child of the class — those already there and those who join later — goes to them.

use leptos::prelude::*;
use shouwang_core::child::grade_label_zh;
use shouwang_core::input::InputError;

use crate::components::input_error::{dom_id, error_line, Errors};
use crate::components::submit::Submit;
use crate::components::tap_result::TapResult;
use crate::store::Store;

/// The form's two choices, as the places of their errors.
const CLASS: &str = "classTeacherClass";
const TEACHER: &str = "classTeacherTeacher";

fn class_label((grade, class): (u32, u32)) -> String {
    format!("{}{}班", grade_label_zh(grade), class)
}

#[component]
pub fn ClassTeacherCard() -> impl IntoView {
    let store = expect_context::<Store>();
    let class = RwSignal::new(String::new());
    let teacher = RwSignal::new(String::new());
    let errors: Errors = RwSignal::new(Vec::new());
    let submit = Submit::new();
    let tap = TapResult::new();
    // Redrawn whenever the directory changes (duties are read from it at the same time).
    let current = Memo::new(move |_| {
        store.assignments.track();
        store.class_teachers()
    });
    let classes = Memo::new(move |_| {
        let mut all: Vec<(u32, u32)> = store
            .roster
            .with(|r| r.iter().map(|e| (e.basic.grade, e.basic.class)).collect());
        shouwang_core::sort::sort(&mut all);
        all.dedup();
        all
    });
    let name_of = move |id: &str| {
        store
            .teachers
            .with_untracked(|all| shouwang_core::teachers::name_of(all, id))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = class
            .get_untracked()
            .split_once('-')
            .and_then(|(g, c)| Some((g.parse::<u32>().ok()?, c.parse::<u32>().ok()?)));
        let who = teacher.get_untracked();
        let mut found = Vec::new();
        if chosen.is_none() {
            found.push(InputError::not_chosen(CLASS, "班级"));
        }
        if who.is_empty() {
            found.push(InputError::not_chosen(TEACHER, "教师"));
        }
        let checked = chosen.filter(|_| found.is_empty()).ok_or(found);
        let done = checked.as_ref().map_or_else(
            |_| String::new(),
            |c| format!("已保存：{}是{}的班主任", name_of(&who), class_label(*c)),
        );
        submit.run_here(
            checked,
            errors,
            move |chosen| store.set_class_teacher(chosen, who),
            done,
        );
    };
    let remove = move |class: (u32, u32), who: String| {
        let said = format!(
            "已保存：{}不再是{}的班主任",
            name_of(&who),
            class_label(class)
        );
        tap.run(said, store.remove_class_teacher(class, who));
    };
    view! {
        <section class="card" aria-labelledby="class-teacher-title">
            <h2 id="class-teacher-title">"整班班主任"</h2>
            <p class="hint">"设定后，这个班现有和以后转入的儿童都由这位教师担任班主任。"</p>
            <ul class="plain-list">
                {move || current.get().into_iter().flat_map(|(c, ids)| ids.into_iter().map(move |id| (c, id))).map(|(c, id)| {
                    let label = format!("{}：{}", class_label(c), name_of(&id));
                    let aria = format!("取消{label}");
                    view! {
                        <li class="row-with-action">
                            <span>{label}</span>
                            <button type="button" class="secondary" aria-label=aria
                                on:click=move |_| remove(c, id.clone())>"取消"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {tap.line()}
            <form class="form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="class-teacher-class">"班级"</label>
                    <select id="class-teacher-class" aria-describedby=format!("{}-error", dom_id(CLASS))
                        on:change=move |ev| class.set(event_target_value(&ev))>
                        <option value="">"请选择"</option>
                        {move || classes.get().into_iter().map(|(g, c)| view! {
                            <option value=format!("{g}-{c}")>{class_label((g, c))}</option>
                        }).collect_view()}
                    </select>
                    {error_line(errors, CLASS.into())}
                </div>
                <div class="field">
                    <label for="class-teacher-teacher">"教师"</label>
                    <select id="class-teacher-teacher" aria-describedby=format!("{}-error", dom_id(TEACHER))
                        on:change=move |ev| teacher.set(event_target_value(&ev))>
                        <option value="">"请选择"</option>
                        {move || store.teachers_at_school().into_iter().map(|t| view! {
                            <option value=t.id.clone()>{t.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    {error_line(errors, TEACHER.into())}
                </div>
                {submit.inline_footer("设为班主任")}
            </form>
        </section>
    }
}
