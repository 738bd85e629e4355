//! Counties (县教育局) and their officers, as plain data with the rules for changing them: a
//! county lists its schools; an officer enrols devices with one-time codes as a teacher does, but
//! the officer's devices and codes live in lists of their own (`Accounts::officer_devices`,
//! `officer_codes`), so `Accounts::authenticate` and `redeem` never see them and an officer's
//! token opens no school session by construction, not by a check someone could forget.

use serde::{Deserialize, Serialize};

use crate::accounts::{code_expiry, device_name_or_default, required, Accounts, Issued};
use crate::error::Error;
use crate::secret;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct County {
    pub id: String,
    pub name: String,
    /// School ids, in the order the county view lists them.
    pub schools: Vec<String>,
    pub created: i64,
}

/// Staff of the county's 教育局, who see the county's figures and nothing of a school's records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Officer {
    pub id: String,
    pub county: String,
    pub name: String,
    pub created: i64,
}

/// An officer's enrolled device. It has no peer id: it never joins a sync socket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfficerDevice {
    pub id: String,
    pub officer: String,
    pub name: String,
    pub token_sha256: String,
    pub created: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<i64>,
}

/// An officer's one-time code, HMAC-SHA256 under the server's key as a teacher's is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfficerCode {
    pub code_hmac: String,
    pub officer: String,
    pub expires: i64,
}

/// Who a valid officer's token belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficerSession {
    pub county: County,
    pub officer: Officer,
    pub device: OfficerDevice,
}

impl Accounts {
    pub fn county(&self, id_or_name: &str) -> Result<&County, Error> {
        self.counties
            .iter()
            .find(|c| c.id == id_or_name)
            .or_else(|| self.counties.iter().find(|c| c.name == id_or_name))
            .ok_or_else(|| Error::NotFound(format!("county {id_or_name}")))
    }

    pub fn officer(&self, id: &str) -> Result<&Officer, Error> {
        self.officers
            .iter()
            .find(|o| o.id == id)
            .ok_or_else(|| Error::NotFound(format!("officer {id}")))
    }

    /// A county of these schools (ids or exact names).
    pub fn add_county(
        &mut self,
        name: &str,
        schools: &[String],
        now: i64,
    ) -> Result<County, Error> {
        let county = County {
            id: secret::new_id("c")?,
            name: required("county name", name)?,
            schools: Vec::new(),
            created: now,
        };
        self.counties.push(county.clone());
        for school in schools {
            self.add_county_school(&county.id, school)?;
        }
        self.county(&county.id).cloned()
    }

    /// Adds a school to a county; once is enough (adding it again changes nothing). A school
    /// answers to one 教育局: one already in another county is refused rather than moved, so a
    /// mistyped command cannot show its figures to a second county.
    pub fn add_county_school(&mut self, county: &str, school: &str) -> Result<County, Error> {
        let county = self.county(county)?.id.clone();
        let school = self.school(school)?.id.clone();
        if let Some(other) = self
            .counties
            .iter()
            .find(|c| c.id != county && c.schools.contains(&school))
        {
            return Err(Error::BadInput(format!(
                "school {school} already belongs to county {} ({})",
                other.id, other.name
            )));
        }
        let entry = self
            .counties
            .iter_mut()
            .find(|c| c.id == county)
            .ok_or_else(|| Error::NotFound(format!("county {county}")))?;
        if !entry.schools.contains(&school) {
            entry.schools.push(school);
        }
        Ok(entry.clone())
    }

    pub fn add_officer(&mut self, county: &str, name: &str, now: i64) -> Result<Officer, Error> {
        let officer = Officer {
            id: secret::new_id("o")?,
            county: self.county(county)?.id.clone(),
            name: required("officer name", name)?,
            created: now,
        };
        self.officers.push(officer.clone());
        Ok(officer)
    }

    /// A fresh one-time code for an officer's new device, as `add_code` is for a teacher's.
    pub fn add_officer_code(
        &mut self,
        officer: &str,
        valid_hours: u32,
        now: i64,
        key: &[u8],
    ) -> Result<(String, i64), Error> {
        let officer = self.officer(officer)?.id.clone();
        self.officer_codes.retain(|c| c.expires > now);
        let (code, expires) = (Issued::code(key)?, code_expiry(valid_hours, now));
        self.officer_codes.push(OfficerCode {
            code_hmac: code.stored,
            officer,
            expires,
        });
        Ok((code.clear, expires))
    }

