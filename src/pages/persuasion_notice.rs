//! The 劝返复学通知书 on an A4 page, filled from the archive and the ledger: the guardian, the
//! child and class, the day the absence began and the school days missed, the law that obliges
//! the family, a return date three days on, and a tear-off receipt for the guardian to sign.

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::pages::contact_card::print;
use crate::store::{ArchiveView, Store};

#[component]
pub fn NoticePage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=notice_view/> }
}

fn notice_view(id: DocId, view: &ArchiveView) -> AnyView {
    let name = view.record.basic.name.clone();
    let class = view.record.basic.class_label_zh();
    // The person the child lives with, or a parent; the guardian fills the receipt either way.
    let guardian = view
        .archive
        .guardians
        .first()
        .and_then(|g| g.get("name"))
        .or_else(|| view.archive.father.get("name"))
        .or_else(|| view.archive.mother.get("name"))
        .cloned()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "__________".into());
    view! { <Notice child=id name class guardian/> }.into_any()
}

fn cn_day(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

#[component]
fn Notice(child: DocId, name: String, class: String, guardian: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    let school = crate::prefs::enrolment()
        .map(|e| e.me.school.name)
        .unwrap_or_else(|| "__________学校".into());
    let ledger = LocalResource::new(move || {
        store.track_records(child);
        async move { store.ledger(child, today).await.map_err(|e| e.to_string()) }
    });
    let me = crate::prefs::me();
    let body = move || {
        let (name, class, guardian, school, me) = (
            name.clone(),
            class.clone(),
            guardian.clone(),
            school.clone(),
            me.clone(),
        );
        ledger.get().map(move |found| {
            let away = match found {
                Ok(l) => l.began.map(|b| (b, l.days_absent)),
                Err(_) => None,
            };
            let since = match away {
                Some((began, days)) => format!(
                    "自 {} 起未到校上课，至今已无故缺课 {days} 个上课日",
                    cn_day(began)
                ),
                None => "近期未到校上课".to_string(),
            };
            let by = cn_day(today + Duration::days(3));
            view! {
                <article class="print-sheet notice">
                    <h2 class="print-title">{school.clone()}</h2>
                    <h2 class="print-title">"劝返复学通知书"</h2>
                    <p>{format!("{guardian}（{name} 的家长/监护人）：")}</p>
                    <p class="indent">{format!("您的孩子 {name}（{class}）{since}。")}</p>
                    <p class="indent">"根据《中华人民共和国义务教育法》第五条和《中华人民共和国未成年人保护法》第十六条、第二十八条的规定，父母或者其他监护人应当依法保证适龄儿童、少年按时入学，接受并完成义务教育，不得使其辍学。"</p>
                    <p class="indent">{format!("请您接到本通知后，于 {by} 前送孩子返校上课。如有困难，请及时与学校联系，学校将尽力帮助解决。")}</p>
                    <p>{format!("联系人：{me}　　联系电话：____________")}</p>
                    <p class="sign">{format!("{school}（盖章）")}</p>
                    <p class="sign">{cn_day(today)}</p>
                    <hr class="cut"/>
                    <h3>"回执"</h3>
                    <p>{format!("本人已收到 {name} 的劝返复学通知书。")}</p>
                    <p>"家长/监护人签名：____________　　日期：____________"</p>
                    <button type="button" class="primary wide no-print" on:click=|_| print()>"打印"</button>
                </article>
            }
        })
    };
    view! { <Suspense fallback=|| view! { <p class="loading">"正在读取…"</p> }>{body}</Suspense> }
}
