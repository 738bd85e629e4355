//! The 知情同意书 on an A4 page, filled with the child, the class and the school: what the school
//! keeps about the child, who sees it, how long, and that consent can be withdrawn
//! (`consent::form_paragraphs_zh`), with lines for the guardian's answer and signature. The
//! teacher takes it on a home visit and records the answer in the archive's 监护人知情同意.

use leptos::prelude::*;
use shouwang_core::consent::{form_paragraphs_zh, Consent};
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::pages::contact_card::print;
use crate::store::ArchiveView;

#[component]
pub fn ConsentFormPage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=form_view/> }
}

fn form_view(_id: DocId, view: &ArchiveView) -> AnyView {
    let school = crate::prefs::enrolment()
        .map(|e| e.me.school.name)
        .unwrap_or_default();
    let (name, class) = (
        view.record.basic.name.clone(),
        view.record.basic.class_label_zh(),
    );
    let state = Consent::of(&view.archive.consent);
    let title_school = if school.trim().is_empty() {
        "__________学校".to_string()
    } else {
        school.clone()
    };
    let paragraphs = form_paragraphs_zh(&school)
        .into_iter()
        .map(|p| view! { <p class="indent">{p}</p> })
        .collect_view();
    view! {
        <p class="detail no-print">{format!(
            "目前记录：{}。打印后家访时请监护人阅读、勾选并签字，回校后在档案的“监护人知情同意”中记录，签字的同意书交学校存档。",
            state.label_zh()
        )}</p>
        <button type="button" class="primary wide no-print" on:click=|_| print()>"打印知情同意书"</button>
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
    .into_any()
}
