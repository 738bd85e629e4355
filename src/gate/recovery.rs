//! A forgotten PIN, recovered through the school: the locked phone asks its care lead for help
//! with its recovery secret, and once the lead approved, fetches the recovery key, opens the
//! data key with it and has the teacher choose a new PIN. Unsent work stays on the phone and
//! is unlocked again. Unlocked and enrolled, the phone deposits each new recovery key.

use leptos::prelude::*;

use super::{Door, Gate};
use crate::crypt::recovery::{pending_key, Escrow};
use crate::crypt::{lockout, session};
use crate::sync::recovery::{self, Stage};
use crate::sync::status::Phase;

/// Said when this phone cannot be helped by the school (never enrolled, or its recovery key
/// never reached the server).
pub const NOT_SET_UP: &str =
    "本机还没有在学校服务器上登记 PIN 找回（需要先登记本机并同步一次），关爱负责人无法帮你解锁。";

impl Door {
    /// Asks the care lead for help; the answer says whether it is still waiting.
    pub async fn request_recovery(self) -> Result<Stage, String> {
        let (school, escrow) = self.recovery_ids().await?;
        recovery::request(&school, escrow.secret())
            .await
            .map_err(|e| e.to_string())
    }

    /// Once approved: the data key opened with the released recovery key; the new PIN next.
    pub async fn recover(self) -> Result<(), String> {
        let (school, escrow) = self.recovery_ids().await?;
        let key = recovery::release(&school, escrow.secret())
            .await
            .map_err(|e| e.to_string())?;
        let locked = self.locked.get_value().ok_or("本机存储尚未打开")?;
        let raw = locked.recover(&key).await?;
        self.recovered.set_value(Some(raw));
        lockout::clear();
        self.gate.set(Gate::NewPin);
        Ok(())
    }

    /// The new PIN seals the recovered data key (with a new recovery key), and the records open.
    pub async fn set_new_pin(self, pin: &str) -> Result<(), String> {
        let locked = self.locked.get_value().ok_or("本机存储尚未打开")?;
        let raw = self
            .recovered
            .try_update_value(Option::take)
            .flatten()
            .ok_or("找回已失效，请重新申请")?;
        let resealed = locked.reseal(&raw, pin).await;
        drop(raw);
        let (documents, cipher) = resealed?;
        self.vault
            .set_value(locked.vault().await.map_err(|e| e.to_string())?);
        session::begin(cipher.clone());
        crate::prefs::open_token(&cipher).await?;
        self.open(Ok(documents));
        Ok(())
    }

    async fn recovery_ids(self) -> Result<(String, Escrow), String> {
        let school = crate::prefs::enrolment().ok_or(NOT_SET_UP)?.me.school.id;
        let locked = self.locked.get_value().ok_or("本机存储尚未打开")?;
        let escrow = locked
            .escrow()
            .await
            .map_err(|e| e.to_string())?
            .ok_or(NOT_SET_UP)?;
        Ok((school, escrow))
    }

    /// Reads whether the server holds this phone's recovery key.
    pub(super) fn check_recovery(self) {
        let Some(locked) = self.locked.get_value() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let escrow = locked.escrow().await.ok().flatten();
            self.recovery_ready
                .set(Some(escrow.is_some_and(|e| e.deposited())));
        });
    }

    /// Deposits a recovery key made at this unlock once the phone is enrolled and its server
    /// answers: at enrolment, at start, after every completed sync until it is done.
    pub fn watch_recovery(self) {
        let (enrolment, phase) = (self.store.sync.enrolment, self.store.sync.phase);
        Effect::new(move |_| {
            let enrolled = enrolment.with(|e| e.as_ref().is_some_and(|e| !e.token.is_empty()));
            let reachable = matches!(phase.get(), Phase::Idle | Phase::Syncing);
            if enrolled && reachable && self.recovery_ready.get() == Some(false) {
                leptos::task::spawn_local(self.deposit());
            }
        });
    }

    async fn deposit(self) {
        let (Some(locked), Some(key)) = (self.locked.get_value(), pending_key()) else {
            return;
        };
        let token = self
            .store
            .sync
            .enrolment
            .with_untracked(|e| e.as_ref().map(|e| e.token.clone()));
        let (Some(token), Ok(Some(escrow))) = (token, locked.escrow().await) else {
            return;
        };
        if escrow.deposited() {
            return;
        }
        if recovery::deposit(&token, &key, escrow.secret())
            .await
            .is_ok()
            && locked.deposited(&escrow).await.is_ok()
        {
            self.recovery_ready.set(Some(true));
        }
    }
}
