//! Which classes have not taken the roll-call of the school day (点名制度): for the care lead, a
//! class never called never flags a child 疑似辍学, so its silence is said, with the day of its
//! last roll-call; for a 班主任 on 我的一周, her classes still to call. Read from the classes' last
//! roll-calls on the school's index (`shouwang_core::roll_calls`), redrawn when another teacher's
//! arrives.

use chrono::NaiveDate;
use leptos::prelude::*;
use shouwang_core::report::class_label_zh;
use shouwang_core::roll_calls::{self, Class};
use shouwang_core::teachers::Duty;
use shouwang_core::RosterEntry;

use crate::store::Store;

/// The school day whose roll-call is asked for — today, on a weekend the last school day — and
/// how it is named; None in a holiday, when none is due.
fn school_day(store: Store) -> Option<(NaiveDate, String)> {
    let today = chrono::Local::now().date_naive();
    let day = store.roll_call_day(today);
    let when = if day == today {
        "今天".to_string()
    } else {
        format!("最近上课日 {}", day.format("%-m月%-d日"))
    };
    store.is_working_day(day).then_some((day, when))
}

/// The classes of the children `of` keeps, each once.
fn classes(store: Store, of: impl Fn(&RosterEntry) -> bool) -> Vec<Class> {
    let mut classes: Vec<Class> = store.roster.with(|all| {
        all.iter()
            .filter(|e| of(e))
            .map(|e| (e.basic.grade, e.basic.class))
            .collect()
    });
    classes.sort_unstable();
    classes.dedup();
    classes
}

/// On 我的一周, for a 班主任: her classes not yet called, with the way to 考勤.
#[component]
pub fn MyRollCall() -> impl IntoView {
    let store = expect_context::<Store>();
    let (day, when) = school_day(store)?;
    let me = crate::prefs::me_id();
    let line = move || {
        let mine = store.assignments.with(|a| {
            classes(store, |e| {
                a.held_by(&e.id, &me).contains(&Duty::ClassTeacher)
            })
        });
        let missing = store
            .roll_calls
            .with(|taken| roll_calls::not_taken(mine, taken, day));
        (!missing.is_empty()).then(|| {
            let named: Vec<String> = missing
                .iter()
                .map(|(class, _)| class_label_zh(*class))
                .collect();
            view! {
                <p class="status status-warn" role="status" id="my-roll-call">
                    <a href="/attendance">{format!("{when}还未点名：{}", named.join("、"))}</a>
                </p>
            }
        })
    };
    Some(line)
}

#[component]
pub fn RollCallCheck() -> impl IntoView {
    let store = expect_context::<Store>();
    let (day, when) = school_day(store)?;
    let line = move || {
        let classes = classes(store, |_| true);
        if classes.is_empty() {
            return None;
        }
        let missing = store
            .roll_calls
            .with(|taken| roll_calls::not_taken(classes.iter().copied(), taken, day));
        Some(if missing.is_empty() {
            format!("{when}全部 {} 个班已点名。", classes.len())
        } else {
            let named: Vec<String> = missing
                .iter()
                .map(|(class, last)| roll_calls::missing_zh(*class, *last))
                .collect();
            format!(
                "{when}已点名 {} 个班，尚未点名 {} 个班：{}。",
                classes.len() - missing.len(),
                missing.len(),
                named.join("、")
            )
        })
    };
    Some(view! { <p id="roll-call-check">{line}</p> })
}
