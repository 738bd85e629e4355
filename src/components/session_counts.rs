//! This term's group sessions counted by type (issue 17 item 7), said the same way on 关爱检查 and
//! on the 集体活动 list: 家长会 2 次，集体亲情视频 1 次.

use leptos::prelude::*;
use shouwang_core::sessions::count_by_kind;

use crate::store::sessions::SessionSummary;
use crate::store::Store;

/// The count line of the current term, or None outside term time.
pub fn term_counts_text(store: Store, all: &[SessionSummary]) -> Option<String> {
    let today = chrono::Local::now().date_naive();
    let term = store.settings().calendar_on(today).term_of(today)?;
    let counts = count_by_kind(all.iter().map(|s| &s.session), term);
    Some(if counts.is_empty() {
        "本学期还没有活动记录。".to_string()
    } else {
        let each: Vec<String> = counts
            .iter()
            .map(|(kind, n)| format!("{} {n} 次", kind.label_zh()))
            .collect();
        format!("本学期：{}", each.join("，"))
    })
}

/// The card on 关爱检查: this term's sessions by type, from the records this phone holds.
#[component]
pub fn SessionCounts() -> impl IntoView {
    let store = expect_context::<Store>();
    let text: RwSignal<Option<String>> = RwSignal::new(None);
    Effect::new(move |_| {
        store.remote_change.track();
        let children: Vec<_> = store.roster.with(|r| r.iter().map(|e| e.id).collect());
        leptos::task::spawn_local(async move {
            let line = match store.sessions(&children).await {
                Ok(all) => term_counts_text(store, &all),
                Err(e) => Some(format!("集体活动无法读取：{e}")),
            };
            text.set(line);
        });
    });
    view! {
        <section class="card" aria-labelledby="sessions-term-title">
            <h2 id="sessions-term-title">"集体活动与会议"</h2>
            <p class="count">{move || text.get().unwrap_or_else(|| "正在统计…".to_string())}</p>
            <a class="secondary" href="/sessions">"查看集体活动"</a>
        </section>
    }
}
