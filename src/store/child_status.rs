//! A child's school status through the store: each change is one change to the directory (only a
//! care lead's phone may make it), with the departure or return it means (`schema/status.rs`).

use leptos::prelude::*;
use shouwang_core::leaving::Leaving;
use shouwang_core::schema::status as schema_status;
use shouwang_core::status::{self, Status, StatusChange};
use shouwang_core::{DocId, RosterEntry};

use super::{SaveError, Store};

impl Store {
    /// Every child on the books, followed: those attending, then those who do not (休学,
    /// 疑似辍学) — still the school's, to be matched by an import and printed with the focus
    /// children.
    pub fn on_books(self) -> Vec<RosterEntry> {
        let mut all = self.roster.get();
        self.paused
            .with(|p| all.extend(p.iter().map(|(e, _)| e.clone())));
        all
    }

    /// A child's name as the school's lists give it, followed: one on the books who does not
    /// attend says so (王小明（疑似辍学）), one who left says 已离校; `None` for a child this phone
    /// has no roster line of.
    pub fn listed_name(self, child: DocId) -> Option<String> {
        let attending = self.roster.with(|all| {
            all.iter()
                .find(|e| e.id == child)
                .map(|e| e.basic.name.clone())
        });
        attending
            .or_else(|| {
                self.paused.with(|all| {
                    all.iter()
                        .find(|(e, _)| e.id == child)
                        .map(|(e, now)| format!("{}（{}）", e.basic.name, now.label()))
                })
            })
            .or_else(|| {
                self.departed.with(|all| {
                    all.iter()
                        .find(|(e, _)| e.id == child)
                        .map(|(e, _)| format!("{}（已离校）", e.basic.name))
                })
            })
    }

    /// Records a change of the child's status; the lists and what is due follow at once.
    pub async fn record_status(self, child: DocId, change: StatusChange) -> Result<(), SaveError> {
        let action = format!("学籍状态改为{}", change.status.label());
        self.write_directory(&action, move |tx| {
            schema_status::put_status(tx, child, &change)
        })
        .await
    }

    /// Withdraws a change recorded by mistake.
    pub async fn withdraw_status(
        self,
        child: DocId,
        change: StatusChange,
    ) -> Result<(), SaveError> {
        let action = format!("撤销学籍状态（{}）", change.status.label());
        self.write_directory(&action, move |tx| {
            schema_status::remove_status(tx, child, &change)
        })
        .await
    }

    /// The child's status history, oldest first (tracked: screens follow the directory).
    pub fn status_history(self, child: DocId) -> Vec<StatusChange> {
        self.statuses
            .with(|all| all.get(&child).cloned().unwrap_or_default())
    }

    /// The child's status now.
    pub fn status_of(self, child: DocId) -> Status {
        let leaving: Option<Leaving> = self.leaving_of(child);
        status::current(&self.status_history(child), leaving.as_ref())
    }
}
