//! The school's teachers and who is responsible for which child (DOMAIN.md §6): the list a
//! device picks "me" from, the care lead's role, and a teacher's duty towards a child. Every
//! record shows its author from this list.

use serde::{Deserialize, Serialize};

use crate::input::{InputError, Issue};

/// What a teacher may do in the app. Serialized as its code (`lead`, `teacher`): the server's
/// accounts file and its API have spelt it so from the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 德育主任 / 校长: keeps the roster, assigns teachers, sees every child.
    Lead,
    Teacher,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Teacher, Role::Lead];

    pub fn code(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Teacher => "teacher",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// As the choice of a role says it, with who a care lead usually is.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Lead => "关爱负责人（德育主任、校长）",
            Role::Teacher => "教师",
        }
    }

    /// After a name, in brackets of its own: 张主任（关爱负责人）.
    pub fn short_label_zh(self) -> &'static str {
        match self {
            Role::Lead => "关爱负责人",
            Role::Teacher => "教师",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Teacher {
    /// Stable across renames; the server's account id once the device is enrolled.
    pub id: String,
    pub name: String,
    pub role: Role,
    /// When the lead recorded that the teacher left the school (调走、离职, or a name added by
    /// mistake), Unix seconds. She stays in the list so that the term's records and figures
    /// still name her; she is offered for no new duty (`at_school`).
    pub left: Option<i64>,
}

impl Teacher {
    /// Still teaching here: the teachers a duty, a class or a handover can go to.
    pub fn at_school(&self) -> bool {
        self.left.is_none()
    }
}

/// A teacher's duty towards a child; a teacher may hold several for one child (a 班主任 who
/// also pairs with the child keeps both).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Duty {
    /// 班主任
    ClassTeacher,
    /// 结对帮扶教师 (seeds: 每位教师结对2—3名学生)
    Paired,
    /// 科任教师: teaches the child, sees the archive and care records, not the talk cards or plans.
    Subject,
}

impl Duty {
    pub const ALL: [Duty; 3] = [Duty::ClassTeacher, Duty::Paired, Duty::Subject];

    pub fn code(self) -> &'static str {
        match self {
            Duty::ClassTeacher => "class",
            Duty::Paired => "paired",
            Duty::Subject => "subject",
        }
    }

    /// The child's responsible teachers (班主任, 结对帮扶教师) are the ones who keep its talk
    /// cards and plans (DOMAIN.md §6: the talk card stays with the teacher who talked and the
    /// class teacher).
    pub fn is_responsible(self) -> bool {
        matches!(self, Duty::ClassTeacher | Duty::Paired)
    }

    pub fn from_code(code: &str) -> Option<Duty> {
        Duty::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Duty::ClassTeacher => "班主任",
            Duty::Paired => "结对帮扶教师",
            Duty::Subject => "科任教师",
        }
    }
}

/// A teacher's name from the school's list, or 未知教师 for an id no longer on it: how every
/// screen names the author of a duty or a figure.
pub fn name_of(teachers: &[Teacher], id: &str) -> String {
    teachers
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.name.clone())
        .unwrap_or_else(|| "（未知教师）".into())
}

/// Longest teacher name kept.
pub const NAME_MAX: usize = 20;

/// Checks a new teacher's name against the list: required, short, and not already there (two
/// 王老师 would make every record's author ambiguous).
pub fn validate_name(name: &str, existing: &[Teacher]) -> Result<String, InputError> {
    let name = name.trim();
    let issue = if name.is_empty() {
        Issue::Required
    } else if name.chars().count() > NAME_MAX {
        Issue::TooLong { max: NAME_MAX }
    } else if existing.iter().any(|t| t.name == name) {
        Issue::Said(format!(
            "已有名为“{name}”的教师，请加以区分（如 王芳（数学））"
        ))
    } else {
        return Ok(name.to_string());
    };
    Err(InputError::new("name", "教师姓名", issue))
}

/// The 班主任 duties the class teachers of each child's class should hold and do not yet:
/// (child, teacher). A class teacher works with every child of the class; a care lead's phone
/// writes these into the directory whenever a class's teachers or a child's class change.
pub fn missing_class_duties(
    class_teachers: &std::collections::BTreeMap<(u32, u32), std::collections::BTreeSet<String>>,
    children: impl IntoIterator<Item = (crate::DocId, (u32, u32))>,
    assignments: &crate::schema::directory::Assignments,
) -> Vec<(crate::DocId, String)> {
    children
        .into_iter()
        .flat_map(|(child, class)| {
            let held = assignments.get(&child);
            class_teachers
                .get(&class)
                .into_iter()
                .flatten()
                .filter(move |teacher| {
                    !held.is_some_and(|h| h.contains(&((*teacher).clone(), Duty::ClassTeacher)))
                })
                .map(move |teacher| (child, teacher.clone()))
        })
        .collect()
}

/// The teachers holding any duty towards a child, each once however many duties they hold: a
/// 班主任 who also pairs with the child is one teacher caring for it, so the child's care is
/// counted once in that teacher's figures (each duty still counts towards its own target:
/// `pairing::loads` counts the 结对帮扶 duties alone).
pub fn teachers_of(duties: &[(String, Duty)]) -> Vec<&str> {
    let mut teachers: Vec<&str> = duties.iter().map(|(t, _)| t.as_str()).collect();
    crate::sort::sort(&mut teachers);
    teachers.dedup();
    teachers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_teacher_with_two_duties_towards_a_child_is_one_teacher_of_it() {
        type Held = Vec<(String, Duty)>;
        let duty = |t: &str, d| (t.to_string(), d);
        let cases: [(Held, Vec<&str>); 3] = [
            (vec![], vec![]),
            (
                vec![duty("王芳", Duty::ClassTeacher), duty("王芳", Duty::Paired)],
                vec!["王芳"],
            ),
            (
                vec![
                    duty("王芳", Duty::ClassTeacher),
                    duty("李明", Duty::Subject),
                    duty("王芳", Duty::Paired),
                ],
                vec!["李明", "王芳"],
            ),
        ];
        for (held, expected) in cases {
            assert_eq!(teachers_of(&held), expected, "{held:?}");
        }
    }

    #[test]
    fn a_teacher_name_is_required_short_and_unique() {
        let list = vec![Teacher {
            id: "t1".into(),
            name: "王芳".into(),
            role: Role::Teacher,
            left: None,
        }];
        let cases = [
            (" 李明 ", Ok("李明".to_string())),
            ("  ", Err("请填写教师姓名".to_string())),
            (
                "王芳",
                Err("已有名为“王芳”的教师，请加以区分（如 王芳（数学））".to_string()),
            ),
            (&"很".repeat(21), Err("教师姓名最多 20 个字".to_string())),
        ];
        for (name, expected) in cases {
            assert_eq!(
                validate_name(name, &list).map_err(|e| e.message_zh()),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn a_role_is_serialized_as_its_code() {
        for role in Role::ALL {
            let json = serde_json::to_string(&role).expect("serialize");
            assert_eq!(json, format!("\"{}\"", role.code()));
            assert_eq!(serde_json::from_str::<Role>(&json).ok(), Some(role));
        }
    }

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        for duty in Duty::ALL {
            assert_eq!(Duty::from_code(duty.code()), Some(duty));
        }
    }
}
