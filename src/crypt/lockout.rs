//! Wrong PINs in a row and the wait they impose (the core's rule), kept in localStorage so a
//! reload or a closed app does not reset the wait.

use gloo_storage::{LocalStorage, Storage};
use shouwang_core::pin::Lockout;

const KEY: &str = "shouwang.lockout";

pub fn load() -> Lockout {
    LocalStorage::get(KEY).unwrap_or_default()
}

/// Records a wrong PIN and returns the new state.
pub fn failed() -> Lockout {
    let next = load().failed(now_ms());
    // If localStorage refuses, the wait still holds for this page.
    let _ = LocalStorage::set(KEY, next);
    next
}

/// A right PIN clears the count.
pub fn clear() {
    LocalStorage::delete(KEY);
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
