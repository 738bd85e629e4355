//! Who a device is: `POST /api/enrol` turns a one-time code (`Enrol`) into the `Enrolment` the
//! phone keeps, and `GET /api/me` (`Me`) says who the device is now.

use serde::{Deserialize, Deserializer, Serialize};

use super::quota::Usage;
use super::Named;
use crate::teachers::Role;
use crate::DocId;

/// `POST /api/enrol`'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Enrol {
    pub code: String,
    #[serde(default)]
    pub device_name: String,
}

/// The server's answer to `POST /api/enrol`, and what the device keeps: the token (sent only this
/// once) and who the device is, `/api/me`'s answer written beside it (the JSON keeps its fields
/// at the top level, in the order the server has always written them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Enrolment {
    pub token: String,
    /// Who the device is. Its directory is absent for a school no server has opened yet, and in
    /// enrolments kept by older versions of the app (then learnt from `/api/me`); its quota is
    /// never part of an enrolment.
    #[serde(flatten)]
    pub me: Me,
    /// The phone's own note, never sent by the server: an index and directory the school founded
    /// anew replaced (`automerge:<id>`), which leave the phone once it has taken the new ones,
    /// even if the page closed in between.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<String>,
}

impl Enrolment {
    /// The enrolment `POST /api/enrol` answers: the new token and who the device is.
    pub fn new(token: String, me: Me) -> Enrolment {
        Enrolment {
            token,
            me: Me { quota: None, ..me },
            retired: Vec::new(),
        }
    }

    /// The school's index document, from `automerge:<id>`.
    pub fn index_id(&self) -> Option<DocId> {
        DocId::parse(&self.me.index_url).ok()
    }

    pub fn directory_id(&self) -> Option<DocId> {
        DocId::parse(self.me.directory_url.as_deref()?).ok()
    }

    /// The enrolled teacher's role as the server says it.
    pub fn role(&self) -> Role {
        self.me.teacher.role
    }
}

/// `GET /api/me`: who the device is now (a lead may have changed the teacher's role, the school
/// may have founded its index anew after an erasure) and its counts against today's quota.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub school: Named,
    pub teacher: EnrolledTeacher,
    pub device: Named,
    pub peer_id: String,
    pub index_url: String,
    /// Teachers, duties and settings; `None` only for a school no server has opened yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory_url: Option<String>,
    /// Today's counts against the device's daily quota, with the reason when it is refused;
    /// absent in the enrolment's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<Usage>,
}

/// The teacher a device is enrolled as.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolledTeacher {
    pub id: String,
    pub name: String,
    #[serde(deserialize_with = "role_or_teacher")]
    pub role: Role,
}

/// A role this version does not know (a newer server's) reads as a plain teacher's: the phone
/// then shows no more than a teacher may see, and an enrolment kept in storage still loads.
fn role_or_teacher<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Role, D::Error> {
    let code = String::deserialize(deserializer)?;
    Ok(Role::from_code(&code).unwrap_or(Role::Teacher))
}
