//! A deterministic school for tests: classes, children with derived flags, teachers and pairings,
//! care records over several school years and focus children, all from one seed (a small LCG, so
//! the same seed gives the same school on every machine).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use shouwang_core::cadence::{Calendar, CareKind, Term};
use shouwang_core::child::BasicInfo;
use shouwang_core::family::Category;
use shouwang_core::pairing::{Helper, HelperKind, Helpers};
use shouwang_core::plans::{Focus, FocusReason, Plan, Review};
use shouwang_core::roster::{Flags, RosterEntry};
use shouwang_core::schema::directory::Assignments;
use shouwang_core::settings::Settings;
use shouwang_core::stats::{FocusCase, SchoolData};
use shouwang_core::teachers::{Duty, Role, Teacher};
use shouwang_core::week::ChildCare;
use shouwang_core::{DocId, Gender};

/// Knuth's MMIX constants; the high bits are the random ones.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Lcg(seed ^ 0x5DEE_CE66_D1CE_5EED)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

pub struct Shape {
    pub seed: u64,
    pub classes: u32,
    pub children: u32,
    /// School years of records, ending with the one under way on `today`.
    pub years: i32,
}

pub struct School {
    pub roster: Vec<RosterEntry>,
    pub teachers: Vec<Teacher>,
    pub assignments: Assignments,
    pub helpers: Helpers,
    pub care: BTreeMap<DocId, ChildCare>,
    pub focus: BTreeMap<DocId, FocusCase>,
    pub settings: Settings,
    /// How many care records were generated in all.
    pub records: usize,
}

impl School {
    pub fn data(&self) -> SchoolData<'_> {
        SchoolData {
            roster: &self.roster,
            teachers: &self.teachers,
            assignments: &self.assignments,
            helpers: &self.helpers,
            care: &self.care,
            focus: &self.focus,
            settings: &self.settings,
        }
    }

    pub fn class_of(&self, child: DocId) -> Option<(u32, u32)> {
        self.roster
            .iter()
            .find(|e| e.id == child)
            .map(|e| (e.basic.grade, e.basic.class))
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Autumn 09-01 … 01-20 with 国庆 10-01 … 10-07, spring 02-22 … 07-02, for each school year that
/// has begun by `today`.
pub fn calendar(years: i32, today: NaiveDate) -> Calendar {
    let last = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let mut calendar = Calendar::default();
    for y in last + 1 - years..=last {
        calendar.terms.push(Term {
            start: day(y, 9, 1),
            end: day(y + 1, 1, 20),
        });
        calendar.terms.push(Term {
            start: day(y + 1, 2, 22),
            end: day(y + 1, 7, 2),
        });
        calendar.holidays.push(Term {
            start: day(y, 10, 1),
            end: day(y, 10, 7),
        });
    }
    calendar
}

const CATEGORIES: [Option<Category>; 6] = [
    Some(Category::BothAway),
    Some(Category::BothAway),
    Some(Category::OneAway),
    Some(Category::SingleParentAway),
    Some(Category::NotLeftBehind),
    None,
];

/// Records per term at most, by kind: on average 1.5 + 4 + 4 + 8.5 = 18 a term. Three school
/// years up to late November are five terms and a part, so 600 children make about 54,000.
const MOST_PER_TERM: [(CareKind, u64); 4] = [
    (CareKind::Visit, 3),
    (CareKind::ParentCall, 8),
    (CareKind::Talk, 8),
    (CareKind::ChildParentContact, 17),
];

pub fn generate(shape: &Shape, today: NaiveDate) -> School {
    let mut rng = Lcg::new(shape.seed);
    let mut settings = Settings::default();
    settings.calendar = calendar(shape.years, today);
    let teachers = teachers(shape.classes);
    let mut school = School {
        roster: Vec::new(),
        teachers,
        assignments: Assignments::new(),
        helpers: Helpers::new(),
        care: BTreeMap::new(),
        focus: BTreeMap::new(),
        settings,
        records: 0,
    };
    for n in 0..shape.children {
        let entry = child(&mut rng, n, shape.classes, today);
        let id = entry.id;
        let class_index = n % shape.classes;
        let mut duties = vec![(format!("class{class_index}"), Duty::ClassTeacher)];
        if rng.chance(80) {
            let paired = rng.below(school.teachers.len() as u64) as usize;
            duties.push((school.teachers[paired].id.clone(), Duty::Paired));
        }
        school.assignments.insert(id, duties);
        let mut helpers = Vec::new();
        if rng.chance(50) {
            helpers.push(helper(HelperKind::StudentBuddy));
        }
        if rng.chance(10) {
            helpers.push(helper(HelperKind::ProxyParent));
        }
        if !helpers.is_empty() {
            school.helpers.insert(id, helpers);
        }
        let care = care(&mut rng, &school.settings.calendar, today);
        school.records += care.done.values().map(Vec::len).sum::<usize>();
        school.care.insert(id, care);
        if rng.chance(8) {
            let focus = focus(&mut rng, today);
            school.focus.insert(id, focus);
        }
        school.roster.push(entry);
    }
    school
}

/// A class teacher per class, as many paired teachers again, and two of the leading group.
fn teachers(classes: u32) -> Vec<Teacher> {
    let teacher = |id: String, role| Teacher {
        name: id.clone(),
        id,
        role,
        left: None,
    };
    (0..classes)
        .map(|c| teacher(format!("class{c}"), Role::Teacher))
        .chain((0..classes).map(|c| teacher(format!("subject{c}"), Role::Teacher)))
        .chain((0..2).map(|c| teacher(format!("lead{c}"), Role::Lead)))
        .collect()
}

fn child(rng: &mut Lcg, n: u32, classes: u32, today: NaiveDate) -> RosterEntry {
    let class_index = n % classes;
    // Six grades of a primary school, classes spread over them.
    let grade = class_index % 6 + 1;
    let class = class_index / 6 + 1;
    let age_days = (i64::from(grade) + 5) * 365 + rng.below(365) as i64;
    let mut bytes = [0u8; 16];
    bytes[..4].copy_from_slice(&n.to_be_bytes());
    bytes[4..12].copy_from_slice(&rng.next().to_be_bytes());
    let category = CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize];
    RosterEntry {
        id: DocId::from_random(bytes),
        basic: BasicInfo {
            name: format!("学生{n}"),
            gender: if rng.chance(50) {
                Gender::Male
            } else {
                Gender::Female
            },
            birth_date: today - Duration::days(age_days),
            grade,
            class,
            village: format!("{}村", rng.below(12)),
            student_no: String::new(),
        },
        flags: Flags {
            category,
            no_guardian: rng.chance(15),
            clear_gaps: if rng.chance(60) {
                0
            } else {
                rng.below(5) as u8 + 1
            },
            boarding: Some(rng.chance(30)),
            assessed: None,
            added: None,
            disputed: 0,
            missing: 0,
            consent: Default::default(),
        },
    }
}

