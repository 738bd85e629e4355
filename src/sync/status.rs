//! What the screens show about sync, kept current by the driver: where the connection stands,
//! how many documents hold changes the school's server is not known to have, and when the
//! device was last fully in sync.

use leptos::prelude::*;

use shouwang_core::DocId;

use super::api::Enrolment;

/// Said whenever the server cannot be reached, whatever the cause: the teacher needs to know
/// nothing is lost and what will make it go.
pub const UNREACHABLE: &str = "无法连接学校服务器，连上学校 Wi‑Fi 后会自动同步";

/// Said when the phone has a network but the school's server does not answer (stopped, or the
/// school's link down): asking the teacher to find Wi‑Fi would send her looking for the wrong
/// thing.
pub const SERVER_DOWN: &str = "学校服务器暂时连不上，稍后会自动重试；记录都保存在本机";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The device is not enrolled with a school's server.
    NotEnrolled,
    Connecting,
    /// Connected; documents are still going back and forth.
    Syncing,
    /// Connected, and the exchange is complete.
    Idle,
    /// Not connected; [`UNREACHABLE`] or a more precise reason.
    Offline(String),
    /// The server refused this device; its own words (e.g. 账号已停用，请联系管理员).
    Refused(String),
    /// The school revoked this device: it sends nothing more and erases what it holds.
    Revoked(String),
}

#[derive(Clone, Copy)]
pub struct SyncSignals {
    pub phase: RwSignal<Phase>,
    /// Documents with changes the server is not known to have, in order.
    pub unsent: RwSignal<Vec<DocId>>,
    /// When the exchange with the server last completed (ms since the epoch).
    pub last_sync: RwSignal<Option<f64>>,
    /// Why documents could not be handed to sync or taken in from it (what the phone holds stays
    /// safe). Apart from the phase, which the next step of the sync sets again: shown until the
    /// teacher taps 重试 or 立即同步.
    pub failure: RwSignal<Option<String>>,
    pub enrolment: RwSignal<Option<Enrolment>>,
}

impl SyncSignals {
    pub fn new() -> Self {
        let enrolment = crate::prefs::enrolment();
        SyncSignals {
            phase: RwSignal::new(if enrolment.is_some() {
                Phase::Connecting
            } else {
                Phase::NotEnrolled
            }),
            unsent: RwSignal::new(Vec::new()),
            last_sync: RwSignal::new(crate::prefs::last_sync()),
            failure: RwSignal::new(None),
            enrolment: RwSignal::new(enrolment),
        }
    }
}

impl SyncSignals {
    /// Reads the enrolment again once the PIN has opened the token.
    pub fn reload(&self) {
        let enrolment = crate::prefs::enrolment();
        if enrolment.is_some() && self.phase.get_untracked() == Phase::NotEnrolled {
            self.phase.set(Phase::Connecting);
        }
        self.enrolment.set(enrolment);
    }
}

impl Default for SyncSignals {
    fn default() -> Self {
        SyncSignals::new()
    }
}

/// Sets a signal only when the value differs, so screens redraw only on real changes.
pub(super) fn put<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|current| *current != value) {
        signal.set(value);
    }
}
