//! 更正's first step: the stored record read from the child's records, then its form drawn filled
//! with it; a record no longer there, or records that cannot be read, said instead. And the note
//! on a record two phones corrected differently, on its form and on the timeline.

use leptos::prelude::*;
use shouwang_core::DocId;

use crate::store::records::RecordsView;
use crate::store::Store;

/// Reads the child's records, picks the record (`pick`) and draws `form` with it.
pub fn with_stored<T: Clone + 'static>(
    child: DocId,
    pick: impl FnOnce(RecordsView) -> Option<T> + 'static,
    form: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let found: RwSignal<Option<Result<T, String>>, LocalStorage> = RwSignal::new_local(None);
    leptos::task::spawn_local(async move {
        let read = match store.records(child).await {
            Ok(view) => pick(view).ok_or_else(|| "没有找到这条记录，可能已被删除。".to_string()),
            Err(err) => Err(format!("记录无法读取：{err}")),
        };
        found.set(Some(read));
    });
    move || match found.get() {
        None => view! { <p class="loading">"正在读取记录…"</p> }.into_any(),
        Some(Err(message)) => {
            view! { <p class="status status-error" role="alert">{message}</p> }.into_any()
        }
        Some(Ok(record)) => form(record),
    }
}

/// Two phones' different corrections of a record, each field with its values (`conflicts_zh`),
/// and `then`: what settles them. Nothing when there are none.
pub fn split_notice(split: &[String], then: &str) -> Option<impl IntoView> {
    (!split.is_empty()).then(|| {
        let said = format!(
            "两台手机分别更正为不同的内容：{}。{then}。",
            split.join("；")
        );
        view! { <p class="status status-warn" role="note">{said}</p> }
    })
}
