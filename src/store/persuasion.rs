//! The 劝返 ledger through the store: a child's attempts and absences read from its records
//! document, the day the absence began under the school's threshold, and an attempt saved as one
//! change to that document.

use chrono::NaiveDate;
use shouwang_core::attendance::{Absence, WorkDays};
use shouwang_core::persuasion::{self, Attempt};
use shouwang_core::return_notice::ReturnNotice;
use shouwang_core::schema::persuasion as stored;
use shouwang_core::status::{self, DropoutCase};
use shouwang_core::DocId;

use super::{SaveError, Store};

/// A child's dropout case as the ledger shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    /// Every attempt, oldest first.
    pub attempts: Vec<Attempt>,
    /// The latest case in the child's status history, open or closed.
    pub case: Option<DropoutCase>,
    /// The day the absence began (or the case opened, with no absence on record).
    pub began: Option<NaiveDate>,
    /// Unexcused working days from `began` to today (or to the case's end).
    pub days_absent: usize,
    /// The day the roll-call's threshold was reached, when it was.
    pub flagged: Option<NaiveDate>,
    /// Every 劝返复学通知书 issued, oldest first, as printed.
    pub notices: Vec<ReturnNotice>,
}

impl Store {
    /// The ledger of `child` as of `today`.
    pub async fn ledger(self, child: DocId, today: NaiveDate) -> Result<Ledger, SaveError> {
        let (attempts, notices) = self
            .read_records(child, |doc| {
                Ok((stored::read_attempts(doc)?, stored::read_notices(doc)?))
            })
            .await?;
        let absences: Vec<Absence> = self
            .absences_of(child)
            .await?
            .into_iter()
            .map(|m| m.absence)
            .collect();
        let case = status::dropout_cases(&self.status_history(child)).pop();
        let flagged = self
            .suspected_dropouts(&[child], today)
            .await?
            .first()
            .map(|s| s.reached);
        let threshold = self.settings().dropout_threshold();
        let (calendar, make_up) = self.work_days(today);
        let days = WorkDays::new(&calendar, &make_up);
        let began = persuasion::case_began(
            case.as_ref().map(|c| c.opened),
            &absences,
            threshold,
            days,
            today,
        );
        let end = case
            .as_ref()
            .and_then(|c| c.closed.map(|(_, on)| on))
            .unwrap_or(today);
        let days_absent = began.map_or(0, |b| persuasion::days_absent(&absences, b, end));
        Ok(Ledger {
            attempts,
            case,
            began,
            days_absent,
            flagged,
            notices,
        })
    }

    /// Records one 劝返 attempt in the child's records document, forgetting its form's draft
    /// (`draft`) in the same write.
    pub async fn add_attempt(
        self,
        child: DocId,
        attempt: Attempt,
        draft: &str,
    ) -> Result<(), SaveError> {
        let id = super::new_doc_id().to_string();
        let action = format!("记录劝返（{}）", attempt.method.label());
        self.write_records(child, false, &action, Some(draft), move |tx| {
            stored::put_attempt(tx, &id, &attempt)
        })
        .await
    }

    /// Keeps a 劝返复学通知书 as it is printed, in the child's records document.
    pub async fn issue_notice(self, child: DocId, notice: ReturnNotice) -> Result<(), SaveError> {
        let id = super::new_doc_id().to_string();
        self.write_records(
            child,
            false,
            "发出劝返复学通知书",
            None,
            move |tx| stored::put_notice(tx, &id, &notice),
        )
        .await
    }
}
