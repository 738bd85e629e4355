//! The school's view over generated schools: counts, coverage and care done vs due checked
//! against numbers counted directly over the generated data, and the dashboard's time at the
//! scale of a large school (600 children, three years of records).

#[path = "../common/mod.rs"]
mod common;
mod dashboard;
mod generator;
mod scale;
