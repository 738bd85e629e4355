//! Runs the sync client over the WebSocket: connects when enrolled and online, reconnects with
//! exponential backoff, hands documents that changed on the server to the store, and keeps the
//! status signals current.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::time::Duration;

use automerge::ChangeHash;
use leptos::prelude::*;
use shouwang_core::DocId;
use shouwang_repo::{Action, Confirmed, DocStatus};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::api::{self, ApiError, Enrolment};
use super::status::{put, Phase, SyncSignals, SERVER_DOWN, UNREACHABLE};
use crate::store::SharedRepo;

/// Shown in a window whose socket another window of the app on this phone took over.
const YIELDED: &str = "守望已在本机的另一个窗口中同步，此窗口暂停同步；回到此窗口时自动继续";
use super::transport::{Socket, SocketEvent};

/// Even with the socket closed for no visible reason, try again this often.
const TICK: Duration = Duration::from_secs(60);
/// Backoff after failed attempts: 2 s, 4 s, 8 s, … up to this.
const MAX_BACKOFF: Duration = Duration::from_secs(240);
/// How often a turned-away document is offered again on one connection (after 2, 4, 8, 16 s).
const OFFER_AGAIN_TIMES: u32 = 4;
/// What the screens show of the sync (the phase, the count of unsent documents) and the heads
/// the server confirmed are brought up to date at most this often, not after each of the sync's
/// steps: a school's first sync is thousands of steps (with every document's heads read after
/// each, that took a third of a lead phone's first sync of 600 children).
const PUBLISH_AFTER: Duration = Duration::from_millis(100);
/// Documents asked for in one task: about 25 ms of work on the test machine with the build's
/// names kept, most of it the socket's sends (a lead's phone asks for 2,400 when the school's
/// directory arrives; 400 at once made tasks of 100 ms).
const REQUEST_SLICE: usize = 100;
/// How often the heads the server confirmed are kept in the browser's storage while a sync runs.
const KEEP_CONFIRMED_EVERY_MS: f64 = 2_000.0;

/// What is told who the device is after a connection closed.
type MeHook = Box<dyn Fn(api::Me)>;

pub struct Driver {
    /// The driver itself, for the timers it sets.
    me: Weak<Driver>,
    enrolment: Enrolment,
    signals: SyncSignals,
    /// Told the ids of documents that changed on the server; it reads them with [`Driver::doc`].
    on_remote: Box<dyn Fn(Vec<DocId>)>,
    /// Told who the device is after every closed connection (`/api/me`): the school may have
    /// founded its index and directory anew (and closed every socket to do so).
    on_me: RefCell<Option<MeHook>>,
    state: RefCell<State>,
}

struct State {
    /// The device's documents, the store's own: sync works on each where it is.
    repo: SharedRepo,
    socket: Option<Socket>,
    /// Events of a replaced socket are ignored.
    generation: u32,
    /// Between opening a socket and its close.
    live: bool,
    retry_pending: bool,
    /// Attempts since the last successful handshake.
    failures: u32,
    statuses: HashMap<DocId, DocStatus>,
    /// Documents with content the server turned away on this connection, and how often they
    /// were offered again.
    offered_again: HashMap<DocId, u32>,
    /// What the server confirmed holding of each document, and which documents hold more.
    confirmed: Confirmed,
    /// When the confirmed heads were last kept in the browser's storage ([`js_sys::Date::now`]).
    kept_at: f64,
    /// The screens' figures were updated less than `PUBLISH_AFTER` ago; and whether something
    /// changed since, to show when that time is up.
    publish_resting: bool,
    publish_due: bool,
    /// Revoked: the driver never connects again.
    stopped: bool,
    /// What arrived is still being taken in (merged, stored, listed) by the store, a batch a task
    /// (`TakingIn`), and slices of documents still to be asked for: the phone is not in sync
    /// until both are done, though every document it tracks may be.
    taking_in: u32,
    asks_waiting: u32,
    /// Another window of the app on this phone took the device's one socket: this one waits to
    /// be looked at again (shown, focused) instead of taking it back at once, or the two would
    /// replace each other's socket every few seconds.
    yielded: bool,
}

