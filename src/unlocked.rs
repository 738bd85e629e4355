//! What the phone runs once it is unlocked — the store (documents, IndexedDB, sync), the roster
//! and the routes to every other screen — is a part of its own, cut out of the main wasm like a
//! group of screens (`lazy.rs`). The main wasm holds only what the first screen needs: the
//! gate, the PIN screens, the vault and the page's frame. So a phone's first open shows 设置 PIN
//! after a fifth of the download, and the rest comes while the teacher types her PIN (`fetch`,
//! from the lock screens). The gate reaches the store only through the functions here;
//! a call into the store from the main wasm would pull Automerge back into it.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::lazy::{part_fn, Opening};
use crate::store::documents::Documents;
use crate::store::{Loading, Store, StoreError};

/// A future made in the part and awaited by the gate.
type Later<T> = Pin<Box<dyn Future<Output = T>>>;

part_fn!(
    unlocked,
    /// Starts the store on the unlocked records.
    fn start_store(store: Store, documents: Result<Documents, StoreError>) -> () {
        leptos::task::spawn_local(store.start(documents));
    }
);

part_fn!(
    unlocked,
    fn draw_screens(store: Store) -> AnyView {
        crate::app::screens(store).into_any()
    }
);

part_fn!(
    unlocked,
    fn settle_store(store: Store) -> Later<bool> {
        Box::pin(store.settle())
    }
);

part_fn!(
    unlocked,
    fn wipe_store(store: Store) -> Later<Result<(), StoreError>> {
        Box::pin(store.wipe())
    }
);

part_fn!(
    unlocked,
    fn idle_minutes(store: Store) -> u32 {
        store.settings().idle_lock_minutes
    }
);

part_fn!(
    unlocked,
    /// Nothing but the part's coming.
    fn fetch_part() -> () {}
);

/// Fetches the part (once: the loader keeps it) while the teacher sets or types her PIN. A part
/// that cannot be had now is said when the screens open (`Unlocked`).
pub async fn fetch() {
    let _ = fetch_part().await;
}

/// Opens the store on the records the PIN unlocked.
pub async fn start(store: Store, documents: Result<Documents, StoreError>) {
    if start_store(store, documents).await.is_err() {
        store.loading.set(Loading::Failed(StoreError::Failed(
            NOT_DOWNLOADED.to_string(),
        )));
    }
}

/// Commits what is queued before the page goes; true when the page may go. A store that never
/// started has nothing queued.
pub async fn settle(store: Store) -> bool {
    match settle_store(store).await {
        Ok(settled) => settled.await,
        Err(_) => true,
    }
}

/// Erases everything the phone holds of the school (a revoked phone).
pub async fn wipe(store: Store) -> Result<(), String> {
    match wipe_store(store).await {
        Ok(wiped) => wiped.await.map_err(|err| err.to_string()),
        Err(_) => Err(NOT_DOWNLOADED.to_string()),
    }
}

/// The school's 自动锁定时间, or the default while the store cannot be reached.
pub async fn lock_after_minutes(store: Store) -> u32 {
    idle_minutes(store)
        .await
        .unwrap_or(shouwang_core::pin::IDLE_LOCK_MINUTES)
}

const NOT_DOWNLOADED: &str =
    "本机记录的程序还没有下载完，现在也连不上学校的服务器。本机已保存的记录不受影响，请连上网络后重新打开。";

/// The screens behind the PIN, drawn once their part is here; until then the page says it is
/// reading the records, as the store says next while it reads them.
#[component]
pub fn Unlocked(store: Store) -> impl IntoView {
    let screens = Suspend::new(async move {
        let _opening = Opening::begin();
        draw_screens(store).await.unwrap_or_else(|_| {
            view! {
                <main class="page">
                    <h1>"暂时打不开本机记录"</h1>
                    <p class="status status-error" role="alert">{NOT_DOWNLOADED}</p>
                    <button type="button" on:click=|_| crate::js::reload_page()>"重新打开"</button>
                </main>
            }
            .into_any()
        })
    });
    view! { <Suspense fallback=crate::app::reading_records>{screens}</Suspense> }
}
