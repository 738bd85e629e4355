//! The domain of 守望: what a child's record is, which input is valid, and how records are laid out in
//! Automerge documents. Pure: no browser, no I/O, no clock ("today" and ids are parameters), so every
//! rule is tested natively and called alike from the app, the server and reports.

pub mod absence_register;
pub mod absence_steps;
pub mod absent_day;
pub mod access;
pub mod api;
pub mod archive;
pub mod assignments;
pub mod attendance;
pub mod back_entry;
pub mod cadence;
pub mod child;
pub mod child_cadence;
pub mod consent;
pub mod doc_id;
pub mod dropout_case_report;
pub mod dropout_report;
pub mod dropout_statistics;
pub mod ethnic;
#[cfg(feature = "files")]
pub mod export;
pub mod family;
pub mod field;
pub mod files;
pub mod five_clears;
pub mod form_field;
pub mod given;
pub mod guardianship;
pub mod harm;
pub mod history;
pub mod id_number;
pub mod import;
pub mod input;
pub mod leaving;
pub mod pairing;
pub mod persuasion;
pub mod phone;
pub mod pin;
pub mod plans;
pub mod records;
pub mod register_form;
pub mod report;
pub mod return_notice;
pub mod roll_calls;
pub mod roster;
pub mod schema;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod sign_off;
pub mod sort;
pub mod stats;
pub mod status;
pub mod summary;
pub mod teachers;
pub mod visit;
pub mod visit_target;
pub mod week;

pub use child::{BasicInfo, ChildDraft, ChildEdit, ChildRecord, Gender};
pub use doc_id::DocId;
pub use field::Field;
pub use history::ChangeMeta;
pub use input::{InputError, Issue};
pub use roster::RosterEntry;

/// Helpers for the unit tests of every module.
#[cfg(test)]
mod test_support {
    /// A lead's status change on a day, as the statistics read it.
    pub fn status_change(
        status: crate::status::Status,
        on: chrono::NaiveDate,
    ) -> crate::status::StatusChange {
        crate::status::StatusChange {
            status,
            on,
            place: String::new(),
            note: String::new(),
            by: "lead".into(),
            at: 0,
        }
    }

    /// Typed values by key, as a form gives them.
    pub fn values(pairs: &[(&str, &str)]) -> crate::archive::Values {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// A date from a literal the test knows is valid.
    pub fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    /// The seed defaults with one autumn term (2026-09-01 … 2027-01-20) and no holidays.
    pub fn autumn_settings() -> crate::settings::Settings {
        let mut settings = crate::settings::Settings::default();
        settings.calendar = crate::cadence::Calendar {
            terms: vec![crate::cadence::Term {
                start: day(2026, 9, 1),
                end: day(2027, 1, 20),
            }],
            holidays: vec![],
        };
        settings
    }
}