    /// Uses up an officer's code and enrols the device; a teacher's code is not among these, so
    /// it fails here as an unknown code does (and stays usable at `/api/enrol`).
    pub fn redeem_officer(
        &mut self,
        code: &str,
        device_name: &str,
        now: i64,
        key: &[u8],
    ) -> Result<(OfficerSession, String), Error> {
        let hmac = secret::code_hmac_hex(key, &secret::normalise_code(code));
        let position = self
            .officer_codes
            .iter()
            .position(|c| c.code_hmac == hmac && c.expires > now)
            .ok_or(Error::BadCode)?;
        let code = self.officer_codes.remove(position);
        let token = Issued::token()?;
        self.officer_devices.push(OfficerDevice {
            id: secret::new_id("d")?,
            officer: code.officer,
            name: device_name_or_default(device_name),
            token_sha256: token.stored,
            created: now,
            revoked: None,
        });
        let session = self.authenticate_officer(&token.clear)?;
        Ok((session, token.clear))
    }

    /// The officer behind a token. A teacher's token is told it is not a county account (403);
    /// anything else unknown is an unknown token (401).
    pub fn authenticate_officer(&self, token: &str) -> Result<OfficerSession, Error> {
        let hash = secret::sha256_hex(token);
        let Some(device) = self.officer_devices.iter().find(|d| d.token_sha256 == hash) else {
            return Err(match self.authenticate(token) {
                Ok(_) => Error::CountyOnly,
                Err(Error::Revoked) => Error::Revoked,
                Err(_) => Error::UnknownToken,
            });
        };
        if device.revoked.is_some() {
            return Err(Error::Revoked);
        }
        let officer = self.officer(&device.officer)?;
        Ok(OfficerSession {
            county: self.county(&officer.county)?.clone(),
            officer: officer.clone(),
            device: device.clone(),
        })
    }

