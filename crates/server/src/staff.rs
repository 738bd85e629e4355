//! A care lead's rules over her school's teachers and phones (`staff_api.rs` serves them): she
//! sees and changes her own school only, adds a teacher under a name the school does not have
//! yet, issues a one-time code for one of its teachers, 停用 any of its phones but the one she
//! is using (she would lock herself out mid-task; another lead, or the admin, can), and records
//! that a teacher left (her phones stopped, her name kept) once her children are handed over.

use shouwang_core::api::staff::{Member, Phone};
use shouwang_core::api::Named;
use shouwang_core::teachers::Role;

use crate::accounts::{Accounts, Teacher};
use crate::error::Error;

/// How long a code the lead issues stays valid: a teacher enrols the same day or asks again.
pub const CODE_HOURS: u32 = 24;
/// A name as the school's lists show it (a 2–4 character name with 老师 or a note fits).
const NAME_CHARS: usize = 20;

impl Accounts {
    /// The school's teachers in the order they were added, each with her phones.
    pub fn staff(&self, school: &str, asking: &str) -> Vec<Member> {
        self.teachers
            .iter()
            .filter(|t| t.school == school)
            .map(|t| Member {
                teacher: Named::of(&t.id, &t.name),
                role: t.role,
                left: t.left,
                devices: self
                    .devices
                    .iter()
                    .filter(|d| d.teacher == t.id)
                    .map(|d| Phone {
                        device: Named::of(&d.id, &d.name),
                        enrolled: d.created,
                        revoked: d.revoked,
                        this_phone: d.id == asking,
                        last_seen: d.last_seen,
                        told_to_erase: d.told_to_erase,
                        online: false,
                    })
                    .collect(),
            })
            .collect()
    }

    /// A teacher joins the school; a name it already has is refused, so every list and record
    /// names one person.
    pub fn add_staff(
        &mut self,
        school: &str,
        name: &str,
        role: Role,
        now: i64,
    ) -> Result<Teacher, Error> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Refused("请填写教师姓名".into()));
        }
        if name.chars().count() > NAME_CHARS {
            return Err(Error::Refused(format!("教师姓名最多 {NAME_CHARS} 个字")));
        }
        if let Some(same) = self
            .teachers
            .iter()
            .find(|t| t.school == school && t.name == name)
        {
            return Err(Error::Refused(match same.left {
                Some(_) => format!(
                    "本校有过“{name}”（已离校）。是她回来了，请在下方已离校的教师中点“撤销离校”；是另一位同名老师，请加以区分，如“{name}（数学）”"
                ),
                None => format!("本校已有“{name}”。同名的老师请加以区分，如“{name}（数学）”"),
            }));
        }
        self.add_teacher(school, name, role, now)
    }

    /// A one-time code for a phone of one of the school's teachers.
    pub fn staff_code(
        &mut self,
        school: &str,
        teacher: &str,
        now: i64,
        key: &[u8],
    ) -> Result<(String, i64), Error> {
        let found = self.of_school(school, teacher)?;
        if found.left.is_some() {
            return Err(Error::Refused(format!(
                "{}已离校。如她回到本校，请先点“撤销离校”",
                found.name
            )));
        }
        self.add_code(teacher, CODE_HOURS, now, key)
    }

    /// She leaves the school (调走、离职, or a name added by mistake): every phone of hers is
    /// stopped (it erases itself at its next contact) and her unused codes go; she stays in the
    /// lists, marked, so the term's records and figures still name her. Refused while she still
    /// holds children or classes (`holds`, from the directory): they go to another teacher first,
    /// by 整体交接, or they would be left with nobody. Not the lead asking, who would lock herself
    /// out. Returns when she left (the first time stands).
    pub fn depart(
        &mut self,
        school: &str,
        teacher: &str,
        asking: &str,
        holds: (usize, usize),
        now: i64,
    ) -> Result<i64, Error> {
        let found = self.of_school(school, teacher)?.clone();
        if let Some(at) = found.left {
            return Ok(at);
        }
        if teacher == asking {
            return Err(Error::Refused(
                "不能为自己办理离校。请另一位关爱负责人办理".into(),
            ));
        }
        let held = match holds {
            (0, 0) => None,
            (children, 0) => Some(format!("{children} 名儿童")),
            (0, classes) => Some(format!("{classes} 个班的班主任工作")),
            (children, classes) => Some(format!("{children} 名儿童和 {classes} 个班的班主任工作")),
        };
        if let Some(held) = held {
            return Err(Error::Refused(format!(
                "{}还负责 {held}。请先在“结对帮扶 → 整体交接”把这些交给其他老师，再办理离校",
                found.name
            )));
        }
        for device in self.devices.iter_mut().filter(|d| d.teacher == teacher) {
            device.revoked.get_or_insert(now);
        }
        self.codes.retain(|c| c.teacher != teacher);
        let entry = self
            .teachers
            .iter_mut()
            .find(|t| t.id == teacher)
            .ok_or_else(|| Error::NotFound(format!("teacher {teacher}")))?;
        Ok(*entry.left.insert(now))
    }

    /// 撤销离校: she teaches here again (a mistaken 离校, or she came back). Her stopped phones
    /// stay stopped; a new 登记码 enrols one afresh.
    pub fn reinstate(&mut self, school: &str, teacher: &str) -> Result<(), Error> {
        self.of_school(school, teacher)?;
        if let Some(entry) = self.teachers.iter_mut().find(|t| t.id == teacher) {
            entry.left = None;
        }
        Ok(())
    }

    /// 停用 one of the school's phones (again: the first time stands); not the one asking.
    pub fn revoke_staff_device(
        &mut self,
        school: &str,
        device: &str,
        asking: &str,
        now: i64,
    ) -> Result<i64, Error> {
        if device == asking {
            return Err(Error::Refused(
                "不能停用你正在用的这台手机。如它丢失，请另一位关爱负责人或学校服务器管理员停用"
                    .into(),
            ));
        }
        let found = self
            .devices
            .iter()
            .find(|d| d.id == device)
            .ok_or_else(|| Error::NotFound(format!("device {device}")))?;
        self.of_school(school, &found.teacher.clone())?;
        Ok(self.revoke(device, now)?.1)
    }

    /// The teacher, when she is one of the school's: another school's is not found.
    fn of_school(&self, school: &str, teacher: &str) -> Result<&Teacher, Error> {
        self.teachers
            .iter()
            .find(|t| t.id == teacher && t.school == school)
            .ok_or_else(|| Error::NotFound(format!("teacher {teacher}")))
    }
}
