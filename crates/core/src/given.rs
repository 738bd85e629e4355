//! Children newly given to a teacher: what her phone tells her once the care lead gives her a
//! duty (a class taken over from a teacher who left, a pairing, a class's 班主任), so that a new
//! 班主任 is told she is one instead of finding strangers on her list.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::teachers::Duty;
use crate::DocId;

/// The duties one teacher holds, child by child.
pub type Held = BTreeMap<DocId, BTreeSet<Duty>>;

/// What the phone has already told its teacher: the duties she held when it last looked, and the
/// news she has not yet dismissed. Kept sealed on the phone; `known` is `None` until the phone
/// first reads the school's duties (her class at enrolment is hers from the start, not news).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Given {
    pub known: Option<Held>,
    pub news: Held,
}

impl Given {
    /// Takes the duties she holds now: those she did not hold before join the news (a duty ended
    /// and given again is news again); a child whose duties all ended leaves the news. Returns
    /// whether anything changed, for the caller to store.
    pub fn observe(&mut self, now: Held) -> bool {
        let before = self.clone();
        if let Some(known) = &self.known {
            for (child, duties) in &now {
                let held = known.get(child);
                let fresh: BTreeSet<Duty> = duties
                    .iter()
                    .filter(|d| !held.is_some_and(|h| h.contains(d)))
                    .copied()
                    .collect();
                if !fresh.is_empty() {
                    self.news.entry(*child).or_default().extend(fresh);
                }
            }
        }
        self.news.retain(|child, duties| {
            let still = now.get(child);
            duties.retain(|d| still.is_some_and(|s| s.contains(d)));
            !duties.is_empty()
        });
        self.known = Some(now);
        *self != before
    }

    /// She has read it.
    pub fn dismiss(&mut self) {
        self.news.clear();
    }
}

/// A child of the news as the roster lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenChild {
    pub name: String,
    pub class: String,
    pub duty: Duty,
}

/// Names shown in one line before the rest are counted.
const NAMES_SHOWN: usize = 5;

/// The notice's lines, one per duty and class: "四年级2班的班主任：刘小雨、王明（2 名）".
pub fn lines_zh(children: &[GivenChild]) -> Vec<String> {
    let mut groups: BTreeMap<(Duty, &str), Vec<&str>> = BTreeMap::new();
    for child in children {
        groups
            .entry((child.duty, child.class.as_str()))
            .or_default()
            .push(&child.name);
    }
    groups
        .into_iter()
        .map(|((duty, class), mut names)| {
            names.sort_unstable();
            let count = names.len();
            let shown = names
                .iter()
                .take(NAMES_SHOWN)
                .copied()
                .collect::<Vec<_>>()
                .join("、");
            let more = if count > NAMES_SHOWN { "等" } else { "" };
            format!("{class}的{}：{shown}{more}（{count} 名）", duty.label_zh())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(entries: &[(u8, &[Duty])]) -> Held {
        entries
            .iter()
            .map(|(n, duties)| {
                (
                    DocId::from_bytes([*n; 16]),
                    duties.iter().copied().collect(),
                )
            })
            .collect()
    }

    #[test]
    fn the_duties_held_at_first_sight_are_not_news() {
        let mut given = Given::default();
        assert!(given.observe(held(&[(1, &[Duty::ClassTeacher])])));
        assert!(given.news.is_empty());
        assert!(
            !given.observe(held(&[(1, &[Duty::ClassTeacher])])),
            "nothing changed"
        );
    }

    #[test]
    fn a_duty_given_later_is_news_until_dismissed_or_ended() {
        let mut given = Given::default();
        given.observe(held(&[(1, &[Duty::ClassTeacher])]));
        // Taking over a class: two children as 班主任, and pairing with the first one too.
        given.observe(held(&[
            (1, &[Duty::ClassTeacher, Duty::Paired]),
            (2, &[Duty::ClassTeacher]),
            (3, &[Duty::ClassTeacher]),
        ]));
        assert_eq!(
            given.news,
            held(&[
                (1, &[Duty::Paired]),
                (2, &[Duty::ClassTeacher]),
                (3, &[Duty::ClassTeacher]),
            ])
        );
        // The lead changed her mind about one child before the teacher looked.
        given.observe(held(&[
            (1, &[Duty::ClassTeacher, Duty::Paired]),
            (2, &[Duty::ClassTeacher]),
        ]));
        assert_eq!(
            given.news,
            held(&[(1, &[Duty::Paired]), (2, &[Duty::ClassTeacher])])
        );
        given.dismiss();
        assert!(given.news.is_empty());
        // Ended and given again: news again.
        given.observe(held(&[(1, &[Duty::ClassTeacher, Duty::Paired])]));
        given.observe(held(&[
            (1, &[Duty::ClassTeacher, Duty::Paired]),
            (2, &[Duty::ClassTeacher]),
        ]));
        assert_eq!(given.news, held(&[(2, &[Duty::ClassTeacher])]));
    }

    #[test]
    fn the_notice_has_a_line_per_duty_and_class_with_the_names_counted() {
        let child = |name: &str, class: &str, duty| GivenChild {
            name: name.into(),
            class: class.into(),
            duty,
        };
        let mut children: Vec<GivenChild> = (1..=7)
            .map(|n| child(&format!("学生{n}"), "四年级2班", Duty::ClassTeacher))
            .collect();
        children.push(child("刘小雨", "三年级1班", Duty::Paired));
        assert_eq!(
            lines_zh(&children),
            vec![
                "四年级2班的班主任：学生1、学生2、学生3、学生4、学生5等（7 名）".to_string(),
                "三年级1班的结对帮扶教师：刘小雨（1 名）".to_string(),
            ]
        );
    }
}