    /// Officers' devices with their officer.
    pub fn officer_devices(&self) -> Vec<(&OfficerDevice, &Officer)> {
        self.officer_devices
            .iter()
            .filter_map(|d| Some((d, self.officer(&d.officer).ok()?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use shouwang_core::teachers::Role;

    use super::*;

    const KEY: &[u8] = b"the server's key";

    /// Two schools in a county with one officer, a third school outside it, and a teacher.
    fn county() -> (Accounts, County, Officer, String) {
        let mut accounts = Accounts::default();
        for (id, name) in [
            ("s-1", "石桥小学"),
            ("s-2", "河口小学"),
            ("s-3", "邻县小学"),
        ] {
            accounts
                .add_school(id.into(), name, "doc".into(), 0)
                .expect("school");
        }
        let teacher = accounts
            .add_teacher("s-1", "李老师", Role::Lead, 0)
            .expect("teacher");
        let county = accounts
            .add_county("青山县", &["s-1".into(), "河口小学".into()], 0)
            .expect("county");
        let officer = accounts
            .add_officer(&county.id, "教育局王科长", 0)
            .expect("officer");
        (accounts, county, officer, teacher.id)
    }

    #[test]
    fn a_county_lists_its_schools_by_id_in_order_and_once() {
        let (mut accounts, county, _, _) = county();
        assert_eq!(county.schools, ["s-1", "s-2"], "a name is kept as the id");
        let again = accounts
            .add_county_school(&county.id, "石桥小学")
            .expect("again");
        assert_eq!(again.schools, ["s-1", "s-2"]);
        let third = accounts.add_county_school("青山县", "s-3").expect("third");
        assert_eq!(third.schools, ["s-1", "s-2", "s-3"]);
        assert!(matches!(
            accounts.add_county_school(&county.id, "nowhere"),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            accounts.add_county("  ", &[], 0),
            Err(Error::BadInput(_))
        ));
    }

    #[test]
    fn a_school_belongs_to_one_county_only() {
        let (mut accounts, _, _, _) = county();
        let before = accounts.clone();
        assert!(matches!(
            accounts.add_county("白水县", &["s-3".into(), "s-1".into()], 0),
            Err(Error::BadInput(_))
        ));
        // The accounts file is written only when the whole change succeeds (`update`).
        let other = before
            .clone()
            .add_county("白水县", &["s-3".into()], 0)
            .expect("a school of no county");
        assert_eq!(other.schools, ["s-3"]);
    }

    #[test]
    fn an_officer_code_enrols_a_device_that_opens_no_school_session() {
        let (mut accounts, county, officer, _) = county();
        let (code, expires) = accounts
            .add_officer_code(&officer.id, 1, 100, KEY)
            .expect("code");
        assert_eq!(expires, 3700);
        let (session, token) = accounts
            .redeem_officer(&code.to_lowercase(), "王科长的电脑", 200, KEY)
            .expect("redeem");
        assert_eq!(session.county, county);
        assert_eq!(session.officer, officer);
        assert_eq!(session.device.name, "王科长的电脑");
        assert_eq!(
            accounts.authenticate_officer(&token).expect("auth"),
            session
        );
        assert!(matches!(
            accounts.authenticate(&token),
            Err(Error::UnknownToken)
        ));
        assert!(accounts
            .active_peer(&format!("device-{}", session.device.id))
            .is_none());
        let stored = serde_json::to_string(&accounts).expect("json");
        assert!(!stored.contains(&token) && !stored.contains(&code));
        assert!(matches!(
            accounts.redeem_officer(&code, "again", 200, KEY),
            Err(Error::BadCode)
        ));
    }

    #[test]
    fn each_code_enrols_only_at_its_own_endpoint_and_survives_the_wrong_one() {
        let (mut accounts, _, officer, teacher) = county();
        let (teacher_code, _) = accounts.add_code(&teacher, 1, 0, KEY).expect("code");
        let (officer_code, _) = accounts
            .add_officer_code(&officer.id, 1, 0, KEY)
            .expect("code");
        assert!(matches!(
            accounts.redeem_officer(&teacher_code, "", 1, KEY),
            Err(Error::BadCode)
        ));
        assert!(matches!(
            accounts.redeem(&officer_code, "", 1, KEY),
            Err(Error::BadCode)
        ));
        accounts
            .redeem(&teacher_code, "", 1, KEY)
            .expect("the teacher's code still enrols a teacher");
        accounts
            .redeem_officer(&officer_code, "", 1, KEY)
            .expect("the officer's code still enrols an officer");
    }

    #[test]
    fn teachers_revoked_devices_and_expired_codes_are_refused_at_the_county() {
        let (mut accounts, _, officer, teacher) = county();
        let (code, expires) = accounts.add_code(&teacher, 1, 0, KEY).expect("code");
        let (_, teacher_token) = accounts.redeem(&code, "", 1, KEY).expect("teacher");
        assert!(matches!(
            accounts.authenticate_officer(&teacher_token),
            Err(Error::CountyOnly)
        ));
        assert!(matches!(
            accounts.authenticate_officer("nonsense"),
            Err(Error::UnknownToken)
        ));
        let (code, _) = accounts
            .add_officer_code(&officer.id, 1, 0, KEY)
            .expect("code");
        let (session, token) = accounts.redeem_officer(&code, "", 1, KEY).expect("redeem");
        let (id, at) = accounts.revoke(&session.device.id, 2).expect("revoke");
        assert_eq!((id.as_str(), at), (session.device.id.as_str(), 2));
        assert!(matches!(
            accounts.authenticate_officer(&token),
            Err(Error::Revoked)
        ));
        let (late, _) = accounts
            .add_officer_code(&officer.id, 1, 0, KEY)
            .expect("code");
        assert!(matches!(
            accounts.redeem_officer(&late, "", expires, KEY),
            Err(Error::BadCode)
        ));
    }

    #[test]
    fn counties_round_trip_through_the_accounts_file() {
        let (mut accounts, _, officer, _) = county();
        let (code, _) = accounts
            .add_officer_code(&officer.id, 1, 0, KEY)
            .expect("code");
        accounts.redeem_officer(&code, "", 1, KEY).expect("redeem");
        accounts
            .add_officer_code(&officer.id, 1, 0, KEY)
            .expect("code");
        let json = serde_json::to_string_pretty(&accounts).expect("json");
        for key in ["counties", "officers", "officerDevices", "officerCodes"] {
            assert!(json.contains(&format!("\"{key}\"")), "{key} in {json}");
        }
        let read: Accounts = serde_json::from_str(&json).expect("read back");
        assert_eq!(read, accounts);
    }
}
