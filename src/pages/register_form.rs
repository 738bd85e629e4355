//! 登记表: the 2016 《农村留守儿童基本情况登记表》 of every child the official definition counts
//! 留守, as the bureau expects it — the form's columns in its order, signed off by 填表人 / 复核人
//! / 负责人 — exported as .xlsx, with its summary by age band shown here too.

use std::rc::Rc;

use leptos::prelude::*;
use shouwang_core::files::Job;
use shouwang_core::register_form::{summary, SignOff, TITLE};

use crate::js;
use crate::pages::report::table;
use crate::store::register_form::FormChildren;
use crate::store::Store;

#[component]
pub fn RegisterFormPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let gathered = RwSignal::new_local(None::<Result<Rc<FormChildren>, String>>);
    let progress = RwSignal::new((0, 0));
    leptos::task::spawn_local(async move {
        let read = store
            .form_children(|done, all| progress.set((done, all)))
            .await;
        gathered.set(Some(read.map(Rc::new).map_err(|e| e.to_string())));
    });
    let body = move || match gathered.get() {
        None => {
            let (done, all) = progress.get();
            view! { <p class="loading" role="status">{format!("正在读取档案…（{done} / {all} 名儿童）")}</p> }
                .into_any()
        }
        Some(Err(message)) => {
            view! { <p class="status status-error" role="alert">{message}</p> }.into_any()
        }
        Some(Ok(found)) => form(found).into_any(),
    };
    view! {
        <header class="topbar">
            <a class="back" href="/school" aria-label="返回学校统计">"‹ 统计"</a>
            <h1>"登记表"</h1>
        </header>
        <main class="page">
            <p class="hint">{format!(
                "《{TITLE}》（2016）：按官方定义的留守儿童（父母双方外出务工，或一方外出另一方无监护能力，不满十六周岁），每人一行，列的顺序与官方表格一致。"
            )}</p>
            {body}
        </main>
    }
}

fn form(found: Rc<FormChildren>) -> impl IntoView {
    let today = chrono::Local::now().date_naive();
    let sign = RwSignal::new(crate::prefs::sign_off());
    let problem = RwSignal::new(None::<String>);
    let count = found.children.len();
    let unreadable = (found.unreadable > 0).then(|| {
        view! { <p class="status status-error" role="alert">{format!("{} 名儿童的档案无法读取，未列入。", found.unreadable)}</p> }
    });
    let summary = summary::table(&found.children, today);
    let children = found.clone();
    let export = move |_| {
        let started = js::now_ms();
        let signed = sign.get_untracked();
        crate::prefs::set_sign_off(&signed);
        let job = Job::RegisterForm {
            children: children.children.clone(),
            sign: signed,
            today,
        };
        leptos::task::spawn_local(async move {
            let made = crate::files::download(&job, &file_name(today)).await;
            if made.is_ok() {
                js::record_measure("shouwang:register-form", started, js::now_ms());
            }
            problem.set(made.err());
        });
    };
    view! {
        <section class="card" aria-labelledby="register-count">
            <h2 id="register-count">{format!("共 {count} 名留守儿童列入登记表")}</h2>
            {unreadable}
            {sign_field("register-unit", "填报单位", |s| &mut s.unit, sign)}
            {sign_field("register-filled", "填表人", |s| &mut s.filled_by, sign)}
            {sign_field("register-checked", "复核人", |s| &mut s.checked_by, sign)}
            {sign_field("register-responsible", "负责人", |s| &mut s.responsible, sign)}
            <button type="button" class="primary wide" disabled=count == 0 on:click=export>"导出登记表（Excel）"</button>
            {move || problem.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
        </section>
        <section class="card" aria-label="按年龄段汇总">{table(&summary)}</section>
    }
}

fn sign_field(
    id: &'static str,
    label: &'static str,
    part: fn(&mut SignOff) -> &mut String,
    sign: RwSignal<SignOff>,
) -> impl IntoView {
    let value = move || sign.with(|s| part(&mut s.clone()).clone());
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" autocomplete="off" prop:value=value
                on:input=move |ev| sign.update(|s| *part(s) = event_target_value(&ev))/>
        </div>
    }
}

fn file_name(today: chrono::NaiveDate) -> String {
    crate::prefs::school_file_name(&format!("{TITLE}-{}.xlsx", today.format("%Y-%m-%d")))
}
