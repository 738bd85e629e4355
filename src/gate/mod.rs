//! The gate in front of every screen: a phone without a PIN sets one (sealing what an older
//! version left in the clear), a phone with one asks for it when the app opens and after it
//! was left untouched (`idle.rs`), a forgotten PIN is replaced with the care lead's help
//! (`recovery.rs`), and a phone the school revoked erases itself and says so. Screens open only
//! behind it, so nothing about a child is drawn before the PIN.

pub mod boot;
mod idle;
mod recovery;

use std::rc::Rc;

use leptos::prelude::*;
use shouwang_core::pin::Lockout;

use crate::crypt::vault::{RawKey, UnlockError, Vault};
use crate::crypt::{lockout, session};
use crate::store::unlock::Locked;
use crate::store::{Store, DB_NAME};
use crate::sync::status::Phase;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gate {
    Checking,
    /// No PIN yet: the first start, or the first start of this version on an older phone.
    SetUp,
    Locked,
    /// The care lead approved the recovery of a forgotten PIN: the records are open again and
    /// the teacher chooses a new PIN before anything is shown.
    NewPin,
    Open,
    /// The school revoked this phone and it has erased itself.
    Wiped,
    Failed(String),
}

/// The gate's state and what it guards.
#[derive(Clone, Copy)]
pub struct Door {
    pub gate: RwSignal<Gate>,
    store: Store,
    locked: StoredValue<Option<Rc<Locked>>, LocalStorage>,
    vault: StoredValue<Option<Vault>, LocalStorage>,
    /// The data key recovered through the school, until it is sealed under the new PIN.
    recovered: StoredValue<Option<RawKey>, LocalStorage>,
    /// Whether the school's server holds this phone's recovery key (`None` while unknown).
    pub recovery_ready: RwSignal<Option<bool>>,
    /// The store opens once per page. The idle lock reloads the page; only when queued saves
    /// could not be written does it keep the page, and unlocking then only lifts the screen.
    started: StoredValue<bool>,
    last_activity: StoredValue<f64>,
}

impl Door {
    pub fn new(store: Store) -> Door {
        Door {
            gate: RwSignal::new(Gate::Checking),
            store,
            locked: StoredValue::new_local(None),
            vault: StoredValue::new_local(None),
            recovered: StoredValue::new_local(None),
            recovery_ready: RwSignal::new(None),
            started: StoredValue::new(false),
            last_activity: StoredValue::new(js_sys::Date::now()),
        }
    }

    /// Opens the database and finds out whether this phone has a PIN.
    pub async fn check(self) {
        let found = async {
            let locked = Locked::open(DB_NAME).await?;
            if crate::prefs::wiped() {
                // Again at every start until the teacher starts over: a wipe cut short by a
                // closed app finishes here.
                locked.erase().await?;
                crate::prefs::forget_device();
                return Ok(None);
            }
            let vault = locked.vault().await?;
            Ok::<_, crate::store::StoreError>(Some((locked, vault)))
        }
        .await;
        match found {
            Ok(None) => {
                crate::prefs::set_locked(false);
                self.gate.set(Gate::Wiped);
            }
            Ok(Some((locked, vault))) => {
                // Read by the page's own lock screen before the app starts (`boot.rs`).
                crate::prefs::set_locked(vault.is_some());
                let gate = if vault.is_some() {
                    Gate::Locked
                } else {
                    Gate::SetUp
                };
                self.locked.set_value(Some(Rc::new(locked)));
                self.vault.set_value(vault);
                self.gate.set(gate);
            }
            Err(err) => self.gate.set(Gate::Failed(err.to_string())),
        }
    }

    /// The first PIN: makes the data key, seals what is on the phone, opens the records.
    pub async fn set_up(self, pin: &str) -> Result<(), String> {
        let locked = self.locked.get_value().ok_or("本机存储尚未打开")?;
        let (documents, cipher) = locked.set_up(pin).await?;
        self.vault
            .set_value(locked.vault().await.map_err(|e| e.to_string())?);
        crate::prefs::set_locked(true);
        session::begin(cipher.clone());
        crate::prefs::open_token(&cipher).await?;
        // Asked at the moment a teacher commits records to this phone; the answer is shown on
        // the settings screen and a refusal warned about on the roster.
        leptos::task::spawn_local(async {
            let _ = crate::js::storage_persist().await;
        });
        self.open(Ok(documents));
        Ok(())
    }

