//! Joining a school: the device's own children lines copied into the school's index as one
//! change, so no local line is lost. Teachers, duties and settings are the school's (its
//! directory, changed by its care lead), so a phone's own copies stay on the phone.

use automerge::transaction::Transaction;
use automerge::{Automerge, AutomergeError};

/// The part of an index a device fills in before it knows its school.
const COPIED: [&str; 1] = ["children"];

pub fn copy_index(local: &Automerge, tx: &mut Transaction<'_>) -> Result<(), AutomergeError> {
    shouwang_core::schema::copy_keys(local, tx, &COPIED)
}
