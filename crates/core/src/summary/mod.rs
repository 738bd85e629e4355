//! The term and year summary (学期/学年工作总结): the figures it quotes, gathered once from the
//! same computations as the dashboard and the bureau tables (`stats::dashboard`,
//! `stats::control`), so the narrative never says another number than the tables. `draft`
//! composes the paragraphs in the seeds' register; `docx` writes them as a Word file; the lead's
//! edits live in the directory (`schema::summary`).

#[cfg(feature = "files")]
pub mod docx;
pub mod draft;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};

use crate::cadence::{Calendar, CareKind, Term};
use crate::doc_id::DocId;
use crate::plans::TermResult;
use crate::stats::care::{report_term, Tally};
use crate::stats::control::{control, ControlData};
use crate::stats::{dashboard, in_care, Counts, SchoolData};

pub use draft::{draft, numbered, ordinal_zh, Paragraph};

/// What the summary covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// 学期工作总结: the term under way, or the one just ended.
    Term,
    /// 学年工作总结: the school year's terms begun so far.
    Year,
}

impl Period {
    pub fn code(self) -> &'static str {
        match self {
            Period::Term => "term",
            Period::Year => "year",
        }
    }

    pub fn from_code(code: &str) -> Option<Period> {
        [Period::Term, Period::Year]
            .into_iter()
            .find(|p| p.code() == code)
    }
}

/// The terms a summary covers, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub period: Period,
    pub terms: Vec<Term>,
}

/// A school year begins in August: the autumn term is its first, the spring term its second.
fn school_year_of(day: NaiveDate) -> i32 {
    if day.month() >= 8 {
        day.year()
    } else {
        day.year() - 1
    }
}

impl Span {
    /// The term the dashboard reports on, or its school year's terms begun by `today`; None
    /// outside every term of the calendar.
    pub fn of(period: Period, calendar: &Calendar, today: NaiveDate) -> Option<Span> {
        let term = report_term(calendar, today)?;
        let terms = match period {
            Period::Term => vec![term],
            Period::Year => {
                let year = school_year_of(term.start);
                let mut terms: Vec<Term> = calendar
                    .terms
                    .iter()
                    .filter(|t| school_year_of(t.start) == year && t.start <= today)
                    .copied()
                    .collect();
                crate::sort::sort_by_key(&mut terms, |t| t.start);
                terms
            }
        };
        Some(Span { period, terms })
    }

    pub fn start(&self) -> NaiveDate {
        self.terms.first().map(|t| t.start).unwrap_or_default()
    }

    pub fn end(&self) -> NaiveDate {
        self.terms.last().map(|t| t.end).unwrap_or_default()
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start() <= day && day <= self.end()
    }

    /// The key the lead's edits are kept under: one per term or school year, so next term's
    /// summary starts from a fresh draft.
    pub fn key(&self) -> String {
        match self.period {
            Period::Term => format!("term-{}", self.start().format("%Y-%m-%d")),
            Period::Year => format!("year-{}", school_year_of(self.start())),
        }
    }

    /// "2026年秋季学期", "2026—2027学年".
    pub fn name_zh(&self) -> String {
        let start = self.start();
        match self.period {
            Period::Term if start.month() >= 8 => format!("{}年秋季学期", start.year()),
            Period::Term => format!("{}年春季学期", start.year()),
            Period::Year => {
                let year = school_year_of(start);
                format!("{year}—{}学年", year + 1)
            }
        }
    }

    pub fn title_zh(&self) -> String {
        format!("{}关爱留守儿童工作总结", self.name_zh())
    }
}

/// The focus children (重点帮扶对象) and how they came on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FocusFigures {
    pub children: u32,
    pub by_reason: Vec<(&'static str, u32)>,
    pub with_plan: u32,
    /// Plan reviews (复查) dated within the span.
    pub reviews: u32,
    /// Plans closed within the span (结案).
    pub closed: u32,
    /// Focus children whose class rank rose at an exam within the span, and of them those who
    /// gained the award's places (进步奖, `plans::progress::AWARD_RANK_GAIN`).
    pub rank_up: u32,
    pub awards: u32,
}

/// Group sessions of one kind within the span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionFigures {
    pub kind: &'static str,
    pub sessions: u32,
    pub children: u32,
    pub guardians: u32,
}

