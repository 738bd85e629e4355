//! The 知情同意书 on an A4 page, filled with the child, the class and the school: what the school
//! keeps about the child, who sees it, how long, and that consent can be withdrawn
//! (`consent::form_paragraphs_zh`), with lines for the guardian's answer and signature. The
//! teacher takes it on a home visit and records the answer in the archive's 监护人知情同意.
//! `/consent-forms` prints a class's at once, one a page, for the children not yet signed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shouwang_core::consent::{form_paragraphs_zh, Consent};
use shouwang_core::{DocId, RosterEntry};

use crate::components::child_shell::ChildShell;
use crate::pages::contact_card::print;
use crate::pages::session_new::{class_children, classes, parse_class};
use crate::prefs::school_name;
use crate::store::{ArchiveView, Store};

#[component]
pub fn ConsentFormPage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=form_view/> }
}

fn form_view(_id: DocId, view: &ArchiveView) -> AnyView {
    let basic = &view.record.basic;
    let state = Consent::of(&view.archive.consent);
    let class = format!("{}-{}", basic.grade, basic.class);
    view! {
        <p class="detail no-print">{format!(
            "目前记录：{}。打印后家访时请监护人阅读、勾选并签字，回校后在档案的“监护人知情同意”中记录，签字的同意书交学校存档。",
            state.label_zh()
        )}</p>
        <button type="button" class="primary wide no-print" on:click=|_| print()>"打印知情同意书"</button>
        <p class="no-print"><a href=format!("/consent-forms?class={class}")>"打印全班尚未签字的知情同意书"</a></p>
        {sheet(&school_name().unwrap_or_default(), &basic.name, &basic.class_label_zh())}
    }
    .into_any()
}

/// One form on paper.
fn sheet(school: &str, name: &str, class: &str) -> impl IntoView {
    let title_school = if school.trim().is_empty() {
        "__________学校".to_string()
    } else {
        school.to_string()
    };
    let paragraphs = form_paragraphs_zh(school)
        .into_iter()
        .map(|p| view! { <p class="indent">{p}</p> })
        .collect_view();
    view! {
        <article class="print-sheet consent-form">
            <h2 class="print-title">{title_school.clone()}</h2>
            <h2 class="print-title">"留守儿童关爱信息知情同意书"</h2>
            <p>{format!("儿童姓名：{name}　　班级：{class}")}</p>
            {paragraphs}
            <p>"监护人意见（请在□内打“√”）："</p>
            <p class="indent">"□ 我已阅读并了解以上内容，同意学校为孩子建立档案并记录关爱情况。"</p>
            <p class="indent">"□ 我不同意。"</p>
            <p>"监护人签名：____________　　与儿童关系：________"</p>
            <p>"联系电话：____________　　日期：______年____月____日"</p>
            <p class="sign">{format!("{title_school}（盖章）")}</p>
        </article>
    }
}

/// A class's forms for the children whose guardian has not signed, one a page; without a class
/// in the address, the classes to choose from with how many each still has to ask.
#[component]
pub fn ConsentFormsPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let class = use_query_map().with_untracked(|q| q.get("class").and_then(|c| parse_class(&c)));
    let unsigned = move |key| -> Vec<RosterEntry> {
        class_children(store, key)
            .into_iter()
            .filter(|e| e.flags.consent != Consent::Signed)
            .collect()
    };
    let body = match class {
        None => {
            let rows = classes(store)
                .into_iter()
                .map(|(key, label)| {
                    let n = unsigned(key).len();
                    view! {
                        <li><a href=format!("/consent-forms?class={}-{}", key.0, key.1)>{format!("{label}（尚未签字 {n} 人）")}</a></li>
                    }
                })
                .collect_view();
            view! {
                <p class="detail">"按班级打印尚未书面签字同意的儿童的知情同意书，每人一页，家访或家长会时请监护人签字。"</p>
                <ul class="plain-list" id="consent-classes">{rows}</ul>
            }
            .into_any()
        }
        Some(key) => {
            let children = unsigned(key);
            let school = school_name().unwrap_or_default();
            let count = children.len();
            let sheets = children
                .iter()
                .map(|e| sheet(&school, &e.basic.name, &e.basic.class_label_zh()))
                .collect_view();
            view! {
                <p class="detail no-print" id="consent-batch">{format!("共 {count} 份，每名儿童一页。")}</p>
                {(count > 0).then(|| view! {
                    <button type="button" class="primary wide no-print" on:click=|_| print()>"打印"</button>
                })}
                <div class="print-batch">{sheets}</div>
            }
            .into_any()
        }
    };
    view! {
        <header class="topbar no-print">
            <a class="back" href="/school" aria-label="返回学校统计">"‹ 统计"</a>
            <h1>"知情同意书"</h1>
        </header>
        <main class="page">{body}</main>
    }
}
