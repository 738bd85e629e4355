//! Issue 14's property: five teachers' phones save every kind of record the app writes, offline
//! and online in random partitions, one phone is dropped and rebuilt from its storage, and then
//! everyone syncs. Every replica must end with the same document, every save acknowledged (and
//! every other) present as the schema's readers read it, and wherever two phones set one field
//! without seeing each other's value, both values shown as a conflict on every replica.
//!
//! The same kind of script runs twice: in memory (replicas exchanging Automerge sync messages,
//! some lost), and through the phone's document repository and the samod server, the path the
//! phones take, slower per save. A case of a thousand saves takes half a minute or more in a debug build, hence so
//! few cases: each run of the suite draws new ones.

mod edit;
mod ledger;
mod over_samod;
mod repo_phone;
mod school;
mod script;
mod slot;
mod star;

use std::cell::RefCell;
use std::io::Write;
use std::time::Instant;

use proptest::test_runner::{Config, TestCaseError, TestRunner};

use ledger::Found;
use script::{script, Script, PHONES};

/// Saves per case, as the issue asks.
const SAVES: usize = 1000;

/// What a case did and, if anything, what it found wrong.
#[derive(Default)]
pub struct Report {
    /// Edits that changed something (the rest found nothing to do on their phone).
    pub saves: usize,
    /// Saves the server was seen to hold before the final sync.
    pub acked: usize,
    /// Fields holding several values at once, as one replica sees them.
    pub conflicts: usize,
    pub problems: Vec<String>,
}

impl Report {
    fn add(&mut self, replica: &str, found: Found) {
        self.conflicts = self.conflicts.max(found.conflicts);
        let problems = found.problems.into_iter();
        self.problems
            .extend(problems.map(|p| format!("{replica}: {p}")));
    }

    fn into_result(self) -> Result<Report, String> {
        if self.problems.is_empty() {
            return Ok(self);
        }
        let shown: Vec<&str> = self.problems.iter().take(12).map(String::as_str).collect();
        Err(format!(
            "{} problems, the first:\n{}",
            self.problems.len(),
            shown.join("\n")
        ))
    }
}

/// How many cases a test draws: its own number, or `SHOUWANG_CONVERGE_CASES` for a longer soak
/// (README, Benchmarks).
fn soak_cases(default: u32) -> u32 {
    std::env::var("SHOUWANG_CONVERGE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        // Nothing is written next to the sources.
        failure_persistence: None,
        // A failing script is reported as drawn, not shrunk: each rerun takes half a minute, and
        // the problems name the saves involved (step, kind, phone).
        max_shrink_iters: 0,
        ..Config::default()
    }
}

/// Runs `cases` scripts through `run` and prints one line with the size and the time.
fn check(name: &str, cases: u32, run: impl Fn(&Script) -> Result<Report, String>) {
    let cases = soak_cases(cases);
    let started = Instant::now();
    let totals = RefCell::new(Report::default());
    let mut runner = TestRunner::new(config(cases));
    let result = runner.run(&script(SAVES), |script| {
        let report = run(&script).map_err(TestCaseError::fail)?;
        let mut totals = totals.borrow_mut();
        totals.saves += report.saves;
        totals.acked += report.acked;
        totals.conflicts += report.conflicts;
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{name}: {failure}");
    }
    let totals = totals.into_inner();
    // Straight to stderr, past the test harness's capture, so every run shows it.
    let _ = writeln!(
        std::io::stderr(),
        "PROPTEST converge {name}: {PHONES} replicas, {SAVES} edits, {cases} cases, {:.1} s \
         ({} saves, {} acknowledged before the final sync, {} fields in conflict)",
        started.elapsed().as_secs_f64(),
        totals.saves,
        totals.acked,
        totals.conflicts,
    );
}

#[test]
fn replicas_in_memory_converge_despite_lost_messages_partitions_and_a_restart() {
    check("in memory", 2, star::run);
}

#[test]
fn phones_through_samod_converge_despite_partitions_and_a_restart() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    check("through samod", 1, |script| {
        runtime.block_on(over_samod::run(script))
    });
}