    /// The PIN as it is typed: once it is long enough to be tried, its key is derived ahead of
    /// the tap on 解锁 (`crypt/prederive.rs`).
    pub fn prepare(self, pin: &str) {
        if pin.len() < shouwang_core::pin::MIN_LEN
            || lockout::load().wait_secs(lockout::now_ms()) > 0
        {
            return;
        }
        if let Some(vault) = self.vault.get_value() {
            vault.prepare(pin);
        }
    }

    /// The PIN again: at start, or after an idle lock that could not reload the page. A wrong
    /// one counts towards the wait.
    pub async fn unlock(self, pin: &str) -> Result<(), String> {
        let wait = lockout::load().wait_secs(lockout::now_ms());
        if wait > 0 {
            return Err(wait_message(wait));
        }
        let locked = self.locked.get_value().ok_or("本机存储尚未打开")?;
        let vault = self.vault.get_value().ok_or("本机没有设置 PIN")?;
        let started = crate::js::now_ms();
        match locked.unlock(&vault, pin).await {
            Ok((documents, cipher)) => {
                crate::js::record_measure("shouwang:unlock", started, crate::js::now_ms());
                lockout::clear();
                if self.started.get_value() {
                    self.touch();
                    self.gate.set(Gate::Open);
                    return Ok(());
                }
                session::begin(cipher.clone());
                crate::prefs::open_token(&cipher).await?;
                self.open(Ok(documents));
                Ok(())
            }
            Err(UnlockError::WrongPin) => Err(wrong_pin_message(lockout::failed())),
            Err(err) => Err(err.to_string()),
        }
    }

    fn open(self, documents: Result<crate::store::documents::Documents, crate::store::StoreError>) {
        self.started.set_value(true);
        self.touch();
        self.check_recovery();
        self.gate.set(Gate::Open);
        leptos::task::spawn_local(crate::unlocked::start(self.store, documents));
    }

    /// A forgotten PIN: the teacher chose to clear the phone (the records the school has come
    /// back after enrolling again). Never done for wrong PINs.
    pub async fn forget(self) -> Result<(), String> {
        let locked = self.locked.get_value().ok_or("本机存储尚未打开")?;
        locked.erase().await.map_err(|e| e.to_string())?;
        crate::prefs::forget_device();
        crate::prefs::set_locked(false);
        lockout::clear();
        self.vault.set_value(None);
        self.gate.set(Gate::SetUp);
        Ok(())
    }

    /// After a wipe the teacher starts again from the PIN set-up, in a page loaded afresh: the
    /// revoked connection's state (账号已停用, unsent counts, the last sync) must not follow the
    /// phone into its next enrolment, nor its sync stay stopped.
    pub fn start_again(self) {
        crate::prefs::set_wiped(false);
        self.gate.set(Gate::Checking);
        crate::js::reload_page();
    }

    /// The school revoked this phone: erase it and say why.
    pub fn watch_revoke(self) {
        let phase = self.store.sync.phase;
        Effect::new(move |_| {
            if let Phase::Revoked(_) = phase.get() {
                crate::prefs::set_wiped(true);
                crate::prefs::set_locked(false);
                self.gate.set(Gate::Wiped);
                let store = self.store;
                leptos::task::spawn_local(async move {
                    if let Err(err) = crate::unlocked::wipe(store).await {
                        self.gate
                            .set(Gate::Failed(format!("本机记录未能全部删除：{err}")));
                    }
                });
            }
        });
    }
}

pub fn wait_message(secs: u64) -> String {
    format!("PIN 错误次数过多，请 {secs} 秒后再试")
}

/// The wait is not in it: the lock screen counts it down on its own line (`wait_message`), and
/// a second, frozen number beside it said another wait.
fn wrong_pin_message(lockout: Lockout) -> String {
    format!("PIN 不正确（已错 {} 次）", lockout.failures)
}
