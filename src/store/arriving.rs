//! Documents that changed on the server, taken in a batch at a time: merged with what the phone
//! stored, their lines put into the phone's roster with one change, stored with one IndexedDB
//! transaction, and the browser left free to draw and answer a tap between two batches.
//!
//! A lead's first sync of a school brings hundreds of children within seconds. Taken in one by
//! one as each arrived, every child cost its own change to the roster and its own transaction,
//! and the children whose reads came back together were taken in within one task of the page
//! (tasks of 150–230 ms in the W-school bench).

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};

use futures::future::join_all;
use leptos::prelude::*;
use shouwang_core::{ChangeMeta, DocId, RosterEntry};
use wasm_bindgen::JsValue;

use super::sync::driver;
use super::{absorb, now_secs, Joined, SaveError, Store, StoreError};

/// Children taken in at the start: about 2–3 ms of work each on the test machine.
const FIRST_BATCH: usize = 8;
/// The most children a batch takes, however fast the phone.
const MOST_IN_A_BATCH: usize = 16;
/// The page's thread time a batch's merging and listing may take: well under the 50 ms a task may
/// take before a tap waits for it. A phone four times slower than the test machine would have
/// spent 60–100 ms on eight children; the batches follow the phone's own speed instead.
const BATCH_BUDGET_MS: f64 = 20.0;

struct Arriving {
    queue: VecDeque<DocId>,
    /// A drain is under way; it takes whatever arrives meanwhile.
    draining: bool,
    /// Children the next batch takes: as many as the last batches' pace fits into the budget.
    batch: usize,
}

thread_local! {
    static ARRIVING: RefCell<Arriving> = const {
        RefCell::new(Arriving {
            queue: VecDeque::new(),
            draining: false,
            batch: FIRST_BATCH,
        })
    };
}

/// The next batch's size after `taken` children took `took_ms` of the page's thread.
fn next_batch_size(taken: usize, took_ms: f64) -> usize {
    if taken == 0 || took_ms <= 0.0 {
        return MOST_IN_A_BATCH;
    }
    let each = took_ms / taken as f64;
    ((BATCH_BUDGET_MS / each) as usize).clamp(1, MOST_IN_A_BATCH)
}

impl Store {
    /// Documents that changed on the server: queued, and taken in by one drain at a time.
    pub(super) fn arrived(self, ids: Vec<DocId>) {
        let start = ARRIVING.with_borrow_mut(|a| {
            a.queue.extend(ids);
            !std::mem::replace(&mut a.draining, true)
        });
        if start {
            leptos::task::spawn_local(self.drain());
        }
    }

    /// Takes in the queue a batch at a time until it is empty: the school's lists one by one as
    /// they come (they decide what is asked for next), the children of a batch together. The
    /// school-wide screens are told once, at the end (`in_one_batch`); a child's own screens as
    /// its batch is stored.
    async fn drain(self) {
        // The phone says it is in sync only once what arrived is stored and listed.
        let _taking_in = driver().map(|d| d.taking_in());
        // Not in the task of the frame that brought the documents: automerge applying a school's
        // list there and the first batch here made one task of 50 ms.
        yield_to_browser().await;
        self.in_one_batch(async {
            while let Some(batch) = next_batch() {
                let Some(driver) = driver() else {
                    continue;
                };
                let lists = self.list_ids();
                let (lists, children): (Vec<DocId>, Vec<DocId>) =
                    batch.into_iter().partition(|id| lists.contains(&Some(*id)));
                for id in lists {
                    if let Err(err) = self.absorb_list(&driver, id).await {
                        self.failed_to_take_in(err);
                    }
                }
                if let Err(err) = self.absorb_children(children).await {
                    self.failed_to_take_in(err);
                }
                yield_to_browser().await;
            }
        })
        .await;
    }

    /// Children's documents (and any other that is not one of the school's lists): each joined
    /// with what the phone stored of it, then their lines and their writes as one batch.
    async fn absorb_children(self, ids: Vec<DocId>) -> Result<(), SaveError> {
        let ids: Vec<DocId> = ids
            .into_iter()
            .filter(|id| self.inner.with_value(|inner| inner.has(id)))
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let joined = join_all(ids.iter().map(|id| self.join_stored(*id))).await;
        let mut whole = Vec::with_capacity(ids.len());
        for (id, joined) in ids.into_iter().zip(joined) {
            match joined {
                Ok(Joined::Damaged(damaged)) => self.failed_to_take_in(self.set_aside(id, damaged)),
                Ok(_) => whole.push(id),
                Err(err) => self.failed_to_take_in(err.into()),
            }
        }
        let (taken, started) = (whole.len(), crate::js::now_ms());
        let lines = self.take_in(whole)?;
        let took = crate::js::now_ms() - started;
        ARRIVING.with_borrow_mut(|a| a.batch = next_batch_size(taken, took));
        if !lines.is_empty() {
            self.refresh_roster_soon();
        }
        Ok(self.flush().await?)
    }

    /// Documents whose changes arrived by sync (already in the repository, joined with what the
    /// phone stored): their writes, and the lines of those that are children's, under 同步名册,
    /// queued for the next flush (`Lists::absorb`). Returns the children's lines.
    pub(super) fn take_in(self, arrived: Vec<DocId>) -> Result<Vec<RosterEntry>, SaveError> {
        let meta = ChangeMeta::new(crate::prefs::me(), "同步名册", now_secs());
        let today = chrono::Local::now().date_naive();
        let arrived = arrived.into_iter().map(|id| (id, None)).collect();
        self.inner
            .try_update_value(|inner| absorb(inner, arrived, &meta, today))
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))
    }

    fn failed_to_take_in(self, err: SaveError) {
        self.sync
            .failure
            .set(Some(format!("学校服务器上的更新未能保存到本机：{err}")));
    }
}

/// The next batch of the queue, each document once; none ends the drain.
fn next_batch() -> Option<Vec<DocId>> {
    ARRIVING.with_borrow_mut(|a| {
        let mut seen = HashSet::new();
        let mut batch = Vec::new();
        while batch.len() < a.batch {
            let Some(id) = a.queue.pop_front() else {
                break;
            };
            if seen.insert(id) {
                batch.push(id);
            }
        }
        if batch.is_empty() {
            a.draining = false;
            return None;
        }
        Some(batch)
    })
}

/// Lets the browser run its other tasks (drawing, a tap, the socket's next frame) before the
/// next batch or step: a promise settled by a timer, not a microtask, which would run first.
pub(super) async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let set = web_sys::window().map(|w| w.set_timeout_with_callback(&resolve));
        if !matches!(set, Some(Ok(_))) {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
