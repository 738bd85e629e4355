//! The key a PIN derives, started while the teacher is still on the lock screen. PBKDF2's
//! 600,000 rounds take about a fifth of a second even in WebCrypto (off the page's thread);
//! once the typed PIN is long enough to be tried, the lock screen starts them, so the tap on
//! 解锁 usually finds the key ready. Nothing is tried against the vault before the tap: a
//! derivation started early neither opens anything nor counts as a wrong PIN. Only the latest
//! PIN's derivation is kept, and the unlock takes it.

use std::cell::RefCell;

use js_sys::Promise;

use super::cipher::{Cipher, CryptError};

struct Started {
    pin: String,
    salt: Vec<u8>,
    iterations: u32,
    key: Promise,
}

impl Started {
    fn is_for(&self, pin: &str, salt: &[u8], iterations: u32) -> bool {
        self.pin == pin && self.salt == salt && self.iterations == iterations
    }
}

thread_local! {
    static STARTED: RefCell<Option<Started>> = const { RefCell::new(None) };
}

/// Starts deriving `pin`'s key, unless it is already under way.
pub fn start(pin: &str, salt: &[u8], iterations: u32) {
    STARTED.with_borrow_mut(|started| {
        if started
            .as_ref()
            .is_some_and(|s| s.is_for(pin, salt, iterations))
        {
            return;
        }
        *started = Some(Started {
            pin: pin.to_owned(),
            salt: salt.to_vec(),
            iterations,
            key: Cipher::begin_derive(pin.to_owned(), salt.to_vec(), iterations),
        });
    });
}

/// `pin`'s key: the one started for it, or derived now. Whatever was started is dropped.
pub async fn key(pin: &str, salt: &[u8], iterations: u32) -> Result<Cipher, CryptError> {
    let started = STARTED
        .with_borrow_mut(Option::take)
        .filter(|s| s.is_for(pin, salt, iterations));
    match started {
        Some(started) => Cipher::derived(started.key).await,
        None => Cipher::derive(pin, salt, iterations).await,
    }
}
