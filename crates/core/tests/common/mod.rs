//! Helpers shared by the domain's integration tests: the fixed "today" and section values.

#![allow(dead_code)] // each test binary uses its own subset

use chrono::NaiveDate;
use shouwang_core::archive::Values;

/// Every test runs on the same day, so date rules give the same answers on any machine.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date")
}

pub fn values(pairs: &[(&str, &str)]) -> Values {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}