impl Driver {
    pub fn new(
        enrolment: Enrolment,
        storage_id: String,
        repo: SharedRepo,
        signals: SyncSignals,
        on_remote: Box<dyn Fn(Vec<DocId>)>,
    ) -> Rc<Driver> {
        repo.borrow_mut()
            .identify(&enrolment.me.peer_id, Some(storage_id));
        let (server, heads) = crate::prefs::synced_heads();
        let driver = Rc::new_cyclic(|me| Driver {
            me: me.clone(),
            enrolment,
            signals,
            on_remote,
            on_me: RefCell::new(None),
            state: RefCell::new(State {
                repo,
                socket: None,
                generation: 0,
                live: false,
                retry_pending: false,
                failures: 0,
                statuses: HashMap::new(),
                offered_again: HashMap::new(),
                confirmed: Confirmed::new(server, heads),
                kept_at: 0.0,
                publish_resting: false,
                publish_due: false,
                stopped: false,
                taking_in: 0,
                asks_waiting: 0,
                yielded: false,
            }),
        });
        driver.listen();
        driver
    }

    /// Starts the sync of documents the device holds.
    pub fn share(&self, ids: &[DocId]) {
        let actions = {
            let repo = self.repo();
            let mut repo = repo.borrow_mut();
            ids.iter().flat_map(|id| repo.share(*id)).collect()
        };
        self.perform(actions);
    }

    /// Asks the server for documents this device has no copy of, `REQUEST_SLICE` at a time with
    /// the browser free in between: a lead's phone asks for a school's thousands at once.
    pub fn request(&self, ids: impl IntoIterator<Item = DocId>) {
        let mut ids: Vec<DocId> = ids.into_iter().collect();
        let rest = ids.split_off(ids.len().min(REQUEST_SLICE));
        if !rest.is_empty() {
            self.state.borrow_mut().asks_waiting += 1;
        }
        let actions = {
            let repo = self.repo();
            let mut repo = repo.borrow_mut();
            repo.request_all(ids)
        };
        self.perform(actions);
        if !rest.is_empty() {
            let weak = self.me.clone();
            set_timeout(
                move || {
                    if let Some(driver) = weak.upgrade() {
                        driver.state.borrow_mut().asks_waiting -= 1;
                        driver.request(rest);
                    }
                },
                Duration::ZERO,
            );
        }
    }

    fn repo(&self) -> SharedRepo {
        self.state.borrow().repo.clone()
    }

    /// Says the store is taking in what arrived until the guard is dropped: the phone shows it is
    /// still syncing meanwhile, though the work is spread over many tasks.
    pub fn taking_in(&self) -> TakingIn {
        self.state.borrow_mut().taking_in += 1;
        TakingIn(self.me.clone())
    }

    /// Whether the server has confirmed holding the document exactly as these heads say.
    pub fn delivered(&self, id: &DocId, heads: &[ChangeHash]) -> bool {
        self.state.borrow().confirmed.delivered(id, heads)
    }

    /// The heads the server last confirmed for a document, if it ever did.
    pub fn synced_heads(&self, id: &DocId) -> Option<Vec<ChangeHash>> {
        self.state.borrow().confirmed.heads(id).cloned()
    }

    /// These documents changed on the phone: the count of unsent documents looks at them again.
    pub fn touch(&self, ids: &[DocId]) {
        self.state.borrow_mut().confirmed.touch(ids.iter().copied());
    }

    /// Forgets what the server held of a document that has left the device.
    pub fn forget(&self, id: &DocId) {
        self.state.borrow_mut().confirmed.forget(id);
    }

    /// Connects now if not connected (a tap on 立即同步, the browser back online, the page shown).
    pub fn sync_now(self: &Rc<Self>) {
        {
            let mut state = self.state.borrow_mut();
            state.failures = 0;
            state.yielded = false;
        }
        self.connect();
    }

