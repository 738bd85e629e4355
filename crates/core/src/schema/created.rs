//! The day a child's archive was created (建档): the Beijing date of its document's earliest
//! change. Care falls due from that day, never before it (`Calendar::from_day`). It travels with
//! the child's own document, so every phone that works with the child reads the same day, however
//! late the document reached it — a phone's own roster line, rebuilt or new, could not say that.

use automerge::Automerge;
use chrono::{DateTime, NaiveDate};

/// Beijing is UTC+8 all year; a change's time is Unix seconds.
const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

/// The day the document was created; None when no change carries a time (other peers may leave
/// it 0). The earliest time wins: a phone whose clock ran late can only move the day earlier,
/// which leaves care due from the term's start as before.
pub fn created_on(doc: &Automerge) -> Option<NaiveDate> {
    // The changes' metadata only: `get_changes` rebuilds every change from the document's
    // columns, 0.1 ms a child natively and half a millisecond at CPU ×4 in the browser, paid
    // for each child a lead's first sync brings (its roster line is derived with this day).
    let first = doc
        .get_changes_meta(&[])
        .iter()
        .map(|change| change.timestamp)
        .filter(|time| *time > 0)
        .min()?;
    DateTime::from_timestamp(first + BEIJING_OFFSET_SECS, 0).map(|t| t.date_naive())
}
