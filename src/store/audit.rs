//! The school's audit log for the care lead's screen: who received or sent which of a child's
//! documents and when, as the school's server recorded it. Asked of the server each time (the log
//! lives there, and a phone that is offline says so).

use leptos::prelude::*;

use super::Store;
use crate::sync::api::{self, AuditOf, AuditRows};

impl Store {
    /// The device token, or `unenrolled` (what the screen says) on a phone not enrolled.
    pub(super) fn token_or(self, unenrolled: &'static str) -> Result<String, &'static str> {
        self.sync
            .enrolment
            .with_untracked(|e| e.as_ref().map(|e| e.token.clone()))
            .ok_or(unenrolled)
    }

    pub async fn audit(self, of: AuditOf) -> Result<AuditRows, String> {
        let token = self.token_or("本机尚未登记到学校服务器；查阅记录保存在学校服务器上")?;
        api::audit(&token, &of).await.map_err(|e| e.to_string())
    }
}