/// Every number the summary quotes.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryFigures {
    pub span: Span,
    /// The day the figures were taken.
    pub as_of: NaiveDate,
    /// Every child in the school's care now: 留守, on the school's wider list, or not yet known.
    pub in_care: u32,
    /// 留守 children now, by category (label, count).
    pub children: u32,
    pub by_category: Vec<(&'static str, u32)>,
    /// In care but not 留守 (the school's wider list), by category.
    pub watched: Vec<(&'static str, u32)>,
    /// Family facts still missing: counted apart, never as 留守.
    pub unknown: u32,
    pub no_guardian: u32,
    /// Complete archives (五个清楚 all known) of `in_care`.
    pub archives_complete: u32,
    /// Children of `in_care` whose guardian signed the consent (`consent.rs`).
    pub consent_signed: u32,
    pub paired: u32,
    /// Care due and done over the span (periods, summed over its terms), and how many records of
    /// each kind were made in it.
    pub care: BTreeMap<CareKind, Tally>,
    pub records: BTreeMap<CareKind, u32>,
    /// Home visits made in the span that a care lead checked (学校检查, `sign_off`).
    pub visits_checked: u32,
    /// Children whose parents are out of touch now.
    pub out_of_touch: u32,
    pub focus: FocusFigures,
    /// 控辍保学 within the span.
    pub dropouts_opened: u32,
    pub returned: u32,
    pub confirmed: u32,
    pub sessions: Vec<SessionFigures>,
}

/// The figures of a summary for `span`, as of `today`: head counts and the state of things now,
/// care per term (each term's dashboard, the current one up to today) summed over the span.
/// `results` are the focus children's term results (进步档案), from their plans documents.
pub fn gather(
    data: &SchoolData<'_>,
    control_data: &ControlData<'_>,
    results: &BTreeMap<DocId, Vec<TermResult>>,
    span: Span,
    today: NaiveDate,
) -> SummaryFigures {
    let now = dashboard(data, today);
    let mut care: BTreeMap<CareKind, Tally> = BTreeMap::new();
    for term in &span.terms {
        let on = term.end.min(today);
        for (kind, tally) in dashboard(data, on).care {
            care.entry(kind).or_default().add(tally);
        }
    }
    let mut records: BTreeMap<CareKind, u32> = BTreeMap::new();
    let mut visits_checked = 0;
    for child in data.roster.iter().filter(|e| in_care(e)) {
        if let Some(care) = data.care.get(&child.id) {
            visits_checked += care
                .visits
                .iter()
                .filter(|v| v.checked && span.contains(v.date))
                .count() as u32;
        }
        for (kind, days) in data
            .care
            .get(&child.id)
            .map(|c| &c.done)
            .into_iter()
            .flatten()
        {
            let n = days.iter().filter(|d| span.contains(**d)).count() as u32;
            *records.entry(*kind).or_default() += n;
        }
    }
    let whole = Term {
        start: span.start(),
        end: span.end(),
    };
    let c = control(control_data, Some(whole));
    let counts = &now.counts;
    SummaryFigures {
        as_of: today,
        in_care: counts.children,
        children: counts.left_behind(),
        by_category: categories(counts, true),
        watched: categories(counts, false),
        unknown: counts.unknown(),
        no_guardian: now.no_guardian.len() as u32,
        archives_complete: now.archive.complete,
        consent_signed: data
            .roster
            .iter()
            .filter(|e| in_care(e) && e.flags.consent == crate::consent::Consent::Signed)
            .count() as u32,
        paired: now.pairing.paired(),
        care,
        records,
        visits_checked,
        out_of_touch: now.out_of_touch.len() as u32,
        focus: focus_figures(data, results, &span, today),
        dropouts_opened: c.cases_opened,
        returned: c.returned,
        confirmed: c.confirmed,
        sessions: c
            .sessions
            .iter()
            .map(|s| SessionFigures {
                kind: s.kind.label_zh(),
                sessions: s.sessions,
                children: s.children,
                guardians: s.guardians,
            })
            .collect(),
        span,
    }
}

/// The known categories counted, 留守 ones or the others in care.
fn categories(counts: &Counts, left_behind: bool) -> Vec<(&'static str, u32)> {
    counts
        .by_category
        .iter()
        .filter_map(|(category, n)| category.map(|c| (c, *n)))
        .filter(|(c, n)| *n > 0 && c.is_left_behind() == left_behind)
        .map(|(c, n)| (c.label_zh(), n))
        .collect()
}

fn focus_figures(
    data: &SchoolData<'_>,
    results: &BTreeMap<DocId, Vec<TermResult>>,
    span: &Span,
    today: NaiveDate,
) -> FocusFigures {
    let mut f = FocusFigures::default();
    let mut reasons: BTreeMap<crate::plans::FocusReason, u32> = BTreeMap::new();
    let attending: BTreeSet<DocId> = data
        .roster
        .iter()
        .filter(|e| in_care(e))
        .map(|e| e.id)
        .collect();
    for (child, case) in data.focus {
        if !attending.contains(child) || !case.focus.active_on(today) {
            continue;
        }
        f.children += 1;
        for reason in &case.focus.reasons {
            *reasons.entry(*reason).or_default() += 1;
        }
        if let Some(plan) = &case.plan {
            f.with_plan += 1;
            f.reviews += plan
                .reviews
                .iter()
                .filter(|r| span.contains(r.date))
                .count() as u32;
            f.closed += u32::from(plan.closed.is_some_and(|d| span.contains(d)));
        }
        let results = results.get(child).map(Vec::as_slice).unwrap_or_default();
        let steps = crate::plans::progress(results);
        let within = steps.iter().filter(|s| span.contains(results[s.to].date));
        let best = within.filter_map(|s| s.rank_gain).max();
        f.rank_up += u32::from(best.is_some_and(|g| g > 0));
        f.awards += u32::from(best.is_some_and(|g| g >= crate::plans::progress::AWARD_RANK_GAIN));
    }
    f.by_reason = reasons
        .into_iter()
        .map(|(r, n)| (r.label_zh(), n))
        .collect();
    f
}

#[cfg(test)]
mod tests;
