//! 结对帮扶 (DOMAIN.md §6): who is paired with which child — teachers (班主任, 结对帮扶教师),
//! student buddies, proxy parents and volunteers — and the school's checks on it: every child has
//! a paired adult, every teacher carries the target number of children.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::child::NAME_MAX_CHARS;
use crate::doc_id::DocId;
use crate::input::{Form, InputError, Issue};
use crate::schema::directory::Assignments;
use crate::settings::PairingTargets;
use crate::teachers::{Duty, Role, Teacher};

/// Helpers who are not teachers of the school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HelperKind {
    /// 学习帮手 / 手拉手小伙伴: "每个留守儿童由老师牵头确立一名学习帮手".
    StudentBuddy,
    /// 代理家长 / 爱心妈妈: "培养更多帮扶学生家长成为“代理家长”".
    ProxyParent,
    /// 志愿者 (1+1, 1+N).
    Volunteer,
}

impl HelperKind {
    pub const ALL: [HelperKind; 3] = [
        HelperKind::StudentBuddy,
        HelperKind::ProxyParent,
        HelperKind::Volunteer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HelperKind::StudentBuddy => "studentBuddy",
            HelperKind::ProxyParent => "proxyParent",
            HelperKind::Volunteer => "volunteer",
        }
    }

    pub fn from_code(code: &str) -> Option<HelperKind> {
        HelperKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            HelperKind::StudentBuddy => "学习帮手",
            HelperKind::ProxyParent => "代理家长",
            HelperKind::Volunteer => "志愿者",
        }
    }

    /// A buddy is a classmate; the other helpers are adults.
    pub fn is_adult(self) -> bool {
        self != HelperKind::StudentBuddy
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Helper {
    pub kind: HelperKind,
    pub name: String,
}

/// The helpers of each child.
pub type Helpers = BTreeMap<DocId, Vec<Helper>>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelperDraft {
    pub kind: String,
    pub name: String,
}

impl HelperDraft {
    pub fn validate(&self) -> Result<Helper, Vec<InputError>> {
        let mut form = Form::default();
        let kind = HelperKind::from_code(self.kind.trim());
        if kind.is_none() {
            form.push("kind", "帮扶人类别", Issue::NotAChoice);
        }
        let name = form.text("name", "帮扶人姓名", &self.name, true, NAME_MAX_CHARS);
        form.finish(kind.map(|kind| Helper { kind, name }))
    }
}

/// Whether a child has a paired adult: a 结对帮扶教师, a proxy parent or a volunteer. The class
/// teacher does not count — every child has one, so the check would never fire — nor does a
/// student buddy.
pub fn has_paired_adult(child: DocId, assignments: &Assignments, helpers: &Helpers) -> bool {
    let teacher = assignments.has_paired(&child);
    let adult = helpers
        .get(&child)
        .is_some_and(|list| list.iter().any(|h| h.kind.is_adult()));
    teacher || adult
}

/// The children, of those given, who have no paired adult ("每个留守儿童都有一位老师…帮助").
pub fn without_paired_adult(
    children: impl IntoIterator<Item = DocId>,
    assignments: &Assignments,
    helpers: &Helpers,
) -> Vec<DocId> {
    children
        .into_iter()
        .filter(|c| !has_paired_adult(*c, assignments, helpers))
        .collect()
}

/// The children, of those given, without a student buddy (学习帮手).
pub fn without_buddy(children: impl IntoIterator<Item = DocId>, helpers: &Helpers) -> Vec<DocId> {
    children
        .into_iter()
        .filter(|c| {
            !helpers
                .get(c)
                .is_some_and(|list| list.iter().any(|h| h.kind == HelperKind::StudentBuddy))
        })
        .collect()
}

/// How a teacher's number of paired children stands against the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Under { missing: u32 },
    Within,
    Over { extra: u32 },
}

/// One teacher's pairing load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Load {
    pub teacher: String,
    pub paired: u32,
    pub min: u32,
    /// None: no upper bound (the leading group).
    pub max: Option<u32>,
    pub standing: Standing,
}

impl Load {
    pub fn summary_zh(&self) -> String {
        let target = match self.max {
            Some(max) if max != self.min => format!("{}—{} 名", self.min, max),
            Some(_) => format!("{} 名", self.min),
            None => format!("至少 {} 名", self.min),
        };
        let standing = match self.standing {
            Standing::Under { missing } => format!("，还差 {missing} 名"),
            Standing::Within => String::new(),
            Standing::Over { extra } => format!("，多 {extra} 名"),
        };
        format!("结对 {} 名（目标 {target}）{standing}", self.paired)
    }
}

/// The target of a teacher by role: the care lead belongs to the leading group (领导组成员).
pub fn target(role: Role, targets: &PairingTargets) -> (u32, Option<u32>) {
    match role {
        Role::Lead => (targets.leader_min, None),
        Role::Teacher => (targets.teacher_min, Some(targets.teacher_max)),
    }
}

/// Every teacher's load, counting only their 结对 children among `in_care` (children who left
/// the school or are no longer left-behind do not count), in the order of `teachers`; a teacher
/// who left the school is left out once no child is paired with her.
pub fn loads(
    teachers: &[Teacher],
    assignments: &Assignments,
    in_care: &BTreeSet<DocId>,
    targets: &PairingTargets,
) -> Vec<Load> {
    let mut paired: BTreeMap<&str, u32> = BTreeMap::new();
    for (child, duties) in assignments {
        if !in_care.contains(child) {
            continue;
        }
        for (teacher, duty) in duties {
            if *duty == Duty::Paired {
                *paired.entry(teacher.as_str()).or_default() += 1;
            }
        }
    }
    teachers
        .iter()
        .filter_map(|t| {
            let count = paired.get(t.id.as_str()).copied().unwrap_or(0);
            // A teacher who left has no target; listed only while children are still hers.
            if !t.at_school() && count == 0 {
                return None;
            }
            let (min, max) = target(t.role, targets);
            let standing = match max {
                _ if count < min => Standing::Under {
                    missing: min - count,
                },
                Some(max) if count > max => Standing::Over { extra: count - max },
                _ => Standing::Within,
            };
            Some(Load {
                teacher: t.id.clone(),
                paired: count,
                min,
                max,
                standing,
            })
        })
        .collect()
}