    /// Sets what is told who the device is after a connection closed.
    pub fn on_me(&self, hook: MeHook) {
        *self.on_me.borrow_mut() = Some(hook);
    }

    pub fn connect(self: &Rc<Self>) {
        if self.state.borrow().live || self.state.borrow().stopped {
            return;
        }
        if !crate::js::online() {
            put(self.signals.phase, Phase::Offline(UNREACHABLE.into()));
            return;
        }
        let generation = {
            let mut state = self.state.borrow_mut();
            state.generation += 1;
            state.generation
        };
        let weak = Rc::downgrade(self);
        let handler: Rc<dyn Fn(SocketEvent)> = Rc::new(move |event| {
            if let Some(driver) = weak.upgrade() {
                driver.on_socket(generation, event);
            }
        });
        match Socket::open(&sync_url(&self.enrolment.token), handler) {
            Ok(socket) => {
                let mut state = self.state.borrow_mut();
                state.socket = Some(socket);
                state.live = true;
                put(self.signals.phase, Phase::Connecting);
            }
            Err(_) => self.after_close(),
        }
    }

    fn on_socket(self: &Rc<Self>, generation: u32, event: SocketEvent) {
        if self.state.borrow().generation != generation {
            return;
        }
        let actions = match event {
            SocketEvent::Open => {
                let state = self.state.borrow();
                let mut repo = state.repo.borrow_mut();
                repo.connected(state.confirmed.server(), state.confirmed.all())
            }
            SocketEvent::Frame(frame) => {
                let repo = self.repo();
                let mut repo = repo.borrow_mut();
                let mut state = self.state.borrow_mut();
                let was_ready = repo.server_id().is_some();
                let actions = repo.receive(&frame);
                if !was_ready && repo.server_id().is_some() {
                    state.failures = 0;
                    state.offered_again.clear();
                }
                actions
            }
            SocketEvent::Closed { replaced } => {
                let actions = {
                    let mut state = self.state.borrow_mut();
                    state.live = false;
                    state.yielded = replaced;
                    let actions = state.repo.borrow_mut().disconnected();
                    actions
                };
                self.perform(actions);
                if replaced {
                    put(self.signals.phase, Phase::Offline(YIELDED.into()));
                } else {
                    self.after_close();
                }
                return;
            }
        };
        self.perform(actions);
    }

    /// A connection ended or never started: find out why, and try again later.
    fn after_close(self: &Rc<Self>) {
        let delay = {
            let mut state = self.state.borrow_mut();
            state.failures += 1;
            backoff(state.failures)
        };
        let token = self.enrolment.token.clone();
        let weak = Rc::downgrade(self);
        leptos::task::spawn_local(async move {
            let answer = api::me(&token).await;
            if let (Ok(me), Some(driver)) = (&answer, weak.upgrade()) {
                if let Some(hook) = driver.on_me.borrow().as_ref() {
                    hook(me.clone());
                }
            }
            let phase = match answer.map(drop) {
                Err(ApiError::Refused { code, message, .. }) if code == api::REVOKED => {
                    Phase::Revoked(message)
                }
                Err(ApiError::Refused { message, .. }) => Phase::Refused(message),
                _ if crate::js::online() => Phase::Offline(SERVER_DOWN.into()),
                _ => Phase::Offline(UNREACHABLE.into()),
            };
            if let Some(driver) = weak.upgrade() {
                if matches!(phase, Phase::Revoked(_)) {
                    driver.stop();
                }
                if !driver.state.borrow().live {
                    put(driver.signals.phase, phase);
                }
            }
        });
        self.retry_after(delay);
    }

    fn retry_after(self: &Rc<Self>, delay: Duration) {
        if std::mem::replace(&mut self.state.borrow_mut().retry_pending, true) {
            return;
        }
        let weak = Rc::downgrade(self);
        set_timeout(
            move || {
                if let Some(driver) = weak.upgrade() {
                    driver.state.borrow_mut().retry_pending = false;
                    driver.connect();
                }
            },
            delay,
        );
    }

