//! Per-device daily quotas: how many new documents and how many bytes of changes one device may
//! bring to its school's server in a day (Beijing time). They bound what a runaway or misused
//! phone can make the server store; a device over either limit is refused sync for the rest of
//! the day (its socket cut, a new one refused with 429), with a Chinese reason `/api/me` gives the
//! phone and `/api/quota` gives the school's leads.
//!
//! New documents enter only through a child's registration (`POST /api/children`; the share
//! policy turns away any other unknown document), so a registration is charged its child's four
//! documents (archive, records, talk cards, plans) before anything is written, and refunded for
//! children that were not new. Bytes are the received frames that carry changes: handshakes
//! (heads and bloom filters, resent on every reconnect) cost nothing. A frame that would pass the
//! limit never reaches samod, so nothing of it is stored.
//!
//! The limits are the server's (`--quota-documents-per-day`, `--quota-mib-per-day`), not a
//! setting in the school's directory: they protect the server from its devices, a lead's phone
//! included, so no device may change them. The counts are kept per school per day in
//! `quota/<school>/<YYYY-MM-DD>.json` in the state store (the data directory, durable write,
//! 0600; or the bucket), flushed every second and on stop: a kill -9 forgets at most the last
//! second's counting. A refusal is kept as what the refused request wanted, not as a flag, so
//! raising a limit lifts it.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use shouwang_core::api::quota::Usage;
use tokio::sync::watch;

use crate::error::Error;
use crate::state_store::StateStore;

/// A lead importing a 600-child school on the first day registers 2,400 documents; a teacher
/// adds a few children a term. 3,000 a day never stops the first and bounds a runaway phone.
pub const DEFAULT_DOCUMENTS_PER_DAY: u64 = 3_000;
/// A child's full archive is tens of KB and a home visit a few KB, so a teacher's busy day is
/// well under 1 MiB and a lead's first upload of a whole school (600 archives, the index, the
/// directory) about 20–40 MiB. 100 MiB a day leaves room for that and for a phone resending
/// everything once, and bounds a runaway phone to about 3 GiB a month.
pub const DEFAULT_MIB_PER_DAY: u64 = 100;
/// A child's archive, records, talk cards and plans documents.
pub const DOCUMENTS_PER_CHILD: u64 = 4;
/// Count files older than this many days are removed when a newer one is written.
const KEEP_DAYS: i64 = 7;
const FLUSH_EVERY: Duration = Duration::from_secs(1);
const BEIJING: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub documents_per_day: u64,
    pub bytes_per_day: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            documents_per_day: DEFAULT_DOCUMENTS_PER_DAY,
            bytes_per_day: DEFAULT_MIB_PER_DAY << 20,
        }
    }
}

/// One device's day as stored.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct Used {
    documents: u64,
    bytes: u64,
    /// What a refused registration or frame wanted on top of what was used (0: nothing refused).
    #[serde(default)]
    refused_documents: u64,
    #[serde(default)]
    refused_bytes: u64,
}

impl Used {
    /// Why the device is refused under these limits, in the words its teacher reads.
    fn refusal(&self, limits: &Limits) -> Option<String> {
        let over = |used: u64, wanted: u64, limit: u64| wanted > 0 && used + wanted > limit;
        if over(
            self.documents,
            self.refused_documents,
            limits.documents_per_day,
        ) {
            return Some(format!(
                "本机今天新登记的儿童已达学校服务器的每日上限（{} 名），同步已暂停，明天自动恢复；\
                 记录都保存在本机，不会丢失。如需今天继续，请联系关爱负责人",
                limits.documents_per_day / DOCUMENTS_PER_CHILD
            ));
        }
        if over(self.bytes, self.refused_bytes, limits.bytes_per_day) {
            return Some(format!(
                "本机今天上传的数据已达学校服务器的每日上限（{}），同步已暂停，明天自动恢复；\
                 记录都保存在本机，不会丢失。如需今天继续，请联系关爱负责人",
                size(limits.bytes_per_day)
            ));
        }
        None
    }
}