fn helper(kind: HelperKind) -> Helper {
    Helper {
        kind,
        name: kind.label_zh().into(),
    }
}

/// Care records on school days of every term up to `today`.
fn care(rng: &mut Lcg, calendar: &Calendar, today: NaiveDate) -> ChildCare {
    let mut done: BTreeMap<CareKind, Vec<NaiveDate>> = BTreeMap::new();
    for term in calendar.terms.iter().filter(|t| t.start <= today) {
        let last = term.end.min(today);
        let length = (last - term.start).num_days() as u64 + 1;
        for (kind, most) in MOST_PER_TERM {
            for _ in 0..rng.below(most + 1) {
                let date = term.start + Duration::days(rng.below(length) as i64);
                done.entry(kind).or_default().push(date);
            }
        }
    }
    let last_parent_contact = [CareKind::ParentCall, CareKind::ChildParentContact]
        .iter()
        .filter_map(|k| done.get(k))
        .flatten()
        .max()
        .copied();
    ChildCare {
        done,
        last_parent_contact,
        ..ChildCare::default()
    }
}

fn focus(rng: &mut Lcg, today: NaiveDate) -> FocusCase {
    let reason = FocusReason::ALL[rng.below(5) as usize];
    let since = today - Duration::days(30 + rng.below(200) as i64);
    let plan = rng.chance(70).then(|| Plan {
        problems: "学习滑坡".into(),
        goals: "期末及格".into(),
        measures: vec![],
        start: since,
        reviews: (0..rng.below(4))
            .map(|i| Review {
                date: since + Duration::days(20 * (i as i64 + 1)),
                outcome: "有进步".into(),
            })
            .filter(|r| r.date <= today)
            .collect(),
        closed: None,
        outcome: String::new(),
    });
    FocusCase {
        focus: Focus {
            reasons: vec![reason],
            other: String::new(),
            since,
            ended: None,
        },
        plan,
    }
}
