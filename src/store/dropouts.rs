//! 控辍保学 across the school through the store: the children whose roll-call reached the 疑似辍学
//! threshold but whose status was not yet recorded, the open cases, the monthly report's tables
//! and the half-year 辍学情况统计表 — built from every child's status history (the directory) and,
//! for the children with a case, their absences and 劝返 attempts (records documents) and
//! guardian (archive).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use leptos::prelude::*;
use shouwang_core::attendance::{Absence, WorkDays};
use shouwang_core::dropout_report::{monthly_tables, ChildFacts, Month};
use shouwang_core::dropout_statistics::half_year_table;
use shouwang_core::leaving::Leaving;
use shouwang_core::persuasion::Attempt;
use shouwang_core::report::Table;
use shouwang_core::schema::persuasion as stored;
use shouwang_core::status::{self, StatusChange};
use shouwang_core::{DocId, RosterEntry};

use super::attendance::Suspected;
use super::{ChildView, SaveError, Store};

/// What the report reads of a child with a dropout case, besides its roster line.
#[derive(Default)]
struct CaseFacts {
    guardian: String,
    phone: String,
    absences: Vec<Absence>,
    attempts: Vec<Attempt>,
}

impl Store {
    /// Every child of the school on this phone, with its departure if it left.
    pub fn every_child(self) -> Vec<(RosterEntry, Option<Leaving>)> {
        let mut all: Vec<(RosterEntry, Option<Leaving>)> = self
            .roster
            .with(|r| r.iter().map(|e| (e.clone(), None)).collect());
        self.paused
            .with(|p| all.extend(p.iter().map(|(e, _)| (e.clone(), None))));
        self.departed
            .with(|d| all.extend(d.iter().map(|(e, l)| (e.clone(), Some(l.clone())))));
        all
    }

    /// Children the roll-call flags whose status does not say 疑似辍学 or 辍学 yet.
    pub async fn unregistered_dropouts(
        self,
        today: NaiveDate,
    ) -> Result<Vec<Suspected>, SaveError> {
        let attending: Vec<DocId> = self
            .roster
            .with_untracked(|r| r.iter().map(|e| e.id).collect());
        self.suspected_dropouts(&attending, today).await
    }

    /// The tables of `month`'s 控辍保学 report.
    pub async fn dropout_report(
        self,
        school: &str,
        month: Month,
        today: NaiveDate,
    ) -> Result<Vec<Table>, SaveError> {
        let children = self.every_child();
        let histories = self.statuses.get_untracked();
        let none: Vec<StatusChange> = Vec::new();
        let history_of = |id: &DocId| histories.get(id).unwrap_or(&none);
        let mut cases: BTreeMap<DocId, CaseFacts> = BTreeMap::new();
        for (entry, _) in &children {
            if status::dropout_cases(history_of(&entry.id)).is_empty() {
                continue;
            }
            cases.insert(entry.id, self.case_facts(entry.id).await?);
        }
        let empty = CaseFacts::default();
        let facts: Vec<ChildFacts<'_>> = children
            .iter()
            .map(|(entry, leaving)| {
                let case = cases.get(&entry.id).unwrap_or(&empty);
                ChildFacts {
                    basic: &entry.basic,
                    guardian: &case.guardian,
                    phone: &case.phone,
                    history: history_of(&entry.id),
                    leaving: leaving.as_ref(),
                    absences: &case.absences,
                    attempts: &case.attempts,
                }
            })
            .collect();
        let threshold = self.settings().dropout_threshold();
        let (calendar, make_up) = self.work_days(today);
        let days = WorkDays::new(&calendar, &make_up);
        Ok(monthly_tables(school, &facts, month, threshold, days))
    }

    /// The 辍学情况统计表 from the school year's 1 September to `day`: statuses only, so no
    /// child's document is opened.
    pub fn dropout_statistics(self, day: NaiveDate) -> Table {
        let children = self.every_child();
        let histories = self.statuses.get_untracked();
        let none: Vec<StatusChange> = Vec::new();
        let facts: Vec<ChildFacts<'_>> = children
            .iter()
            .map(|(entry, leaving)| ChildFacts {
                basic: &entry.basic,
                guardian: "",
                phone: "",
                history: histories.get(&entry.id).unwrap_or(&none),
                leaving: leaving.as_ref(),
                absences: &[],
                attempts: &[],
            })
            .collect();
        half_year_table(&facts, day)
    }

    async fn case_facts(self, child: DocId) -> Result<CaseFacts, SaveError> {
        let absences = self
            .absences_of(child)
            .await?
            .into_iter()
            .map(|m| m.absence)
            .collect();
        let attempts = self.read_records(child, stored::read_attempts).await?;
        let (guardian, phone) = match self.open_child(child).await? {
            ChildView::Ready(view) => {
                let with_name = view.archive.family_contact();
                let get = |k: &str| {
                    with_name
                        .and_then(|v| v.get(k))
                        .cloned()
                        .unwrap_or_default()
                };
                (get("name"), get("phone"))
            }
            _ => Default::default(),
        };
        Ok(CaseFacts {
            guardian,
            phone,
            absences,
            attempts,
        })
    }
}
