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

/// A county officer's login on this browser (`pages::county`).
pub const COUNTY_LOGIN: &str = "shouwang.county";

/// Whether this browser is a county officer's and no teacher's: the app opens on the county's
/// screen, which needs no PIN, instead of asking for one to guard records it will never hold.
pub fn county_officer_only() -> bool {
    LocalStorage::raw()
        .get_item(COUNTY_LOGIN)
        .ok()
        .flatten()
        .is_some()
        && enrolment().is_none()
}

/// A file's name for the bureau: the enrolled school's name first, so a county office's folder of
/// many schools' workbooks says whose each is.
pub fn school_file_name(name: &str) -> String {
    match school_name() {
        Some(school) => format!("{school}-{name}"),
        None => name.to_string(),
    }
}

/// The school's name, as its server gave it at enrolment; `None` on a phone kept on its own.
pub fn school_name() -> Option<String> {
    enrolment()
        .map(|e| e.me.school.name)
        .filter(|name| !name.is_empty())
}

const ENROLMENT: &str = "shouwang.enrolment";
const LAST_SYNC: &str = "shouwang.lastSync";
const SYNCED_HEADS: &str = "shouwang.syncedHeads";
const SYNCED_SERVER: &str = "shouwang.syncedServer";

/// This device's enrolment with its school's server (token, peer id, school, teacher), if any.
/// The token comes from memory, opened with the PIN (`crypt::token`); kept here it is blank.
pub fn enrolment() -> Option<crate::sync::api::Enrolment> {
    let mut enrolment: crate::sync::api::Enrolment = LocalStorage::get(ENROLMENT).ok()?;
    enrolment.token = crate::crypt::token::get().unwrap_or_default();
    Some(enrolment)
}

/// Keeps the enrolment without its token (see [`keep_token`]).
pub fn set_enrolment(enrolment: &crate::sync::api::Enrolment) -> Result<(), String> {
    let mut plain = enrolment.clone();
    plain.token = String::new();
    LocalStorage::set(ENROLMENT, plain).map_err(|e| e.to_string())
}

/// Seals a new device token under the unlocked data key.
pub async fn keep_token(token: &str) -> Result<(), String> {
    let cipher = crate::crypt::session::cipher().ok_or("本机已锁定")?;
    crate::crypt::token::keep(&cipher, token).await
}

/// Opens the sealed token after the PIN; a token an older version kept in the clear is sealed
/// now and blanked in the enrolment.
pub async fn open_token(cipher: &crate::crypt::cipher::Cipher) -> Result<(), String> {
    let legacy: Option<crate::sync::api::Enrolment> = LocalStorage::get(ENROLMENT).ok();
    let plain_token = legacy.as_ref().map(|e| e.token.clone());
    crate::crypt::token::unseal(cipher, plain_token).await?;
    if let Some(legacy) = legacy.filter(|e| !e.token.is_empty()) {
        set_enrolment(&legacy)?;
    }
    Ok(())
}

const LOCKED: &str = "shouwang.locked";

/// Keeps whether the phone has a PIN, for the page's lock screen that shows before the app has
/// started (`public/boot.js`). Nothing secret: the lock screen says as much.
pub fn set_locked(locked: bool) {
    if locked {
        // Refused by localStorage, the page only waits for the app's own lock screen.
        let _ = LocalStorage::set(LOCKED, true);
    } else {
        LocalStorage::delete(LOCKED);
    }
}

const WIPED: &str = "shouwang.wiped";

/// Whether this phone erased itself after the school revoked it (shown until the teacher
/// starts again).
pub fn wiped() -> bool {
    LocalStorage::get::<bool>(WIPED).unwrap_or(false)
}

pub fn set_wiped(wiped: bool) {
    if wiped {
        // If localStorage refuses, the erase itself still happens; only the notice is lost.
        let _ = LocalStorage::set(WIPED, true);
    } else {
        LocalStorage::delete(WIPED);
    }
}

/// Forgets everything that tied this phone to its school and its teacher: enrolment, token,
/// "me", what was last synced. The actor id stays (it names no one).
pub fn forget_device() {
    crate::crypt::token::erase();
    for key in [ENROLMENT, ME, ME_ID, LAST_SYNC, SYNCED_HEADS, SYNCED_SERVER] {
        LocalStorage::delete(key);
    }
}

/// When the exchange with the server last completed (ms since the epoch).
pub fn last_sync() -> Option<f64> {
    LocalStorage::get(LAST_SYNC).ok()
}

pub fn set_last_sync(ms: f64) {
    // Losing this only shows an older time; the documents are unaffected.
    let _ = LocalStorage::set(LAST_SYNC, ms);
}

/// The heads the server was last seen to have, per document, and which server that was: they
/// tell the teacher which documents hold changes not yet at school, and let a changed document's
/// first message to that same server carry its changes. Heads kept by a version that did not
/// keep the server come with `None`.
pub fn synced_heads() -> (
    Option<String>,
    std::collections::HashMap<shouwang_core::DocId, Vec<automerge::ChangeHash>>,
) {
    let stored: std::collections::HashMap<String, Vec<String>> =
        LocalStorage::get(SYNCED_HEADS).unwrap_or_default();
    let heads = stored
        .into_iter()
        .filter_map(|(id, heads)| {
            let heads = heads
                .iter()
                .map(|h| h.parse().ok())
                .collect::<Option<_>>()?;
            Some((shouwang_core::DocId::parse(&id).ok()?, heads))
        })
        .collect();
    (LocalStorage::get(SYNCED_SERVER).ok(), heads)
}

pub fn set_synced_heads(
    server: Option<&str>,
    heads: &std::collections::HashMap<shouwang_core::DocId, Vec<automerge::ChangeHash>>,
) {
    let stored: std::collections::HashMap<String, Vec<String>> = heads
        .iter()
        .map(|(id, heads)| {
            (
                id.to_string(),
                heads.iter().map(|h| h.to_string()).collect(),
            )
        })
        .collect();
    // Losing this only makes documents look unsent until the next sync, and their next
    // exchange one round trip longer.
    let _ = LocalStorage::set(SYNCED_HEADS, stored);
    if let Some(server) = server {
        let _ = LocalStorage::set(SYNCED_SERVER, server);
    }
}

const SIGN_OFF: [&str; 4] = [
    "shouwang.signOff.unit",
    "shouwang.signOff.filledBy",
    "shouwang.signOff.checkedBy",
    "shouwang.signOff.responsible",
];

/// Who signed the last registration form this phone exported, offered again next time; the
/// 填表人 defaults to "me".
pub fn sign_off() -> shouwang_core::register_form::SignOff {
    let [unit, filled_by, checked_by, responsible] =
        SIGN_OFF.map(|key| LocalStorage::get::<String>(key).unwrap_or_default());
    shouwang_core::register_form::SignOff {
        // The enrolled school unless the lead typed another (a 中心校 filling for its 村小).
        unit: if unit.is_empty() {
            school_name().unwrap_or_default()
        } else {
            unit
        },
        filled_by: if filled_by.is_empty() {
            me()
        } else {
            filled_by
        },
        checked_by,
        responsible,
    }
}

/// Keeps the sign-off for the next export (a failure only means it is typed again).
pub fn set_sign_off(sign: &shouwang_core::register_form::SignOff) {
    let values = [
        &sign.unit,
        &sign.filled_by,
        &sign.checked_by,
        &sign.responsible,
    ];
    for (key, value) in SIGN_OFF.iter().zip(values) {
        let _ = LocalStorage::set(*key, value.trim());
    }
}