/// One school's counts for one day, as in its file.
#[derive(Debug, Default, Serialize, Deserialize)]
struct SchoolDay {
    day: String,
    devices: BTreeMap<String, Used>,
    #[serde(skip)]
    dirty: bool,
}

/// Every school's counts for today; one per server.
pub struct Quotas {
    state: StateStore,
    /// The day each school's old counts were last pruned for: once a day, not every flush.
    pruned: Mutex<HashMap<String, String>>,
    limits: Limits,
    days: Mutex<HashMap<String, SchoolDay>>,
    /// Bumped whenever a device is refused; each open connection then checks whether it is its own.
    refusals: watch::Sender<u64>,
}

impl Quotas {
    pub fn new(state: &StateStore, limits: Limits) -> Self {
        Quotas {
            state: state.clone(),
            pruned: Mutex::default(),
            limits,
            days: Mutex::default(),
            refusals: watch::channel(0).0,
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Ok while the device may sync today.
    pub fn check(&self, school: &str, device: &str, now: i64) -> Result<(), Error> {
        match self.usage(school, device, now).refused {
            Some(reason) => Err(Error::QuotaExceeded(reason)),
            None => Ok(()),
        }
    }

    /// Charges a frame's bytes of changes; false (and the device refused for the rest of the day)
    /// when they would pass the limit, or when the device is refused already.
    pub fn admit_bytes(&self, school: &str, device: &str, bytes: u64, now: i64) -> bool {
        let limits = self.limits;
        let admitted = self.with_device(school, device, now, |used| {
            if used.refusal(&limits).is_some() {
                return false;
            }
            if used.bytes + bytes > limits.bytes_per_day {
                used.refused_bytes = bytes;
                return false;
            }
            used.bytes += bytes;
            used.refused_bytes = 0;
            true
        });
        if !admitted {
            self.refusals.send_modify(|n| *n += 1);
        }
        admitted
    }

    /// Charges a registration of `children` before it is written; the whole registration is
    /// refused (and the device with it) when it would pass the limit.
    pub fn admit_children(
        &self,
        school: &str,
        device: &str,
        children: u64,
        now: i64,
    ) -> Result<(), Error> {
        let limits = self.limits;
        let documents = children * DOCUMENTS_PER_CHILD;
        let admitted = self.with_device(school, device, now, |used| {
            if used.refusal(&limits).is_some() {
                return false;
            }
            if used.documents + documents > limits.documents_per_day {
                used.refused_documents = documents;
                return false;
            }
            used.documents += documents;
            used.refused_documents = 0;
            true
        });
        if admitted {
            return Ok(());
        }
        self.refusals.send_modify(|n| *n += 1);
        let reason = self.usage(school, device, now).refused.unwrap_or_default();
        Err(Error::QuotaExceeded(reason))
    }

    /// Gives back the charge of children a registration found were not new.
    pub fn refund_children(&self, school: &str, device: &str, children: u64, now: i64) {
        let documents = children * DOCUMENTS_PER_CHILD;
        self.with_device(school, device, now, |used| {
            used.documents = used.documents.saturating_sub(documents);
        });
    }

    pub fn usage(&self, school: &str, device: &str, now: i64) -> Usage {
        self.with_day(school, now, |day| {
            let used = day.devices.get(device).cloned().unwrap_or_default();
            self.usage_of(&day.day, &used)
        })
    }

    /// Today's usage of every device of the school that has any.
    pub fn school_usage(&self, school: &str, now: i64) -> BTreeMap<String, Usage> {
        self.with_day(school, now, |day| {
            day.devices
                .iter()
                .map(|(device, used)| (device.clone(), self.usage_of(&day.day, used)))
                .collect()
        })
    }

    /// Resolves once the device is refused (checked whenever any device is).
    pub fn refused(
        self: &Arc<Self>,
        school: &str,
        device: &str,
    ) -> impl Future<Output = ()> + Send + 'static {
        let (this, school, device) = (self.clone(), school.to_string(), device.to_string());
        let mut refusals = self.refusals.subscribe();
        async move {
            loop {
                refusals.borrow_and_update();
                if this.check(&school, &device, crate::server::now()).is_err()
                    || refusals.changed().await.is_err()
                {
                    return;
                }
            }
        }
    }

    /// Writes every school's changed counts. A failed write is retried at the next flush.
    pub fn flush(&self) {
        let pending: Vec<(String, String, Vec<u8>)> = {
            let mut days = self.days.lock().unwrap_or_else(PoisonError::into_inner);
            days.iter_mut()
                .filter(|(_, day)| day.dirty)
                .filter_map(|(school, day)| {
                    day.dirty = false;
                    Some((
                        school.clone(),
                        day.day.clone(),
                        serde_json::to_vec(day).ok()?,
                    ))
                })
                .collect()
        };
        for (school, day, bytes) in pending {
            let key = key(&school, &day);
            if let Err(e) = self.state.write(&key, &bytes) {
                eprintln!("quota: cannot write {}: {e}", self.state.describe(&key));
                self.mark_dirty(&key);
            } else {
                self.prune(&school, &day);
            }
        }
    }

    /// Writes the school's counts and forgets them: another instance now serves the school and
    /// counts from the file, and this one must not write over it later, nor count from stale
    /// figures should the school come back.
    pub fn release(&self, school: &str) {
        self.flush();
        let mut days = self.days.lock().unwrap_or_else(PoisonError::into_inner);
        days.remove(school);
    }

    /// Flushes every second until the quotas are dropped.
    pub fn spawn_flusher(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(FLUSH_EVERY);
            loop {
                tick.tick().await;
                let Some(quotas) = weak.upgrade() else { return };
                // Off the runtime's threads: a flush fsyncs.
                let _ = tokio::task::spawn_blocking(move || quotas.flush()).await;
            }
        })
    }

    fn usage_of(&self, day: &str, used: &Used) -> Usage {
        Usage {
            day: day.to_string(),
            documents: used.documents,
            documents_per_day: self.limits.documents_per_day,
            bytes: used.bytes,
            bytes_per_day: self.limits.bytes_per_day,
            refused: used.refusal(&self.limits),
        }
    }

    fn with_device<T>(
        &self,
        school: &str,
        device: &str,
        now: i64,
        change: impl FnOnce(&mut Used) -> T,
    ) -> T {
        self.with_day(school, now, |day| {
            day.dirty = true;
            change(day.devices.entry(device.to_string()).or_default())
        })
    }

    /// Runs `f` on the school's counts for the day of `now`, loading them on a new day.
    fn with_day<T>(&self, school: &str, now: i64, f: impl FnOnce(&mut SchoolDay) -> T) -> T {
        let today = day_of(now);
        let mut days = self.days.lock().unwrap_or_else(PoisonError::into_inner);
        let day = days.entry(school.to_string()).or_default();
        if day.day != today {
            if day.dirty {
                // Yesterday's last counts: written now, before they are replaced (once a day).
                let _ = serde_json::to_vec(&*day)
                    .map(|bytes| self.state.write(&key(school, &day.day), &bytes));
            }
            *day = self.load(school, &today);
        }
        f(day)
    }

    fn load(&self, school: &str, today: &str) -> SchoolDay {
        let key = key(school, today);
        let read = match self.state.read(&key) {
            Ok(Some(bytes)) => serde_json::from_slice(&bytes).map_err(|e| e.to_string()),
            Ok(None) => Ok(SchoolDay::default()),
            Err(e) => Err(e.to_string()),
        };
        let mut day = read.unwrap_or_else(|e| {
            // Counting again from zero is the lesser harm than refusing a whole school.
            eprintln!(
                "quota: {} unreadable, counting from zero: {e}",
                self.state.describe(&key)
            );
            SchoolDay::default()
        });
        day.day = today.to_string();
        day
    }

    fn mark_dirty(&self, written: &str) {
        let mut days = self.days.lock().unwrap_or_else(PoisonError::into_inner);
        for (school, day) in days.iter_mut() {
            if key(school, &day.day) == written {
                day.dirty = true;
            }
        }
    }

    /// Removes the school's counts of days more than `KEEP_DAYS` before `day`, the first time a
    /// day's counts are written.
    fn prune(&self, school: &str, day: &str) {
        {
            let mut pruned = self.pruned.lock().unwrap_or_else(PoisonError::into_inner);
            if pruned.get(school).map(String::as_str) == Some(day) {
                return;
            }
            pruned.insert(school.to_string(), day.to_string());
        }
        let Ok(day) = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
            return;
        };
        let oldest = (day - chrono::Duration::days(KEEP_DAYS))
            .format("%Y-%m-%d")
            .to_string();
        let dir = format!("quota/{school}");
        let Ok(listed) = self.state.list(&dir) else {
            return;
        };
        for listed in listed {
            let is_old = listed
                .name
                .strip_suffix(".json")
                .is_some_and(|d| d.len() == 10 && d < oldest.as_str());
            if is_old {
                let _ = self.state.remove(&format!("{dir}/{}", listed.name));
            }
        }
    }
}

