//! A forgotten PIN recovered through the school, as plain data with its rules: each phone deposits
//! a random recovery key (the phone's data key is also sealed under it, on the phone only) with
//! the hash of a recovery secret; a phone that lost its PIN asks with that secret, a care lead of
//! its school approves or refuses, and an approval releases the key once. No I/O and no clock:
//! `now` comes in, `recovery_file.rs` keeps this on disk.

use serde::{Deserialize, Serialize};
use shouwang_core::api::recovery::Stage;

use crate::secret;

/// A request the lead has not answered is shown this long, then it lapses and the phone asks
/// again: a phone found in a drawer weeks later does not carry a live request.
pub const REQUEST_SECS: i64 = 3 * 24 * 3600;
/// An approval must be used within a day: the lead approves while the teacher is at hand.
pub const APPROVAL_SECS: i64 = 24 * 3600;

/// Why the server does not release (or record) a recovery, in the teacher's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "本机没有在学校服务器上登记 PIN 找回（需要先登记本机并同步一次），无法由关爱负责人解锁"
    )]
    NoDeposit,
    #[error("还没有申请，请先点“请关爱负责人帮我解锁”")]
    NotRequested,
    #[error("关爱负责人还没有批准。请当面或打电话请关爱负责人在“设置”中批准后，再点一次")]
    Waiting,
    #[error("关爱负责人没有批准这次申请。如是本人，请当面联系关爱负责人后重新申请")]
    Refused,
    #[error("申请或批准已过期，请重新申请")]
    Expired,
    #[error("找不到这台手机的申请，可能已处理或已过期")]
    NoRequest,
}

impl Refusal {
    /// A stable code the app can branch on.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NoDeposit => "recovery-unknown",
            Refusal::NotRequested => "recovery-not-requested",
            Refusal::Waiting => "recovery-waiting",
            Refusal::Refused => "recovery-refused",
            Refusal::Expired => "recovery-expired",
            Refusal::NoRequest => "recovery-no-request",
        }
    }
}

/// One school's deposits, one per device.
#[derive(Default, Serialize, Deserialize)]
pub struct Deposits {
    #[serde(default)]
    deposits: Vec<Deposit>,
}

/// A device's recovery key and the state of its request. No `Debug`: the key never reaches a log.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deposit {
    pub device: String,
    secret_sha256: String,
    key: String,
    pub deposited: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Request>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Decision {
    Approved { by: String, at: i64 },
    Refused { by: String, at: i64 },
}

impl Request {
    /// The request's state at `now`, or `None` once it lapsed.
    fn state(&self, now: i64) -> Option<Stage> {
        match &self.decision {
            None if now - self.at < REQUEST_SECS => Some(Stage::Waiting),
            Some(Decision::Approved { at, .. }) if now - at < APPROVAL_SECS => {
                Some(Stage::Approved)
            }
            Some(Decision::Refused { at, .. }) if now - at < REQUEST_SECS => Some(Stage::Refused),
            _ => None,
        }
    }
}

impl Deposit {
    pub fn state(&self, now: i64) -> Option<Stage> {
        self.request.as_ref()?.state(now)
    }
}

impl Deposits {
    /// A device's new recovery key replaces its last (and any request about the last).
    pub fn deposit(&mut self, device: &str, secret: &str, key: &str, now: i64) {
        self.deposits.retain(|d| d.device != device);
        self.deposits.push(Deposit {
            device: device.to_string(),
            secret_sha256: secret::sha256_hex(secret),
            key: key.to_string(),
            deposited: now,
            request: None,
        });
    }

    /// The deposit a recovery secret belongs to.
    pub fn by_secret(&self, secret: &str) -> Option<&Deposit> {
        let hash = secret::sha256_hex(secret);
        self.deposits.iter().find(|d| d.secret_sha256 == hash)
    }

    fn by_secret_mut(&mut self, secret: &str) -> Result<&mut Deposit, Refusal> {
        let hash = secret::sha256_hex(secret);
        self.deposits
            .iter_mut()
            .find(|d| d.secret_sha256 == hash)
            .ok_or(Refusal::NoDeposit)
    }

    /// A locked phone asks for its key. Asking again while a request is live changes nothing
    /// (a second tap must not undo the lead's approval); a refused or lapsed one starts anew.
    pub fn request(&mut self, secret: &str, now: i64) -> Result<(String, Stage), Refusal> {
        let deposit = self.by_secret_mut(secret)?;
        let state = match deposit.state(now) {
            Some(state @ (Stage::Waiting | Stage::Approved)) => state,
            Some(Stage::Refused) | None => {
                deposit.request = Some(Request {
                    at: now,
                    decision: None,
                });
                Stage::Waiting
            }
        };
        Ok((deposit.device.clone(), state))
    }