    /// A document with content that the server turned away is offered again a few times, a
    /// little later each time: the server learns of a child its phone has just registered, or of
    /// a duty the lead has just given, a moment after the phone may first send it.
    fn offer_again_later(&self, doc_id: DocId) {
        let attempt = {
            let mut state = self.state.borrow_mut();
            let has_content = state
                .repo
                .borrow()
                .heads(&doc_id)
                .is_some_and(|heads| !heads.is_empty());
            let tries = state.offered_again.entry(doc_id).or_insert(0);
            *tries += 1;
            (has_content && *tries <= OFFER_AGAIN_TIMES).then_some(*tries)
        };
        let Some(attempt) = attempt else {
            return;
        };
        let weak = self.me.clone();
        set_timeout(
            move || {
                if let Some(driver) = weak.upgrade() {
                    let actions = driver.repo().borrow_mut().offer_again(doc_id);
                    driver.perform(actions);
                }
            },
            Duration::from_secs(1 << attempt),
        );
    }

    /// Carries out the repository's sync actions in order, then updates what the screens show.
    pub fn perform(&self, actions: Vec<Action>) {
        let mut changed = Vec::new();
        let mut refused = Vec::new();
        {
            let mut state = self.state.borrow_mut();
            for action in actions {
                match action {
                    Action::Send(frame) => {
                        if let Some(socket) = &state.socket {
                            socket.send(&frame);
                        }
                    }
                    // The close event that follows reports the end like any other.
                    Action::Close(_) => {
                        if let Some(socket) = &state.socket {
                            socket.close();
                        }
                    }
                    Action::DocChanged { doc_id, .. } => {
                        state.confirmed.touch([doc_id]);
                        changed.push(doc_id);
                    }
                    Action::Status { doc_id, status } => {
                        if status == DocStatus::InSync {
                            let repo = state.repo.clone();
                            let repo = repo.borrow();
                            if let Some(heads) = repo.heads(&doc_id) {
                                state.confirmed.confirm(repo.server_key(), doc_id, heads);
                            }
                        }
                        state.confirmed.touch([doc_id]);
                        if status == DocStatus::Unavailable {
                            refused.push(doc_id);
                        }
                        state.statuses.insert(doc_id, status);
                    }
                }
            }
        }
        for doc_id in refused {
            self.offer_again_later(doc_id);
        }
        self.publish_soon();
        if !changed.is_empty() {
            (self.on_remote)(changed);
        }
    }

    /// Publishes now, unless it did less than `PUBLISH_AFTER` ago: then once that time is up,
    /// whatever happened meanwhile. A lone change shows at once; a burst, ten times a second.
    fn publish_soon(&self) {
        {
            let mut state = self.state.borrow_mut();
            if state.publish_resting {
                state.publish_due = true;
                return;
            }
            state.publish_resting = true;
        }
        self.publish();
        let weak = self.me.clone();
        set_timeout(
            move || {
                if let Some(driver) = weak.upgrade() {
                    let due = {
                        let mut state = driver.state.borrow_mut();
                        state.publish_resting = false;
                        std::mem::take(&mut state.publish_due)
                    };
                    if due {
                        driver.publish_soon();
                    }
                }
            },
            PUBLISH_AFTER,
        );
    }

