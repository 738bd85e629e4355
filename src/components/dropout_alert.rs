//! The roll-call's 疑似辍学 warning where a teacher and a care lead look every day (我的一周,
//! 关爱检查), not only inside 控辍保学: the children whose unexcused absences reached the school's
//! threshold and whose status is not recorded yet, with the way to 控辍保学. Nothing when none.

use leptos::prelude::*;

use crate::pages::dropouts::name_of;
use crate::store::attendance::Suspected;
use crate::store::Store;

/// The flagged children not yet registered, read again when a status is recorded: the one
/// reading behind this warning and 控辍保学's own list.
pub fn unregistered(store: Store) -> LocalResource<Result<Vec<Suspected>, String>> {
    let today = chrono::Local::now().date_naive();
    LocalResource::new(move || {
        store.statuses.track();
        async move {
            store
                .unregistered_dropouts(today)
                .await
                .map_err(|e| e.to_string())
        }
    })
}

#[component]
pub fn DropoutAlert() -> impl IntoView {
    let store = expect_context::<Store>();
    let found = unregistered(store);
    move || {
        // A failure to read is said on 控辍保学 itself; here the warning is only left out.
        let list = found.get().and_then(Result::ok).unwrap_or_default();
        (!list.is_empty()).then(|| {
            let names: Vec<String> = list.iter().map(|s| name_of(store, s.child)).collect();
            view! {
                <p class="status status-warn" role="status" id="dropout-alert">
                    {format!("考勤预警：{} 已达到疑似辍学标准，尚未登记。", names.join("、"))}
                    <a href="/dropouts">"去控辍保学"</a>
                </p>
            }
        })
    }
}
