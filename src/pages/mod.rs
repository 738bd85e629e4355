//! One file per screen.

pub mod child;
pub mod contact_card;
pub mod entry;
pub mod history;
pub mod import;
pub mod plan_visit;
pub mod print;
pub mod records;
pub mod roster;
pub mod school;
pub mod settings;
pub mod visit;
pub mod week;
