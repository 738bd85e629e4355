//! One file per screen.

pub mod audit;
pub mod child;
pub mod child_plans;
pub mod contact_card;
pub mod dashboard;
pub mod entry;
pub mod focus;
pub mod history;
pub mod import;
pub mod lock;
pub mod pairing;
pub mod plan_visit;
pub mod print;
pub mod print_binder;
pub mod records;
pub mod report;
pub mod roll_call;
pub mod roster;
pub mod school;
pub mod school_care;
pub mod school_settings;
pub mod settings;
pub mod visit;
pub mod week;