    fn publish(&self) {
        let mut state = self.state.borrow_mut();
        let busy = state.taking_in > 0
            || state.asks_waiting > 0
            || state
                .statuses
                .values()
                .any(|s| matches!(s, DocStatus::Syncing | DocStatus::Requested));
        // While a sync runs, only the documents that moved are looked at; once it settles, every
        // one, so that whatever moved unnoticed (a copy from storage joining one that arrived)
        // is counted right.
        {
            let repo = state.repo.clone();
            let repo = repo.borrow();
            state.confirmed.refresh(&repo, !busy);
        }
        // Kept at most every few seconds while a school's thousands of documents are confirmed
        // (each keeping writes them all); losing the last seconds of it only makes a few
        // documents look unsent, and their next exchange one round trip longer.
        let now = js_sys::Date::now();
        if (!busy || now - state.kept_at >= KEEP_CONFIRMED_EVERY_MS)
            && state.confirmed.take_changed()
        {
            state.kept_at = now;
            crate::prefs::set_synced_heads(state.confirmed.server(), state.confirmed.all());
        }
        put(self.signals.unsent, state.confirmed.unsent());
        if state.repo.borrow().server_id().is_none() {
            return;
        }
        if busy {
            put(self.signals.phase, Phase::Syncing);
        } else {
            put(self.signals.phase, Phase::Idle);
            crate::prefs::set_last_sync(now);
            self.signals.last_sync.set(Some(now));
        }
    }

    /// The device was revoked: no socket opens again and nothing more is sent.
    fn stop(&self) {
        let mut state = self.state.borrow_mut();
        state.stopped = true;
        if let Some(socket) = state.socket.take() {
            socket.close();
        }
    }

    /// Back online, the page shown again, and a slow tick: each is a reason to connect.
    fn listen(self: &Rc<Self>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let on = |target: &web_sys::EventTarget, name: &str, act: fn(&Rc<Driver>)| {
            let weak = Rc::downgrade(self);
            let closure = Closure::<dyn FnMut()>::new(move || {
                if let Some(driver) = weak.upgrade() {
                    act(&driver);
                }
            });
            let _ = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            // The driver lives as long as the page, and so do its listeners.
            closure.forget();
        };
        on(&window, "online", Driver::sync_now);
        // A window that gave the socket to another one takes it back when the teacher uses it.
        on(&window, "focus", |driver| {
            if driver.state.borrow().yielded {
                driver.sync_now();
            }
        });
        on(&window, "offline", Driver::go_offline);
        if let Some(document) = window.document() {
            on(&document, "visibilitychange", |driver| {
                if !document_hidden() {
                    driver.sync_now();
                }
            });
        }
        let weak = Rc::downgrade(self);
        let _ = set_interval_with_handle(
            move || {
                if let Some(driver) = weak.upgrade() {
                    let state = driver.state.borrow();
                    let waiting = state.retry_pending || state.yielded;
                    drop(state);
                    if !waiting {
                        driver.connect();
                    }
                }
            },
            TICK,
        );
    }

    /// The browser says the network is gone: an open socket may linger for minutes before
    /// noticing, so close it now and wait for `online`.
    fn go_offline(self: &Rc<Self>) {
        if let Some(socket) = &self.state.borrow().socket {
            socket.close();
        }
    }
}

/// Doubling waits with full jitter (a random wait between half and the whole of it), so a
/// school's phones that lost the server together do not all come back in the same second.
fn backoff(failures: u32) -> Duration {
    let ceiling = Duration::from_secs(2u64.saturating_pow(failures.min(8))).min(MAX_BACKOFF);
    ceiling.mul_f64(0.5 + js_sys::Math::random() / 2.0)
}

fn document_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// `ws://` or `wss://` on the app's own origin; browsers cannot set headers on a WebSocket, so
/// the token goes in the query.
fn sync_url(token: &str) -> String {
    let location = web_sys::window().map(|w| w.location());
    let scheme = match location.as_ref().and_then(|l| l.protocol().ok()).as_deref() {
        Some("https:") => "wss:",
        _ => "ws:",
    };
    let host = location.and_then(|l| l.host().ok()).unwrap_or_default();
    let token = String::from(js_sys::encode_uri_component(token));
    format!("{scheme}//{host}/sync?token={token}")
}

/// Held while the store takes in what arrived ([`Driver::taking_in`]).
pub struct TakingIn(Weak<Driver>);

impl Drop for TakingIn {
    fn drop(&mut self) {
        if let Some(driver) = self.0.upgrade() {
            driver.state.borrow_mut().taking_in -= 1;
            driver.publish_soon();
        }
    }
}
