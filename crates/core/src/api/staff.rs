//! The school's teachers and their phones as a care lead keeps them over `/api/staff`, from her
//! own phone instead of the server's command line: who teaches here and on which phones, a new
//! teacher, a one-time 登记码 for a teacher's phone, 停用 for a lost one (it erases itself at
//! its next contact), when each phone was last in contact, and a teacher who left the school.

use serde::{Deserialize, Serialize};

use super::Named;
use crate::teachers::Role;

/// `GET /api/staff`: one teacher of the lead's school with the phones enrolled for her, in the
/// order they were added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub teacher: Named,
    pub role: Role,
    pub devices: Vec<Phone>,
    /// When the lead recorded that she left the school, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<i64>,
}

/// One enrolled phone (or computer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Phone {
    pub device: Named,
    /// Unix seconds.
    pub enrolled: i64,
    /// When it was 停用, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<i64>,
    /// The phone asking: it cannot 停用 itself.
    #[serde(default)]
    pub this_phone: bool,
    /// Its last contact with the server (enrolment or a sync), Unix seconds, to within a
    /// quarter of an hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<i64>,
    /// Stopped, when it first came back and was told to erase itself, Unix seconds; `None` while
    /// a stopped phone has not been online since (its records are still on it, sealed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub told_to_erase: Option<i64>,
    /// Connected to the server now.
    #[serde(default)]
    pub online: bool,
}

/// `POST /api/staff` `{name, role}`: a teacher joins the school.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTeacher {
    pub name: String,
    pub role: Role,
}

/// `POST /api/staff/{teacher}/code`: a one-time code for one of her phones, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    pub code: String,
    /// Unix seconds.
    pub expires: i64,
}

/// `POST /api/staff/{teacher}/leave` (离校: her phones stopped) and `…/return` (撤销离校).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Left {
    /// Unix seconds; `None` once she is back.
    pub left: Option<i64>,
}

/// `POST /api/staff/devices/{device}/revoke`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoked {
    /// Unix seconds.
    pub revoked: i64,
}
