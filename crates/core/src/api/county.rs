//! The county's API (教育局): `POST /api/county/enrol` turns an officer's one-time code into a
//! token, and `GET /api/county` answers with the published figures of the county's schools and
//! their total — counts only; the county never receives a child's record, a name or a document.

use serde::{Deserialize, Serialize};

use super::Named;
use crate::stats::figures::{self, Figures, Published};

/// `POST /api/county/enrol`'s answer; its body is the same `Enrol` as a teacher's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountyEnrolment {
    pub token: String,
    pub county: Named,
    pub officer: Named,
}

/// `GET /api/county`: every school of the county, with what it last published (None: its care
/// lead's phone has not published figures yet), and the total of those that did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountyView {
    pub county: Named,
    pub schools: Vec<CountySchool>,
    pub total: Figures,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountySchool {
    pub school: Named,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Published>,
}

impl CountyView {
    /// The view of `schools`, their total computed here so server and tests add up alike.
    pub fn new(county: Named, schools: Vec<CountySchool>) -> CountyView {
        let total = figures::total(schools.iter().filter_map(|s| s.published.as_ref()));
        CountyView {
            county,
            schools,
            total,
        }
    }

    /// Schools that have published figures.
    pub fn reported(&self) -> usize {
        self.schools
            .iter()
            .filter(|s| s.published.is_some())
            .count()
    }
}