    /// Requests a lead should see: live ones, unanswered first.
    pub fn requests(&self, now: i64) -> Vec<(&Deposit, Stage)> {
        let mut live: Vec<_> = self
            .deposits
            .iter()
            .filter_map(|d| Some((d, d.state(now)?)))
            .collect();
        live.sort_by_key(|(d, state)| (*state != Stage::Waiting, d.request.as_ref().map(|r| r.at)));
        live
    }

    /// A lead's answer to a device's live request.
    pub fn decide(
        &mut self,
        device: &str,
        approve: bool,
        by: &str,
        now: i64,
    ) -> Result<(), Refusal> {
        let deposit = self
            .deposits
            .iter_mut()
            .find(|d| d.device == device)
            .ok_or(Refusal::NoRequest)?;
        let request = match (deposit.state(now), deposit.request.as_mut()) {
            (Some(_), Some(request)) => request,
            _ => return Err(Refusal::NoRequest),
        };
        let by = by.to_string();
        request.decision = Some(if approve {
            Decision::Approved { by, at: now }
        } else {
            Decision::Refused { by, at: now }
        });
        Ok(())
    }

    /// The key, once per approval: the approval is spent here. The key itself stays until the
    /// phone deposits its next one, so a phone that dies before its new PIN is set can be
    /// approved again rather than lose its unsent work.
    pub fn release(&mut self, secret: &str, now: i64) -> Result<(String, String), Refusal> {
        let deposit = self.by_secret_mut(secret)?;
        match (deposit.state(now), &deposit.request) {
            (Some(Stage::Approved), _) => {
                deposit.request = None;
                Ok((deposit.device.clone(), deposit.key.clone()))
            }
            (Some(Stage::Waiting), _) => Err(Refusal::Waiting),
            (Some(Stage::Refused), _) => Err(Refusal::Refused),
            (None, Some(_)) => Err(Refusal::Expired),
            (None, None) => Err(Refusal::NotRequested),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "the phone's recovery secret";

    fn deposited() -> Deposits {
        let mut deposits = Deposits::default();
        deposits.deposit("d-1", SECRET, "key-1", 0);
        deposits
    }

    #[test]
    fn an_approval_releases_the_key_once() {
        let mut deposits = deposited();
        assert_eq!(
            deposits.release(SECRET, 1).err(),
            Some(Refusal::NotRequested)
        );
        assert_eq!(
            deposits.request(SECRET, 10).map(|r| r.1),
            Ok(Stage::Waiting)
        );
        assert_eq!(deposits.release(SECRET, 11).err(), Some(Refusal::Waiting));
        deposits
            .decide("d-1", true, "t-lead", 20)
            .expect("approved");
        assert_eq!(
            deposits.request(SECRET, 21).map(|r| r.1),
            Ok(Stage::Approved)
        );
        assert_eq!(
            deposits.release(SECRET, 30).ok(),
            Some(("d-1".into(), "key-1".into()))
        );
        assert_eq!(
            deposits.release(SECRET, 31).err(),
            Some(Refusal::NotRequested)
        );
    }

    #[test]
    fn a_refusal_stands_until_the_phone_asks_again() {
        let mut deposits = deposited();
        deposits.request(SECRET, 10).expect("asked");
        deposits
            .decide("d-1", false, "t-lead", 20)
            .expect("refused");
        assert_eq!(deposits.release(SECRET, 21).err(), Some(Refusal::Refused));
        assert_eq!(
            deposits.request(SECRET, 22).map(|r| r.1),
            Ok(Stage::Waiting)
        );
        assert_eq!(deposits.release(SECRET, 23).err(), Some(Refusal::Waiting));
    }

    #[test]
    fn requests_and_approvals_lapse() {
        let mut deposits = deposited();
        deposits.request(SECRET, 0).expect("asked");
        assert_eq!(deposits.requests(REQUEST_SECS - 1).len(), 1);
        assert!(deposits.requests(REQUEST_SECS).is_empty());
        assert_eq!(
            deposits.decide("d-1", true, "t-lead", REQUEST_SECS),
            Err(Refusal::NoRequest)
        );
        deposits.request(SECRET, 100).expect("asked again");
        deposits
            .decide("d-1", true, "t-lead", 100)
            .expect("approved");
        assert_eq!(
            deposits.release(SECRET, 100 + APPROVAL_SECS).err(),
            Some(Refusal::Expired)
        );
    }

    #[test]
    fn a_new_deposit_replaces_the_old_key_and_secret() {
        let mut deposits = deposited();
        deposits.request(SECRET, 1).expect("asked");
        deposits.deposit("d-1", "a new secret", "key-2", 2);
        assert_eq!(deposits.request(SECRET, 3).err(), Some(Refusal::NoDeposit));
        assert!(deposits.requests(3).is_empty());
        assert_eq!(
            deposits.by_secret("a new secret").map(|d| d.deposited),
            Some(2)
        );
    }
}
