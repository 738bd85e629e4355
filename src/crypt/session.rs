//! This page's unlocked data key, held in memory only: set when the PIN opens the vault (or a
//! new one is made), gone when the page closes. Nothing writes it anywhere.

use std::cell::RefCell;

use super::cipher::Cipher;

thread_local! {
    static CIPHER: RefCell<Option<Cipher>> = const { RefCell::new(None) };
}

pub fn cipher() -> Option<Cipher> {
    CIPHER.with(|c| c.borrow().clone())
}

pub fn begin(cipher: Cipher) {
    CIPHER.with(|c| *c.borrow_mut() = Some(cipher));
}
