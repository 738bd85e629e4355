//! The school's daily sync quotas for the care lead's phone: which phones the server refuses
//! today and why. Asked of the server each time (the counts live there).

use super::Store;
use crate::sync::api::{self, DeviceUsage};

impl Store {
    pub async fn device_quotas(self) -> Result<Vec<DeviceUsage>, String> {
        let token = self.token_or("本机尚未登记到学校服务器")?;
        api::quota(&token).await.map_err(|e| e.to_string())
    }
}
