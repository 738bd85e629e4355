//! On the care lead's 关爱检查: the children who left and whose records the school has kept past
//! its retention period (个人信息保护法 第十九条: no longer than needed), each a tap from its page,
//! where the lead erases it after checking nothing still needs it (`leaving::past_retention`).
//! Nothing when there are none.

use leptos::prelude::*;
use shouwang_core::leaving::past_retention;

use crate::store::Store;

#[component]
pub fn RetentionDue() -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    move || {
        let years = store.settings().retention_years;
        let departed = store.departed.get();
        let due = past_retention(departed, years, today);
        (store.me_is_lead() && !due.is_empty()).then(|| {
            let rows = due
                .into_iter()
                .map(|(entry, left, from)| {
                    let text = format!(
                        "{}（{} {}，{} 起可删除）",
                        entry.basic.name,
                        left.on.format("%Y-%m-%d"),
                        left.reason.label(),
                        from.format("%Y-%m-%d")
                    );
                    view! { <li><a href=format!("/child/{}", entry.id)>{text}</a></li> }
                })
                .collect_view();
            view! {
                <section class="card" id="retention-due" aria-labelledby="retention-title">
                    <h2 id="retention-title">{format!("离校儿童记录已过保存年限（{years} 年）")}</h2>
                    <p class="note">"个人信息保护法规定个人信息保存期限应为实现处理目的所必要的最短时间。请逐一核对，确无需要后在其档案的“学籍状态”中永久删除。"</p>
                    <ul class="plain-list">{rows}</ul>
                </section>
            }
        })
    }
}
