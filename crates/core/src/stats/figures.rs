//! A school's figures as the county sees them: counts only — no child, no teacher, no class —
//! taken from the school's own dashboard and 控辍保学 figures, so the county's sum of its schools
//! equals the sum of what each school's care lead sees. The care lead's phone publishes them
//! (`schema::figures`); the server adds the published figures of a county's schools up.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::care::Tally;
use super::control::Control;
use super::Dashboard;
use crate::cadence::{CareKind, Due};
use crate::family::Category;
use crate::status::Status;

/// Counts that add up across schools. Every field is a number of children, items or sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Figures {
    /// Children in the school's care (留守, watch list, and family facts unknown).
    pub children: u32,
    /// 留守儿童 by the official definition.
    pub left_behind: u32,
    /// The school's wider watch list (学校关爱对象, not 留守).
    pub watched: u32,
    /// Family facts not recorded yet (counted apart, never as 留守).
    pub unknown: u32,
    pub by_category: BTreeMap<Category, u32>,
    /// Children in care whose archive is complete (五个清楚 all clear): 建档率's numerator.
    pub archived: u32,
    pub no_guardian: u32,
    /// Children in care with a paired adult.
    pub paired: u32,
    /// Care done vs due this term so far, per kind.
    pub care: BTreeMap<CareKind, Tally>,
    /// Care items overdue today.
    pub overdue: u32,
    /// 控辍保学 this term: cases opened, closed by a return, confirmed as 辍学.
    pub dropout_cases: u32,
    pub returned: u32,
    pub confirmed_dropouts: u32,
    /// Children whose status is 疑似辍学 or 辍学 now.
    pub out_of_school: u32,
    /// Group sessions this term (集体活动) and the children who took part, once per session.
    pub sessions: u32,
    pub session_children: u32,
    /// Children whose records the lead's phone could not read (not counted as done).
    pub unreadable: u32,
}

impl Figures {
    /// The figures of a school's dashboard and 控辍保学 view, as its screens show them.
    pub fn of(dashboard: &Dashboard, control: &Control, unreadable: usize) -> Figures {
        let counts = &dashboard.counts;
        Figures {
            children: counts.children,
            left_behind: counts.left_behind(),
            watched: counts.watched(),
            unknown: counts.unknown(),
            by_category: counts
                .by_category
                .iter()
                .filter_map(|(category, n)| Some(((*category)?, *n)))
                .collect(),
            archived: dashboard.archive.complete,
            no_guardian: dashboard.no_guardian.len() as u32,
            paired: dashboard.pairing.paired(),
            care: dashboard.care.clone(),
            overdue: dashboard
                .due
                .iter()
                .filter(|item| matches!(item.due, Due::Overdue { .. }))
                .count() as u32,
            dropout_cases: control.cases_opened,
            returned: control.returned,
            confirmed_dropouts: control.confirmed,
            out_of_school: control.count(Status::SuspectedDropout)
                + control.count(Status::DroppedOut),
            sessions: control.sessions_total(),
            session_children: control.sessions.iter().map(|s| s.children).sum(),
            unreadable: unreadable as u32,
        }
    }

    /// Adds another school's figures to these.
    pub fn add(&mut self, other: &Figures) {
        let Figures {
            children,
            left_behind,
            watched,
            unknown,
            by_category,
            archived,
            no_guardian,
            paired,
            care,
            overdue,
            dropout_cases,
            returned,
            confirmed_dropouts,
            out_of_school,
            sessions,
            session_children,
            unreadable,
        } = other;
        for (mine, theirs) in [
            (&mut self.children, children),
            (&mut self.left_behind, left_behind),
            (&mut self.watched, watched),
            (&mut self.unknown, unknown),
            (&mut self.archived, archived),
            (&mut self.no_guardian, no_guardian),
            (&mut self.paired, paired),
            (&mut self.overdue, overdue),
            (&mut self.dropout_cases, dropout_cases),
            (&mut self.returned, returned),
            (&mut self.confirmed_dropouts, confirmed_dropouts),
            (&mut self.out_of_school, out_of_school),
            (&mut self.sessions, sessions),
            (&mut self.session_children, session_children),
            (&mut self.unreadable, unreadable),
        ] {
            *mine += theirs;
        }
        for (category, n) in by_category {
            *self.by_category.entry(*category).or_default() += n;
        }
        super::care::add_tally(&mut self.care, care);
    }

    /// 建档率: children in care with a complete archive, in percent (0 with no children).
    pub fn archive_rate(&self) -> f64 {
        Tally {
            due: self.children,
            done: self.archived,
        }
        .percent()
    }

    /// Care of one kind done vs due this term.
    pub fn care_of(&self, kind: CareKind) -> Tally {
        self.care.get(&kind).copied().unwrap_or_default()
    }
}

/// Figures older than this many days are marked on the county's screen.
pub const STALE_AFTER_DAYS: i64 = 7;

/// What a school publishes: its figures, the day they were computed and the term they cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Published {
    pub as_of: NaiveDate,
    /// The term's first and last day (None in a holiday with no term entered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<(NaiveDate, NaiveDate)>,
    pub figures: Figures,
}

impl Published {
    pub fn new(
        dashboard: &Dashboard,
        control: &Control,
        unreadable: usize,
        today: NaiveDate,
    ) -> Self {
        Published {
            as_of: today,
            term: dashboard.term.map(|t| (t.start, t.end)),
            figures: Figures::of(dashboard, control, unreadable),
        }
    }

