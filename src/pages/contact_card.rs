//! 联系卡: the child's parents and guardians with one tap to call or text, and one more to record
//! the call; printable as a card.

use leptos::prelude::*;
use shouwang_core::archive::{choice_label, SectionId, Values, GUARDIAN};
use shouwang_core::phone::Phone;
use shouwang_core::schema::written::Written;
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::store::ArchiveView;

#[component]
pub fn ContactCardPage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=|id, view| card(id, view).into_any()/> }
}

fn card(id: DocId, view: &ArchiveView) -> impl IntoView {
    let basic = &view.record.basic;
    let mut people: Vec<(String, &Values, SectionId)> = vec![
        ("父亲".into(), &view.archive.father, SectionId::Father),
        ("母亲".into(), &view.archive.mother, SectionId::Mother),
    ];
    for (i, guardian) in view.archive.guardians.iter().enumerate() {
        let relation = guardian
            .get("relation")
            .map(|r| choice_label(&GUARDIAN[1], r))
            .unwrap_or_default();
        let role = if relation.is_empty() {
            SectionId::Guardian(i).title_zh()
        } else {
            format!("监护人（{relation}）")
        };
        people.push((role, guardian, SectionId::Guardian(i)));
    }
    // A number two teachers wrote differently while apart: the card gives both, each with who
    // wrote it, rather than dialling the one Automerge happened to pick.
    let disputed = |section: SectionId| -> Vec<Written> {
        view.conflicts
            .iter()
            .filter(|(s, _)| *s == section)
            .flat_map(|(_, found)| found.iter().filter(|c| c.key == "phone"))
            .flat_map(|c| c.values.clone())
            .collect()
    };
    let rows = people
        .into_iter()
        .filter(|(_, v, _)| {
            !v.get("name").map(String::is_empty).unwrap_or(true) || v.contains_key("phone")
        })
        .map(|(role, values, section)| person(role, values, disputed(section)))
        .collect_view();
    view! {
        <article class="contact-card">
            <h2>{format!("{} · {}", basic.name, basic.class_label_zh())}</h2>
            <p class="detail">{basic.village.clone()}</p>
            <ul class="contacts">{rows}</ul>
            // After the call, its record is one tap away (a call nobody answered too: 无人接听, 打不通).
            <nav class="child-links no-print" aria-label="记下这次联系">
                <a class="secondary" href=format!("/child/{id}/add/parentContacts")>"＋ 记录与家长联系"</a>
                <a class="secondary" href=format!("/child/{id}/add/familyContacts")>"＋ 记录亲情联系"</a>
            </nav>
            <button type="button" class="primary wide no-print" on:click=|_| print()>"打印联系卡"</button>
        </article>
    }
}

fn person(role: String, values: &Values, disputed: Vec<Written>) -> impl IntoView {
    let name = values.get("name").cloned().unwrap_or_default();
    let wechat = values.get("wechat").cloned().filter(|w| !w.is_empty());
    // Each number with who wrote it when two teachers disagree; the one number otherwise.
    let numbers: Vec<(Phone, Option<String>)> = if disputed.len() > 1 {
        disputed
            .iter()
            .filter_map(|w| Some((Phone::parse(&w.value).ok()?, w.by_zh())))
            .collect()
    } else {
        values
            .get("phone")
            .and_then(|p| Phone::parse(p).ok())
            .map(|phone| (phone, None))
            .into_iter()
            .collect()
    };
    let missing = numbers
        .is_empty()
        .then(|| view! { <span class="unset">"未登记有效电话"</span> });
    let note = (disputed.len() > 1).then(|| {
        view! { <div class="detail conflict-note">"两位老师登记的号码不同，打通后请在档案中保留正确的一个。"</div> }
    });
    let actions = numbers
        .into_iter()
        .map(|(phone, by)| {
            let number = phone.number.clone();
            let label = format!("拨打{role}{name}电话 {number}");
            view! {
                <div class="contact-actions">
                    <span class="phone">{number.clone()}</span>
                    {by.map(|by| view! { <span class="detail">{format!("（{by}填写）")}</span> })}
                    <a class="primary call" href=phone.tel_uri() aria-label=label>"拨打"</a>
                    {phone.sms_uri().map(|sms| view! { <a class="call" href=sms>"短信"</a> })}
                </div>
            }
        })
        .collect_view();
    view! {
        <li class="contact">
            <div><strong>{role.clone()}</strong>" "{name.clone()}</div>
            {note}
            {actions}
            {missing.map(|m| view! { <div class="contact-actions">{m}</div> })}
            {wechat.map(|w| view! { <div class="detail">{format!("微信：{w}")}</div> })}
        </li>
    }
}

pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
