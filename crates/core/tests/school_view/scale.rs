//! The dashboard at the scale of a large rural school: 600 children, three school years of care
//! records (about 54,000), computed natively; the time is printed and held to a generous bound.

use std::time::{Duration, Instant};

use shouwang_core::stats::dashboard;

use crate::common::today;
use crate::generator::{generate, Shape};

/// Generous for a debug build on a shared machine; a release build takes a small fraction.
const BOUND: Duration = Duration::from_secs(3);

#[test]
fn six_hundred_children_over_three_years() {
    let school = generate(
        &Shape {
            seed: 2026,
            classes: 18,
            children: 600,
            years: 3,
        },
        today(),
    );
    assert!(
        (45_000..=60_000).contains(&school.records),
        "{} records",
        school.records
    );
    let started = Instant::now();
    let d = dashboard(&school.data(), today());
    let took = started.elapsed();
    println!(
        "dashboard of {} children, {} records: {took:?}",
        school.roster.len(),
        school.records
    );
    assert!(d.counts.children > 0);
    assert!(took < BOUND, "took {took:?}");
}
