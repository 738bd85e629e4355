//! The school's view over generated schools: counts, coverage and care done vs due checked
//! against numbers counted directly over the generated data, and the dashboard's time at the
//! scale of a large school (600 children, three years of records); the bureau workbook read back.

#[path = "../common/mod.rs"]
mod common;
mod dashboard;
mod dropout;
mod export;
mod generator;
mod scale;
