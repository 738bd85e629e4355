//! Small per-device preferences in localStorage (gloo-storage): never records, only settings.

use gloo_storage::{LocalStorage, Storage};

const ACTOR: &str = "shouwang.actor";
const ME: &str = "shouwang.me";
const ME_ID: &str = "shouwang.meId";

/// This device's Automerge actor id. Every device needs its own, or two phones' concurrent
/// changes would collide; it is made once and kept.
pub fn actor() -> automerge::ActorId {
    if let Ok(hex) = LocalStorage::get::<String>(ACTOR) {
        if let Some(bytes) = from_hex(&hex) {
            return automerge::ActorId::from(bytes);
        }
    }
    let bytes = uuid::Uuid::new_v4().into_bytes().to_vec();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    // If localStorage is unavailable the id lasts for this session only, which is still correct.
    let _ = LocalStorage::set(ACTOR, hex);
    automerge::ActorId::from(bytes)
}

/// The name of the teacher using this device, shown as the author of every record.
pub fn me() -> String {
    LocalStorage::get::<String>(ME).unwrap_or_default()
}

/// The id of that teacher in the school's list ("" until one is chosen).
pub fn me_id() -> String {
    LocalStorage::get::<String>(ME_ID).unwrap_or_default()
}

/// Chooses who "me" is on this device, once: every record from now on shows this name.
pub fn set_me(id: &str, name: &str) -> Result<(), String> {
    LocalStorage::set(ME_ID, id)
        .and_then(|()| LocalStorage::set(ME, name.trim()))
        .map_err(|e| e.to_string())
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    (hex.len() == 32)
        .then(|| {
            (0..16)
                .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
                .collect()
        })
        .flatten()
}
