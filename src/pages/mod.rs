//! One file per screen.

pub mod child;
pub mod roster;
pub mod settings;
