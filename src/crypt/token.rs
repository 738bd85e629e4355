//! The device token at rest: sealed under the data key in localStorage, open only in this
//! page's memory once the PIN was given. The rest of the enrolment (school, teacher and device
//! names and ids) stays readable so a locked phone can say whose it is.

use std::cell::RefCell;

use gloo_storage::{LocalStorage, Storage};

use super::cipher::Cipher;
use super::hex;

const SEALED: &str = "shouwang.token";
const PURPOSE: &str = "shouwang:token";

thread_local! {
    static TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The open token, once unlocked.
pub fn get() -> Option<String> {
    TOKEN.with(|t| t.borrow().clone())
}

/// Opens the sealed token into memory. A token from before encryption (`legacy`, still in the
/// plain enrolment) is sealed now; the caller then blanks it there.
pub async fn unseal(cipher: &Cipher, legacy: Option<String>) -> Result<(), String> {
    let sealed = LocalStorage::get::<String>(SEALED)
        .ok()
        .and_then(|h| hex::decode(&h));
    let token = match (sealed, legacy) {
        (Some(sealed), _) => {
            let bytes = cipher
                .open(PURPOSE, &sealed)
                .await
                .map_err(|e| format!("登记凭据{e}，请重新登记本机"))?;
            String::from_utf8(bytes).map_err(|_| "登记凭据已损坏，请重新登记本机".to_string())?
        }
        (None, Some(legacy)) if !legacy.is_empty() => {
            keep(cipher, &legacy).await?;
            legacy
        }
        _ => return Ok(()),
    };
    TOKEN.with(|t| *t.borrow_mut() = Some(token));
    Ok(())
}

/// Seals a new token and keeps it open in memory.
pub async fn keep(cipher: &Cipher, token: &str) -> Result<(), String> {
    let sealed = cipher
        .seal(PURPOSE, token.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    LocalStorage::set(SEALED, hex::encode(&sealed)).map_err(|e| e.to_string())?;
    TOKEN.with(|t| *t.borrow_mut() = Some(token.to_string()));
    Ok(())
}

/// Forgets the token, sealed and open.
pub fn erase() {
    LocalStorage::delete(SEALED);
    TOKEN.with(|t| *t.borrow_mut() = None);
}
