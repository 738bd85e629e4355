//! What the phone runs once it is unlocked — the store (documents, IndexedDB, sync), the roster
//! and the routes to every other screen — is a part of its own, cut out of the main wasm like a
//! group of screens (`lazy.rs`). The main wasm holds only what the first screen needs: the
//! gate, the PIN screens, the vault and the page's frame. So a phone's first open shows 设置 PIN
//! after a third of the download, and the rest comes while the teacher types her PIN
//! (`warm`, from the lock screens). The gate reaches the store only through the functions here;
//! a call into the store from the main wasm would pull Automerge back into it.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use crate::lazy::Opening;
use crate::store::documents::Documents;
use crate::store::{Loading, Store, StoreError};

/// A future made in the part and awaited by the gate.
type Later<T> = Pin<Box<dyn Future<Output = T>>>;

/// Starts the store on the unlocked records: its part is fetched first if it has not come yet.
#[wasm_split(unlocked, wasm_split_path = ::leptos::wasm_split, fallible, preload(fetch_part))]
fn start_store(
    store: Store,
    documents: Result<Documents, StoreError>,
) -> Result<(), SplitLoaderError> {
    leptos::task::spawn_local(store.start(documents));
    Ok(())
}

#[wasm_split(unlocked, wasm_split_path = ::leptos::wasm_split, fallible)]
fn draw_screens(store: Store) -> Result<AnyView, SplitLoaderError> {
    Ok(crate::app::screens(store).into_any())
}

#[wasm_split(unlocked, wasm_split_path = ::leptos::wasm_split, fallible)]
fn settle_store(store: Store) -> Result<Later<bool>, SplitLoaderError> {
    Ok(Box::pin(store.settle()))
}

#[wasm_split(unlocked, wasm_split_path = ::leptos::wasm_split, fallible)]
fn wipe_store(store: Store) -> Result<Later<Result<(), StoreError>>, SplitLoaderError> {
    Ok(Box::pin(store.wipe()))
}

#[wasm_split(unlocked, wasm_split_path = ::leptos::wasm_split, fallible)]
fn idle_minutes(store: Store) -> Result<u32, SplitLoaderError> {
    Ok(store.settings().idle_lock_minutes)
}

/// Fetches the part while the teacher sets or types her PIN, once per page; a part that cannot be
/// had now is said when the screens open (`Unlocked`).
pub fn warm() {
    thread_local!(static WARMED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if WARMED.replace(true) {
        return;
    }
    leptos::task::spawn_local(async {
        let _ = fetch_part().await;
    });
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

/// The screens behind the PIN, drawn once their part is here.
#[component]
pub fn Unlocked(store: Store) -> impl IntoView {
    Suspend::new(async move {
        let _opening = Opening::begin();
        draw_screens(store).await.unwrap_or_else(|_| {
            view! {
                <main class="page">
                    <h1>"暂时打不开本机记录"</h1>
                    <p class="status status-error" role="alert">{NOT_DOWNLOADED}</p>
                    <button type="button" on:click=|_| reload()>"重新打开"</button>
                </main>
            }
            .into_any()
        })
    })
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