/// The teachers under their target, as the care lead's list shows them.
pub fn under_target(loads: &[Load]) -> impl Iterator<Item = &Load> {
    loads
        .iter()
        .filter(|l| matches!(l.standing, Standing::Under { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(n: u8) -> DocId {
        DocId::from_random([n; 16])
    }

    fn teacher(id: &str, role: Role) -> Teacher {
        Teacher {
            id: id.into(),
            name: id.into(),
            role,
            left: None,
        }
    }

    fn helper(kind: HelperKind) -> Helper {
        Helper {
            kind,
            name: "张三".into(),
        }
    }

    /// Pairs teacher `t` with the given children, and makes them class teacher of child 9 (which
    /// does not count towards the target).
    fn paired_with(assignments: &mut Assignments, t: &str, children: std::ops::RangeInclusive<u8>) {
        for n in children {
            assignments
                .entry(child(n))
                .or_default()
                .push((t.into(), Duty::Paired));
        }
        assignments
            .entry(child(9))
            .or_default()
            .push((t.into(), Duty::ClassTeacher));
    }

    fn check(teachers: &[Teacher], assignments: &Assignments, expected: &[(&str, &str)]) {
        let in_care: BTreeSet<DocId> = (1..=9).map(child).collect();
        let found: Vec<(String, String)> =
            loads(teachers, assignments, &in_care, &PairingTargets::default())
                .iter()
                .map(|l| (l.teacher.clone(), l.summary_zh()))
                .collect();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(t, s)| (t.to_string(), s.to_string()))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn teachers_against_their_targets() {
        let mut a = Assignments::new();
        paired_with(&mut a, "one", 1..=1);
        paired_with(&mut a, "two", 2..=3);
        paired_with(&mut a, "four", 1..=4);
        paired_with(&mut a, "lead", 5..=7);
        // A child no longer in care does not count towards anyone's target.
        a.entry(child(20))
            .or_default()
            .push(("two".into(), Duty::Paired));
        check(
            &[
                teacher("one", Role::Teacher),
                teacher("two", Role::Teacher),
                teacher("four", Role::Teacher),
                teacher("lead", Role::Lead),
                teacher("none", Role::Teacher),
            ],
            &a,
            &[
                ("one", "结对 1 名（目标 2—3 名），还差 1 名"),
                ("two", "结对 2 名（目标 2—3 名）"),
                ("four", "结对 4 名（目标 2—3 名），多 1 名"),
                ("lead", "结对 3 名（目标 至少 4 名），还差 1 名"),
                ("none", "结对 0 名（目标 2—3 名），还差 2 名"),
            ],
        );
        // A teacher who left has no target: listed only while a child is still paired with her.
        let left = |id| Teacher {
            left: Some(1),
            ..teacher(id, Role::Teacher)
        };
        check(
            &[left("one"), left("none")],
            &a,
            &[("one", "结对 1 名（目标 2—3 名），还差 1 名")],
        );
    }

    #[test]
    fn a_class_teacher_who_also_pairs_counts_the_pairs_towards_the_target() {
        let mut a = Assignments::new();
        for n in 1..=3 {
            let duties = a.entry(child(n)).or_default();
            duties.push(("both".into(), Duty::ClassTeacher));
            duties.push(("both".into(), Duty::Subject));
        }
        for n in 1..=2 {
            a.entry(child(n))
                .or_default()
                .push(("both".into(), Duty::Paired));
        }
        check(
            &[teacher("both", Role::Teacher)],
            &a,
            &[("both", "结对 2 名（目标 2—3 名）")],
        );
    }

    #[test]
    fn a_child_needs_a_paired_adult_not_just_a_class_teacher() {
        let mut a = Assignments::new();
        a.insert(child(1), vec![("t".into(), Duty::ClassTeacher)]);
        a.insert(child(2), vec![("t".into(), Duty::Paired)]);
        let mut h = Helpers::new();
        h.insert(child(3), vec![helper(HelperKind::ProxyParent)]);
        h.insert(child(4), vec![helper(HelperKind::StudentBuddy)]);
        h.insert(child(5), vec![helper(HelperKind::Volunteer)]);
        let all = (1..=6).map(child);
        assert_eq!(
            without_paired_adult(all.clone(), &a, &h),
            [child(1), child(4), child(6)]
        );
        assert_eq!(
            without_buddy(all, &h),
            [child(1), child(2), child(3), child(5), child(6)]
        );
    }

    #[test]
    fn a_helper_needs_a_kind_and_a_name() {
        let ok = HelperDraft {
            kind: "proxyParent".into(),
            name: " 李爱华 ".into(),
        };
        assert_eq!(
            ok.validate(),
            Ok(Helper {
                kind: HelperKind::ProxyParent,
                name: "李爱华".into()
            })
        );
        let messages: Vec<String> = HelperDraft::default()
            .validate()
            .err()
            .unwrap_or_default()
            .iter()
            .map(InputError::message_zh)
            .collect();
        assert_eq!(messages, ["请选择帮扶人类别", "请填写帮扶人姓名"]);
    }
}
