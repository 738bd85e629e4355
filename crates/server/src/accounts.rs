//! Schools, teacher accounts, enrolled devices and one-time enrolment codes, as plain data with
//! the rules for changing them. No I/O here: `now` and randomness come in, so tests fix them;
//! `accounts_file.rs` stores this on disk. Counties and their officers are in `county.rs`.

use serde::{Deserialize, Serialize};
use shouwang_core::teachers::Role;

use crate::county::{County, Officer, OfficerCode, OfficerDevice};
use crate::error::Error;
use crate::secret;

/// How long an enrolment code works unless the admin says otherwise.
pub const CODE_VALID_HOURS: u32 = 24;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Accounts {
    #[serde(default)]
    pub schools: Vec<School>,
    #[serde(default)]
    pub teachers: Vec<Teacher>,
    #[serde(default)]
    pub devices: Vec<Device>,
    #[serde(default)]
    pub codes: Vec<Code>,
    /// Counties (县教育局) and their officers' devices and codes: lists of their own, apart from
    /// the teachers', so no lookup of a school session can ever find an officer's token or code.
    /// Absent from files without counties, which are written back byte for byte.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counties: Vec<County>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub officers: Vec<Officer>,
    #[serde(
        default,
        rename = "officerDevices",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub officer_devices: Vec<OfficerDevice>,
    #[serde(
        default,
        rename = "officerCodes",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub officer_codes: Vec<OfficerCode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct School {
    pub id: String,
    pub name: String,
    /// The school's index (roster) document, bs58check text.
    pub index_doc: String,
    /// The school's directory (teachers, duties, settings), made by the server the first time
    /// it opens the school; absent in accounts written before directories existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory_doc: Option<String>,
    /// An index and directory the server founded anew (`school_index::refound`), until their
    /// files are erased: listed here first, so a crash in between still erases them next start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired_docs: Vec<String>,
    /// The instance that serves the school when several share one bucket (`placement.rs`);
    /// absent: served by a server started without `--instance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    pub created: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Teacher {
    pub id: String,
    pub school: String,
    pub name: String,
    pub role: Role,
    pub created: i64,
    /// When the lead recorded that she left the school (`staff.rs`); absent while she teaches here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub id: String,
    pub teacher: String,
    pub name: String,
    pub token_sha256: String,
    pub created: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<i64>,
    /// When the device last opened a sync socket, to within `SEEN_EVERY` (`Accounts::seen`):
    /// the lead sees whether a phone's work has been reaching the school before she stops it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<i64>,
    /// When the device, once stopped, first came back and was told to erase itself: the lead
    /// sees whether a lost phone still holds its records (`last_seen` stays its last contact
    /// before the stop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub told_to_erase: Option<i64>,
}

/// How often a device's contact is written down: a phone reconnects each time the app opens,
/// and the lead reads the day and the hour, not the minute.
pub const SEEN_EVERY: i64 = 15 * 60;

impl Device {
    /// Whether its last contact is older than `SEEN_EVERY` (or was never noted).
    pub fn seen_long_ago(&self, now: i64) -> bool {
        self.last_seen.is_none_or(|at| now - at >= SEEN_EVERY)
    }

    /// The automerge-repo peer id this device must join with; the server binds it to the token.
    pub fn peer_id(&self) -> String {
        format!("device-{}", self.id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Code {
    /// HMAC-SHA256 of the code under the server's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_hmac: Option<String>,
    /// Codes made before the server key existed: plain SHA-256, still honoured until they expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_sha256: Option<String>,
    pub teacher: String,
    pub expires: i64,
}

/// Who a valid token belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub school: School,
    pub teacher: Teacher,
    pub device: Device,
}

impl Accounts {
    pub fn school(&self, id_or_name: &str) -> Result<&School, Error> {
        self.schools
            .iter()
            .find(|s| s.id == id_or_name)
            .or_else(|| self.schools.iter().find(|s| s.name == id_or_name))
            .ok_or_else(|| Error::NotFound(format!("school {id_or_name}")))
    }

    pub fn teacher(&self, id: &str) -> Result<&Teacher, Error> {
        self.teachers
            .iter()
            .find(|t| t.id == id)
            .ok_or_else(|| Error::NotFound(format!("teacher {id}")))
    }

    pub fn add_school(
        &mut self,
        id: String,
        name: &str,
        index_doc: String,
        now: i64,
    ) -> Result<School, Error> {
        let school = School {
            id,
            name: required("school name", name)?,
            index_doc,
            directory_doc: None,
            retired_docs: Vec::new(),
            instance: None,
            created: now,
        };
        self.schools.push(school.clone());
        Ok(school)
    }

    /// Places a school on an instance (`school place`): the instance holding it lets go within
    /// a second, and the named one opens it once it has (`placement.rs`).
    pub fn place_school(&mut self, school: &str, instance: &str) -> Result<School, Error> {
        let instance = required("instance", instance)?;
        let id = self.school(school)?.id.clone();
        let entry = self
            .schools
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(|| Error::NotFound(format!("school {school}")))?;
        entry.instance = Some(instance);
        Ok(entry.clone())
    }

    pub fn add_teacher(
        &mut self,
        school: &str,
        name: &str,
        role: Role,
        now: i64,
    ) -> Result<Teacher, Error> {
        let teacher = Teacher {
            id: secret::new_id("t")?,
            school: self.school(school)?.id.clone(),
            name: required("teacher name", name)?,
            role,
            created: now,
            left: None,
        };
        self.teachers.push(teacher.clone());
        Ok(teacher)
    }

    /// Gives a teacher another role; the running server writes it into the school's directory
    /// and re-decides every grant of the teacher's devices.
    pub fn set_role(&mut self, teacher: &str, role: Role) -> Result<Teacher, Error> {
        let found = self
            .teachers
            .iter_mut()
            .find(|t| t.id == teacher)
            .ok_or_else(|| Error::NotFound(format!("teacher {teacher}")))?;
        found.role = role;
        Ok(found.clone())
    }

    /// A fresh one-time code for a teacher's new device; returns the code in clear (shown once)
    /// and when it expires. Expired codes are dropped on the way.
    pub fn add_code(
        &mut self,
        teacher: &str,
        valid_hours: u32,
        now: i64,
        key: &[u8],
    ) -> Result<(String, i64), Error> {
        let teacher = self.teacher(teacher)?.id.clone();
        self.codes.retain(|c| c.expires > now);
        let (code, expires) = (Issued::code(key)?, code_expiry(valid_hours, now));
        self.codes.push(Code {
            code_hmac: Some(code.stored),
            code_sha256: None,
            teacher,
            expires,
        });
        Ok((code.clear, expires))
    }

    /// Uses up a code and enrols a device; returns the session and the token in clear (the only
    /// time it exists outside the device).
    pub fn redeem(
        &mut self,
        code: &str,
        device_name: &str,
        now: i64,
        key: &[u8],
    ) -> Result<(Session, String), Error> {
        let typed = secret::normalise_code(code);
        let (hmac, sha256) = (
            Some(secret::code_hmac_hex(key, &typed)),
            Some(secret::sha256_hex(&typed)),
        );
        let position = self
            .codes
            .iter()
            .position(|c| (c.code_hmac == hmac || c.code_sha256 == sha256) && c.expires > now)
            .ok_or(Error::BadCode)?;
        let code = self.codes.remove(position);
        let token = Issued::token()?;
        self.devices.push(Device {
            id: secret::new_id("d")?,
            teacher: code.teacher,
            name: device_name_or_default(device_name),
            token_sha256: token.stored,
            created: now,
            revoked: None,
            last_seen: Some(now),
            told_to_erase: None,
        });
        let session = self.authenticate(&token.clear)?;
        Ok((session, token.clear))
    }

    /// Notes that a device made contact; `false` when its last contact is recent enough that
    /// nothing need be written (`SEEN_EVERY`).
    pub fn seen(&mut self, device: &str, now: i64) -> bool {
        match self.devices.iter_mut().find(|d| d.id == device) {
            Some(d) if d.seen_long_ago(now) => {
                d.last_seen = Some(now);
                true
            }
            _ => false,
        }
    }

    /// Notes the first time a stopped device's token comes back (it is answered `revoked`, and the
    /// phone erases itself); `false` when that was noted before or the token is not a stopped one.
    pub fn told_to_erase(&mut self, token: &str, now: i64) -> bool {
        let hash = secret::sha256_hex(token);
        match self
            .devices
            .iter_mut()
            .find(|d| d.token_sha256 == hash && d.revoked.is_some())
        {
            Some(d) if d.told_to_erase.is_none() => {
                d.told_to_erase = Some(now);
                true
            }
            _ => false,
        }
    }

    /// Revokes a teacher's or an officer's device (one `devices revoke` for both); returns the
    /// device's id and when it was revoked.
    pub fn revoke(&mut self, device: &str, now: i64) -> Result<(String, i64), Error> {
        let revoked = if let Some(d) = self.devices.iter_mut().find(|d| d.id == device) {
            (d.id.clone(), *d.revoked.get_or_insert(now))
        } else if let Some(d) = self.officer_devices.iter_mut().find(|d| d.id == device) {
            (d.id.clone(), *d.revoked.get_or_insert(now))
        } else {
            return Err(Error::NotFound(format!("device {device}")));
        };
        Ok(revoked)
    }

    pub fn authenticate(&self, token: &str) -> Result<Session, Error> {
        let hash = secret::sha256_hex(token);
        let device = self
            .devices
            .iter()
            .find(|d| d.token_sha256 == hash)
            .ok_or(Error::UnknownToken)?;
        if device.revoked.is_some() {
            return Err(Error::Revoked);
        }
        let teacher = self.teacher(&device.teacher)?;
        Ok(Session {
            school: self.school(&teacher.school)?.clone(),
            teacher: teacher.clone(),
            device: device.clone(),
        })
    }

    /// The active (not revoked) device behind a peer id, with its teacher.
    pub fn active_peer(&self, peer_id: &str) -> Option<(&Device, &Teacher)> {
        let device = self
            .devices
            .iter()
            .find(|d| d.revoked.is_none() && d.peer_id() == peer_id)?;
        Some((device, self.teacher(&device.teacher).ok()?))
    }

    /// Devices with their teacher, optionally of one school.
    pub fn devices_of(&self, school: Option<&str>) -> Result<Vec<(&Device, &Teacher)>, Error> {
        let school = school
            .map(|s| self.school(s).map(|s| s.id.clone()))
            .transpose()?;
        Ok(self
            .devices
            .iter()
            .filter_map(|d| Some((d, self.teacher(&d.teacher).ok()?)))
            .filter(|(_, t)| school.as_ref().is_none_or(|s| &t.school == s))
            .collect())
    }
}

/// A secret handed out once: in clear for the person, and as the accounts file keeps it.
pub(crate) struct Issued {
    pub clear: String,
    pub stored: String,
}

impl Issued {
    /// A one-time code, kept as its HMAC under the server's key.
    pub fn code(key: &[u8]) -> Result<Issued, Error> {
        let clear = secret::new_code()?;
        Ok(Issued {
            stored: secret::code_hmac_hex(key, &clear),
            clear,
        })
    }

    /// A device token, kept as its SHA-256.
    pub fn token() -> Result<Issued, Error> {
        let clear = secret::new_token()?;
        Ok(Issued {
            stored: secret::sha256_hex(&clear),
            clear,
        })
    }
}

/// When a code made `now` stops working.
pub(crate) fn code_expiry(valid_hours: u32, now: i64) -> i64 {
    now + i64::from(valid_hours) * 3600
}

/// The device's name as the person typed it, or 手机 when they typed none.
pub(crate) fn device_name_or_default(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        "手机".to_string()
    } else {
        name.to_string()
    }
}

pub(crate) fn required(what: &str, value: &str) -> Result<String, Error> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::BadInput(format!("the {what} is empty")));
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"the server's key";

    fn school_with_teacher() -> (Accounts, Teacher) {
        let mut accounts = Accounts::default();
        accounts
            .add_school("s-1".into(), "石桥小学", "doc".into(), 0)
            .expect("school");
        let teacher = accounts
            .add_teacher("石桥小学", "李老师", Role::Teacher, 0)
            .expect("teacher");
        (accounts, teacher)
    }

    #[test]
    fn a_code_enrols_one_device_once() {
        let (mut accounts, teacher) = school_with_teacher();
        let (code, expires) = accounts.add_code(&teacher.id, 1, 100, KEY).expect("code");
        assert_eq!(expires, 3700);
        let (session, token) = accounts
            .redeem(&code.to_lowercase(), "李老师的手机", 200, KEY)
            .expect("redeem");
        assert_eq!(session.teacher.id, teacher.id);
        assert_eq!(accounts.authenticate(&token).expect("auth"), session);
        assert!(!serde_json::to_string(&accounts)
            .expect("json")
            .contains(&token));
        assert!(matches!(
            accounts.redeem(&code, "again", 200, KEY),
            Err(Error::BadCode)
        ));
    }

    #[test]
    fn codes_are_stored_keyed_and_old_sha256_codes_still_work() {
        let (mut accounts, teacher) = school_with_teacher();
        let (code, _) = accounts.add_code(&teacher.id, 1, 0, KEY).expect("code");
        let stored = &accounts.codes[0];
        assert_eq!(stored.code_sha256, None);
        assert_eq!(stored.code_hmac, Some(secret::code_hmac_hex(KEY, &code)));
        assert!(matches!(
            accounts.clone().redeem(&code, "", 1, b"another key"),
            Err(Error::BadCode)
        ));
        accounts.codes.push(Code {
            code_hmac: None,
            code_sha256: Some(secret::sha256_hex("OLD23456")),
            teacher: teacher.id.clone(),
            expires: 100,
        });
        accounts
            .redeem("old2-3456", "", 1, KEY)
            .expect("an old code");
        accounts.redeem(&code, "", 1, KEY).expect("a new code");
    }

    #[test]
    fn an_expired_code_is_refused() {
        let (mut accounts, teacher) = school_with_teacher();
        let (code, expires) = accounts.add_code(&teacher.id, 1, 0, KEY).expect("code");
        assert!(matches!(
            accounts.redeem(&code, "", expires, KEY),
            Err(Error::BadCode)
        ));
    }

    #[test]
    fn teachers_in_an_accounts_file_keep_their_role_spelling() {
        // As `accounts_file.rs` writes it (pretty JSON); files in the field must still load.
        let on_disk = r#"{
  "schools": [],
  "teachers": [
    {
      "id": "t-1",
      "school": "s-1",
      "name": "王校长",
      "role": "lead",
      "created": 0
    },
    {
      "id": "t-2",
      "school": "s-1",
      "name": "李老师",
      "role": "teacher",
      "created": 0
    }
  ],
  "devices": [],
  "codes": []
}"#;
        let accounts: Accounts = serde_json::from_str(on_disk).expect("an accounts file");
        let roles: Vec<Role> = accounts.teachers.iter().map(|t| t.role).collect();
        assert_eq!(roles, [Role::Lead, Role::Teacher]);
        assert_eq!(
            serde_json::to_string_pretty(&accounts).expect("json"),
            on_disk
        );
    }

    #[test]
    fn a_revoked_device_no_longer_authenticates() {
        let (mut accounts, teacher) = school_with_teacher();
        let (code, _) = accounts.add_code(&teacher.id, 1, 0, KEY).expect("code");
        let (session, token) = accounts.redeem(&code, "", 1, KEY).expect("redeem");
        accounts.revoke(&session.device.id, 2).expect("revoke");
        assert!(matches!(accounts.authenticate(&token), Err(Error::Revoked)));
        assert!(matches!(
            accounts.authenticate("nonsense"),
            Err(Error::UnknownToken)
        ));
        assert!(accounts.active_peer(&session.device.peer_id()).is_none());
    }

    #[test]
    fn a_stopped_devices_first_return_is_written_down_once() {
        let (mut accounts, teacher) = school_with_teacher();
        let (code, _) = accounts.add_code(&teacher.id, 1, 0, KEY).expect("code");
        let (session, token) = accounts.redeem(&code, "", 1, KEY).expect("redeem");
        assert!(
            !accounts.told_to_erase(&token, 2),
            "not stopped: nothing to erase"
        );
        accounts.revoke(&session.device.id, 3).expect("revoke");
        assert!(accounts.told_to_erase(&token, 4));
        assert!(!accounts.told_to_erase(&token, 5), "the first return only");
        assert!(!accounts.told_to_erase("nonsense", 6));
        let device = &accounts.devices[0];
        assert_eq!(device.told_to_erase, Some(4));
        assert_eq!(
            device.last_seen,
            Some(1),
            "its last contact before the stop stays"
        );
    }

    #[test]
    fn a_devices_contact_is_written_down_at_most_every_quarter_hour() {
        let (mut accounts, teacher) = school_with_teacher();
        let (code, _) = accounts.add_code(&teacher.id, 1, 0, KEY).expect("code");
        let (session, _) = accounts.redeem(&code, "", 100, KEY).expect("redeem");
        let device = session.device.id;
        let last = |a: &Accounts| a.devices[0].last_seen;
        assert_eq!(last(&accounts), Some(100), "enrolling is a contact");
        assert!(
            !accounts.seen(&device, 100 + SEEN_EVERY - 1),
            "too soon to write"
        );
        assert_eq!(last(&accounts), Some(100));
        assert!(accounts.seen(&device, 100 + SEEN_EVERY));
        assert_eq!(last(&accounts), Some(100 + SEEN_EVERY));
        assert!(
            !accounts.seen("d-nobody", 10_000),
            "an unknown device writes nothing"
        );
    }
}
