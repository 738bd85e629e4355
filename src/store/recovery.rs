//! Forgotten PINs of the school's phones, for the care lead's screen: which phones ask for help
//! and the lead's answer. Asked of the server each time (the requests live there).

use super::Store;
use crate::sync::recovery::{self, Pending};

impl Store {
    pub async fn recovery_requests(self) -> Result<Vec<Pending>, String> {
        let token = self.token_or("本机尚未登记到学校服务器")?;
        recovery::requests(&token).await.map_err(|e| e.to_string())
    }

    pub async fn answer_recovery(self, device: &str, approve: bool) -> Result<(), String> {
        let token = self.token_or("本机尚未登记到学校服务器")?;
        recovery::decide(&token, device, approve)
            .await
            .map_err(|e| e.to_string())
    }
}
