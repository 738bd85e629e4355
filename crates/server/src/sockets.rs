//! The open sync sockets of one school, one per device: a device's new socket replaces (closes)
//! its old one, as the JS automerge-repo server does, so a phone whose old connection died
//! without a close (a train tunnel, a NAT timeout) is not served twice; and a stopping server
//! closes them all with 1001 (going away).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{oneshot, Notify};

/// Why the server ends a socket; each has its WebSocket close code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The phone closed it, or the connection broke.
    Gone,
    /// No frame and no pong within the idle timeout.
    Idle,
    /// The same device opened a newer socket.
    Replaced,
    /// The server is stopping.
    Stopping,
    /// The device was revoked.
    Revoked,
    /// Document writes fail: nothing more is acknowledged.
    NotStoring,
    /// The device brought more than its daily quota (`quota.rs`).
    OverQuota,
    /// A frame the protocol does not allow (text), or a shard ended the connection after a
    /// protocol error of the phone's.
    Protocol,
}

impl End {
    /// The close frame to send, if the other side may still be listening.
    pub fn close_frame(self) -> Option<(u16, &'static str)> {
        match self {
            End::Gone => None,
            End::Idle => Some((1000, "idle")),
            End::Replaced => Some((1000, "replaced by a newer connection of this device")),
            End::Stopping => Some((1001, "server stopping")),
            End::Revoked => Some((1008, "device revoked")),
            End::NotStoring => Some((1011, "server cannot store")),
            End::OverQuota => Some((1008, "daily quota reached")),
            End::Protocol => Some((1002, "protocol error")),
        }
    }
}

#[derive(Default, Clone)]
pub struct Sockets {
    inner: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    emptied: Notify,
}

#[derive(Default)]
struct State {
    next: u64,
    stopping: bool,
    /// Sockets not yet closed (a socket told to close stays here until it has).
    running: usize,
    /// Each device's newest socket, and how to tell it to close.
    open: HashMap<String, (u64, oneshot::Sender<End>)>,
}

/// A device's place among the open sockets, held while its socket is open.
pub struct Seat {
    sockets: Sockets,
    device: String,
    id: u64,
}

impl Sockets {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding this lock leaves a map that is still consistent.
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A seat for the device's new socket, closing its previous one, and what resolves when the
    /// new one must close in turn; `None` while stopping.
    pub fn take_seat(&self, device: &str) -> Option<(Seat, oneshot::Receiver<End>)> {
        let (tell, ended) = oneshot::channel();
        let mut state = self.state();
        if state.stopping {
            return None;
        }
        state.next += 1;
        state.running += 1;
        let id = state.next;
        if let Some((_, old)) = state.open.insert(device.to_string(), (id, tell)) {
            let _ = old.send(End::Replaced);
        }
        let seat = Seat {
            sockets: self.clone(),
            device: device.to_string(),
            id,
        };
        Some((seat, ended))
    }

    /// Whether the device has a socket open now (one that died silently counts until its idle
    /// timeout).
    pub fn is_open(&self, device: &str) -> bool {
        self.state().open.contains_key(device)
    }

    /// Sockets open now.
    pub fn count(&self) -> usize {
        self.state().running
    }

    /// Tells every socket to close (1001) and waits, at most `wait`, until they have; new ones
    /// are refused from now on.
    pub async fn close_all(&self, wait: Duration) {
        {
            let mut state = self.state();
            state.stopping = true;
            for (_, (_, tell)) in state.open.drain() {
                let _ = tell.send(End::Stopping);
            }
        }
        let _ = tokio::time::timeout(wait, async {
            loop {
                let emptied = self.inner.emptied.notified();
                if self.count() == 0 {
                    return;
                }
                emptied.await;
            }
        })
        .await;
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut state = self.sockets.state();
        state.running -= 1;
        if state
            .open
            .get(&self.device)
            .is_some_and(|(id, _)| *id == self.id)
        {
            state.open.remove(&self.device);
        }
        if state.running == 0 {
            self.sockets.inner.emptied.notify_waiters();
        }
    }
}
