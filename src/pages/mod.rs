//! One file per screen.

pub mod child;
pub mod contact_card;
pub mod history;
pub mod import;
pub mod print;
pub mod roster;
pub mod school;
pub mod settings;