    /// How many days old the figures are on `today`, when they are older than a week (the county
    /// is told: a care lead who has not opened 关爱检查 for that long sends nothing newer).
    pub fn stale_days(&self, today: NaiveDate) -> Option<i64> {
        let days = (today - self.as_of).num_days();
        (days > STALE_AFTER_DAYS).then_some(days)
    }

    /// Whether these figures should replace `published`: they changed, or a day has passed (so
    /// the county sees how fresh they are), never more often — each publication is a change
    /// in the school's directory, kept in its history.
    pub fn replaces(&self, published: Option<&Published>) -> bool {
        published.is_none_or(|old| old != self)
    }
}

/// The county's total of the schools that published figures.
pub fn total<'a>(schools: impl IntoIterator<Item = &'a Published>) -> Figures {
    let mut sum = Figures::default();
    for school in schools {
        sum.add(&school.figures);
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sessions::SessionKind;
    use crate::stats::control::SessionTally;

    fn date(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("test value")
    }

    fn school(children: u32, visits_done: u32, cases: u32) -> Published {
        let mut figures = Figures {
            children,
            left_behind: children - 1,
            unknown: 1,
            archived: children / 2,
            dropout_cases: cases,
            sessions: 2,
            session_children: 2 * children,
            ..Figures::default()
        };
        figures.by_category.insert(Category::BothAway, children - 1);
        figures.care.insert(
            CareKind::Visit,
            Tally {
                due: children,
                done: visits_done,
            },
        );
        Published {
            as_of: date("2026-11-30"),
            term: None,
            figures,
        }
    }

    #[test]
    fn the_total_adds_every_count_of_every_school() {
        let (a, b) = (school(10, 4, 1), school(30, 30, 0));
        let sum = total([&a, &b]);
        assert_eq!(sum.children, 40);
        assert_eq!(sum.left_behind, 38);
        assert_eq!(sum.unknown, 2);
        assert_eq!(sum.archived, 20);
        assert_eq!(sum.dropout_cases, 1);
        assert_eq!(sum.session_children, 80);
        assert_eq!(sum.by_category[&Category::BothAway], 38);
        assert_eq!(sum.care_of(CareKind::Visit), Tally { due: 40, done: 34 });
        assert_eq!(sum.care_of(CareKind::Talk), Tally::default());
        assert!((sum.archive_rate() - 50.0).abs() < 1e-9);
        assert_eq!(total([]), Figures::default());
    }

    #[test]
    fn figures_are_the_dashboards_own() {
        let mut dashboard = Dashboard::default();
        dashboard.counts.children = 3;
        dashboard
            .counts
            .by_category
            .insert(Some(Category::BothAway), 1);
        dashboard
            .counts
            .by_category
            .insert(Some(Category::OneAway), 1);
        dashboard.counts.by_category.insert(None, 1);
        dashboard.archive.children = 3;
        dashboard.archive.complete = 2;
        dashboard.pairing.children = 3;
        dashboard
            .care
            .insert(CareKind::Talk, Tally { due: 3, done: 1 });
        let control = Control {
            cases_opened: 2,
            returned: 1,
            confirmed: 1,
            by_status: vec![(Status::SuspectedDropout, 1), (Status::DroppedOut, 1)],
            sessions: vec![SessionTally {
                kind: SessionKind::ALL[0],
                sessions: 4,
                children: 9,
                guardians: 0,
            }],
            ..Control::default()
        };
        let figures = Figures::of(&dashboard, &control, 1);
        assert_eq!(
            (
                figures.children,
                figures.left_behind,
                figures.watched,
                figures.unknown
            ),
            (3, 1, 1, 1)
        );
        assert_eq!(
            figures.by_category.len(),
            2,
            "the unknown are counted apart"
        );
        assert_eq!((figures.archived, figures.paired), (2, 3));
        assert_eq!(figures.care_of(CareKind::Talk), Tally { due: 3, done: 1 });
        assert_eq!(
            (
                figures.dropout_cases,
                figures.returned,
                figures.confirmed_dropouts
            ),
            (2, 1, 1)
        );
        assert_eq!((figures.out_of_school, figures.sessions), (2, 4));
        assert_eq!((figures.session_children, figures.unreadable), (9, 1));
    }

    #[test]
    fn publishing_again_only_when_something_changed() {
        let today = school(10, 4, 0);
        assert!(today.replaces(None));
        assert!(!today.replaces(Some(&today.clone())));
        let next_day = Published {
            as_of: date("2026-12-01"),
            ..today.clone()
        };
        assert!(next_day.replaces(Some(&today)));
        let more_visits = school(10, 5, 0);
        assert!(more_visits.replaces(Some(&today)));
    }

    #[test]
    fn figures_older_than_a_week_are_stale() {
        let published = school(3, 1, 0);
        assert_eq!(published.stale_days(date("2026-11-30")), None);
        assert_eq!(published.stale_days(date("2026-12-07")), None);
        assert_eq!(published.stale_days(date("2026-12-08")), Some(8));
    }

    #[test]
    fn the_json_names_counts_only() {
        let json = serde_json::to_string(&school(2, 1, 0)).expect("test value");
        assert!(json.contains(r#""asOf":"2026-11-30""#), "{json}");
        assert!(json.contains(r#""byCategory":{"bothAway":1}"#), "{json}");
        assert!(
            json.contains(r#""care":{"visit":{"due":2,"done":1}}"#),
            "{json}"
        );
        let back: Published = serde_json::from_str(&json).expect("test value");
        assert_eq!(back, school(2, 1, 0));
        // A newer phone's extra count does not stop an older server reading the rest.
        let with_more = json.replace(r#""children":2"#, r#""children":2,"later":7"#);
        assert_eq!(
            serde_json::from_str::<Published>(&with_more).expect("test value"),
            back
        );
    }
}