/// One sync connection's view of its device's quota.
#[derive(Clone)]
pub struct Meter {
    quotas: Arc<Quotas>,
    school: String,
    device: String,
}

impl Meter {
    pub fn new(quotas: &Arc<Quotas>, school: &str, device: &str) -> Meter {
        Meter {
            quotas: quotas.clone(),
            school: school.to_string(),
            device: device.to_string(),
        }
    }

    /// Whether a received frame may go on to samod: one carrying changes is charged its size;
    /// nothing goes on once the device is refused.
    pub fn admit(&self, frame: &[u8]) -> bool {
        let now = crate::server::now();
        match crate::audit::carried(frame) {
            Some(_) => {
                let bytes = frame.len() as u64;
                self.quotas
                    .admit_bytes(&self.school, &self.device, bytes, now)
            }
            None => self.quotas.check(&self.school, &self.device, now).is_ok(),
        }
    }

    /// Resolves once the device is refused.
    pub fn refused(&self) -> impl Future<Output = ()> + Send + 'static {
        self.quotas.refused(&self.school, &self.device)
    }
}

/// A byte count as a teacher reads it: whole MB, or KB below one MB.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", bytes.div_ceil(1 << 10))
    }
}

/// The day (Beijing time) of a unix second, as `YYYY-MM-DD`.
fn day_of(now: i64) -> String {
    DateTime::from_timestamp(now, 0)
        .unwrap_or_default()
        .with_timezone(&BEIJING)
        .format("%Y-%m-%d")
        .to_string()
}

