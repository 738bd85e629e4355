//! What can go wrong with storage on the device, each with the Chinese message a teacher reads.

use wasm_bindgen::{JsCast, JsValue};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// No IndexedDB: some private-browsing modes, or storage disabled for the site.
    #[error("本机存储不可用（可能处于无痕/隐私模式或禁用了网站存储），记录无法保存。请用普通模式打开本应用。")]
    Unavailable,
    #[error("手机存储空间不足，记录未能保存。请清理手机空间后点“重试”。")]
    QuotaExceeded,
    #[error("本机存储出错（{0}），记录未能保存，正在重试。")]
    Failed(String),
    /// Changes to the school's directory made while this phone's teacher was a care lead, which
    /// the server did not take once the teacher no longer was one.
    #[error("该修改需要关爱负责人权限，未被接受：本机在学校名录（教师、分工、设置）中的未同步修改已撤回，以学校服务器上的为准。")]
    NotAccepted,
}

impl StoreError {
    pub fn from_js(value: JsValue) -> Self {
        let name = value
            .dyn_ref::<web_sys::DomException>()
            .map(|e| (e.name(), e.message()))
            .or_else(|| {
                value
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| (e.name().into(), e.message().into()))
            });
        match name {
            Some((name, _)) if name == "QuotaExceededError" => StoreError::QuotaExceeded,
            Some((name, message)) => StoreError::Failed(format!("{name}: {message}")),
            None => StoreError::Failed(format!("{value:?}")),
        }
    }
}
