//! Teachers and duties in the directory through the store: the list "me" is picked from before
//! enrolment, and who is responsible for which child.

use shouwang_core::schema::directory;
use shouwang_core::teachers::{Duty, Role, Teacher};
use shouwang_core::DocId;

use leptos::prelude::*;

use super::{new_doc_id, SaveError, Store};

impl Store {
    /// The teachers still at the school, as the lead's forms offer them: one who left is named on
    /// her records and in the term's figures, never offered for a duty, a class or a handover.
    pub fn teachers_at_school(self) -> Vec<Teacher> {
        self.teachers
            .with(|all| all.iter().filter(|t| t.at_school()).cloned().collect())
    }

    /// Adds a teacher to the school's list; the name is checked by the caller against the list.
    pub async fn add_teacher(self, name: String, role: Role) -> Result<Teacher, SaveError> {
        let teacher = Teacher {
            id: format!("t-{}", new_doc_id()),
            name,
            role,
            left: None,
        };
        let saved = teacher.clone();
        self.write_directory("添加教师", move |tx| directory::put_teacher(tx, &saved))
            .await?;
        Ok(teacher)
    }

    /// Gives a teacher a duty towards each of the children, or takes it away, as one change.
    pub async fn set_duty(
        self,
        children: Vec<DocId>,
        teacher: String,
        duty: Option<Duty>,
    ) -> Result<(), SaveError> {
        let action = match duty {
            Some(duty) => format!("安排{}", duty.label_zh()),
            None => "取消负责教师".to_string(),
        };
        let at = super::now_secs();
        self.write_directory(&action, move |tx| {
            children.iter().try_for_each(|child| match duty {
                Some(_) => directory::set_duty(tx, *child, &teacher, duty),
                None => directory::end_duty(tx, *child, &teacher, None, at),
            })
        })
        .await
    }

    /// Ends one duty of a teacher towards a child, keeping the others (the lead's 取消); when it
    /// ended is noted, so the teacher's phone can still deliver what it recorded before it heard.
    pub async fn remove_duty(
        self,
        child: DocId,
        teacher: String,
        duty: Duty,
    ) -> Result<(), SaveError> {
        let action = format!("取消{}", duty.label_zh());
        let at = super::now_secs();
        self.write_directory(&action, move |tx| {
            directory::end_duty(tx, child, &teacher, Some(duty), at)
        })
        .await
    }

    /// Hands every duty of `from` — her children and her classes — to `to`, as one change (a
    /// teacher leaving mid-term).
    pub async fn hand_over(self, from: String, to: String) -> Result<(), SaveError> {
        let at = super::now_secs();
        self.write_directory("整体交接", move |tx| {
            directory::hand_over(tx, &from, &to, at).map(|_| ())
        })
        .await
    }
}
