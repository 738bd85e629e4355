//! The school's staff through the store: the care lead's calls to the school's server with this
//! phone's token (`sync/staff.rs`); the server decides who may (a lead, of her own school).

use shouwang_core::api::staff::{Code, Member};
use shouwang_core::teachers::Role;

use super::Store;
use crate::sync::staff;

/// Said when the phone has no token to ask with.
const UNENROLLED: &str = "本机尚未登记到学校服务器；教师和手机由学校服务器管理";

impl Store {
    pub async fn staff(self) -> Result<Vec<Member>, String> {
        let token = self.token_or(UNENROLLED)?;
        staff::list(&token).await.map_err(|e| e.to_string())
    }

    pub async fn add_staff(self, name: String, role: Role) -> Result<(), String> {
        let token = self.token_or(UNENROLLED)?;
        staff::add(&token, &name, role)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }

    pub async fn enrol_code(self, teacher: String) -> Result<Code, String> {
        let token = self.token_or(UNENROLLED)?;
        staff::code(&token, &teacher)
            .await
            .map_err(|e| e.to_string())
    }

    pub async fn revoke_phone(self, device: String) -> Result<(), String> {
        let token = self.token_or(UNENROLLED)?;
        staff::revoke(&token, &device)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }

    /// Records that a teacher left the school (`true`) or teaches here again (`false`); the
    /// server writes it into the directory, which reaches this phone by sync.
    pub async fn set_left(self, teacher: String, left: bool) -> Result<(), String> {
        let token = self.token_or(UNENROLLED)?;
        let action = if left { "leave" } else { "return" };
        staff::leave(&token, &teacher, action)
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }
}