/// Where a school's counts of a day are kept.
fn key(school: &str, day: &str) -> String {
    format!("quota/{school}/{day}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-02 10:00 Beijing time.
    const MORNING: i64 = 1_796_176_800;
    const DAY: i64 = 86_400;

    fn small() -> Limits {
        Limits {
            documents_per_day: 8,
            bytes_per_day: 1_000,
        }
    }

    #[test]
    fn a_frame_past_the_byte_limit_is_refused_and_so_is_the_rest_of_the_day() {
        let dir = tempfile::tempdir().expect("dir");
        let quotas = Quotas::new(&StateStore::Dir(dir.path().to_path_buf()), small());
        assert!(quotas.admit_bytes("s", "d1", 600, MORNING));
        assert!(
            !quotas.admit_bytes("s", "d1", 500, MORNING),
            "1,100 > 1,000"
        );
        assert!(
            !quotas.admit_bytes("s", "d1", 10, MORNING),
            "refused for the day"
        );
        assert!(
            quotas.admit_bytes("s", "d2", 900, MORNING),
            "another device"
        );
        let usage = quotas.usage("s", "d1", MORNING);
        assert_eq!((usage.bytes, usage.day.as_str()), (600, "2026-12-02"));
        assert!(
            usage.refused.as_deref().unwrap_or("").contains("（1 KB）"),
            "{usage:?}"
        );
        assert!(matches!(
            quotas.check("s", "d1", MORNING),
            Err(Error::QuotaExceeded(reason)) if reason.contains("每日上限")
        ));
        assert!(quotas.check("s", "d1", MORNING + DAY).is_ok(), "tomorrow");
        assert!(quotas.admit_bytes("s", "d1", 900, MORNING + DAY));
    }

    #[test]
    fn a_registration_is_charged_whole_and_refunded_for_children_not_new() {
        let dir = tempfile::tempdir().expect("dir");
        let quotas = Quotas::new(&StateStore::Dir(dir.path().to_path_buf()), small());
        quotas
            .admit_children("s", "d1", 2, MORNING)
            .expect("8 documents fit");
        quotas.refund_children("s", "d1", 1, MORNING);
        assert_eq!(quotas.usage("s", "d1", MORNING).documents, 4);
        assert!(quotas.admit_children("s", "d1", 2, MORNING).is_err());
        let usage = quotas.usage("s", "d1", MORNING);
        assert_eq!(usage.documents, 4, "nothing of the refused one is counted");
        assert!(
            usage.refused.as_deref().unwrap_or("").contains("2 名"),
            "{usage:?}"
        );
    }

    #[test]
    fn a_school_handed_to_another_instance_is_counted_on_from_its_file() {
        let dir = tempfile::tempdir().expect("dir");
        let (one, two) = (
            Quotas::new(&StateStore::Dir(dir.path().to_path_buf()), small()),
            Quotas::new(&StateStore::Dir(dir.path().to_path_buf()), small()),
        );
        assert!(one.admit_bytes("s", "d1", 300, MORNING));
        one.release("s");
        // The new instance counts on from what the old one wrote.
        assert!(two.admit_bytes("s", "d1", 300, MORNING));
        assert_eq!(two.usage("s", "d1", MORNING).bytes, 600);
        two.release("s");
        // The school comes back: the old instance reads the file, not what it had in memory.
        assert_eq!(one.usage("s", "d1", MORNING).bytes, 600);
    }

    #[test]
    fn counts_and_refusals_survive_a_restart_and_a_higher_limit_lifts_a_refusal() {
        let dir = tempfile::tempdir().expect("dir");
        let quotas = Quotas::new(&StateStore::Dir(dir.path().to_path_buf()), small());
        assert!(quotas.admit_bytes("s", "d1", 700, MORNING));
        assert!(!quotas.admit_bytes("s", "d1", 700, MORNING));
        quotas.flush();
        let file = dir.path().join("quota/s/2026-12-02.json");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);

        let again = Quotas::new(&StateStore::Dir(dir.path().to_path_buf()), small());
        assert_eq!(again.usage("s", "d1", MORNING).bytes, 700);
        assert!(again.check("s", "d1", MORNING).is_err(), "still refused");
        let raised = Quotas::new(
            &StateStore::Dir(dir.path().to_path_buf()),
            Limits {
                bytes_per_day: 2_000,
                ..small()
            },
        );
        assert!(raised.check("s", "d1", MORNING).is_ok());
        assert!(raised.admit_bytes("s", "d1", 700, MORNING));
    }

    #[test]
    fn a_new_day_writes_the_last_one_and_old_files_are_pruned() {
        let dir = tempfile::tempdir().expect("dir");
        let quotas = Quotas::new(&StateStore::Dir(dir.path().to_path_buf()), small());
        assert!(quotas.admit_bytes("s", "d1", 1, MORNING - 10 * DAY));
        assert!(quotas.admit_bytes("s", "d1", 2, MORNING - DAY));
        assert!(quotas.admit_bytes("s", "d1", 3, MORNING));
        quotas.flush();
        let mut files: Vec<String> = std::fs::read_dir(dir.path().join("quota/s"))
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, ["2026-12-01.json", "2026-12-02.json"]);
    }

    #[tokio::test]
    async fn a_connection_learns_its_device_was_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let quotas = Arc::new(Quotas::new(
            &StateStore::Dir(dir.path().to_path_buf()),
            small(),
        ));
        let now = crate::server::now();
        let refused = tokio::spawn(quotas.refused("s", "d1"));
        assert!(!quotas.admit_bytes("s", "d2", 2_000, now));
        tokio::task::yield_now().await;
        assert!(!refused.is_finished(), "another device's refusal");
        assert!(!quotas.admit_bytes("s", "d1", 2_000, now));
        tokio::time::timeout(Duration::from_secs(5), refused)
            .await
            .expect("in time")
            .expect("resolved");
    }
}
