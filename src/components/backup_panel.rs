//! The settings screen's backup section: export everything on the phone as one file sealed with
//! a passphrase, and import such a file from another phone (merged with what is here).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::store::{DirectoryRestored, Restored, Store};

#[component]
pub fn BackupPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let passphrase = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let export = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        message.set(None);
        let typed = passphrase.get_untracked();
        // A slip in a passphrase typed once would make the file impossible to open.
        // (A passphrase too short is said first, by the export.)
        if shouwang_core::pin::check_passphrase(&typed).is_ok() && again.get_untracked() != typed {
            busy.set(false);
            message.set(Some(Err(
                "两次输入的备份口令不一致，请重新输入。未生成备份文件。".into(),
            )));
            return;
        }
        leptos::task::spawn_local(async move {
            let result = store.export_backup(&typed).await;
            busy.set(false);
            message.set(Some(result.map(|bytes| {
                let day = chrono::Local::now().format("%Y%m%d");
                crate::js::download_bytes(&format!("守望备份-{day}.swbak"), &bytes);
                "备份文件已生成，请把它存到安全的地方（文件已加密，没有口令无法打开）。".to_string()
            })));
        });
    };
    let import = move |ev: web_sys::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        let Some(file) = input
            .as_ref()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        if let Some(input) = &input {
            // The same file may be chosen again after a wrong passphrase.
            input.set_value("");
        }
        busy.set(true);
        message.set(None);
        let typed = passphrase.get_untracked();
        leptos::task::spawn_local(async move {
            let bytes = match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => {
                    busy.set(false);
                    message.set(Some(Err("无法读取所选文件".into())));
                    return;
                }
            };
            let result = store.import_backup(&bytes, &typed).await;
            busy.set(false);
            message.set(Some(result.map(restored_message)));
        });
    };
    view! {
        <section class="card" aria-labelledby="backup-title">
            <h2 id="backup-title">"备份文件"</h2>
            <p class="detail">"长时间连不上学校服务器、或要换手机时：导出本机全部记录为一个加密文件，在另一部手机上导入，记录会与那部手机上的合并。"</p>
            {secret_field("backup-passphrase", "备份口令（至少 8 个字符）", passphrase)}
            {secret_field("backup-passphrase-again", "再输入一次备份口令（导出时）", again)}
            <button type="button" class="primary" on:click=export disabled=move || busy.get()>
                "导出备份"
            </button>
            <div class="field">
                <label for="backup-file">"导入备份文件（先填上面的备份口令）"</label>
                <input id="backup-file" type="file" accept=".swbak" on:change=import
                    disabled=move || busy.get()/>
            </div>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="status status-ok" role="status" id="backup-message">{text}</p> }.into_any(),
                Err(text) => view! { <p class="status status-error" role="alert" id="backup-message">{text}</p> }.into_any(),
            })}
        </section>
    }
}

/// A passphrase field, typed unseen.
fn secret_field(id: &'static str, label: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="password" autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </div>
    }
}

/// What the teacher is told an import brought.
fn restored_message(restored: Restored) -> String {
    let children = format!(
        "已导入备份：{} 名儿童的记录已与本机合并。",
        restored.children
    );
    let directory = match restored.directory {
        DirectoryRestored::NotInBackup => "",
        DirectoryRestored::Restored if crate::prefs::me_id().is_empty() => {
            "教师名单、负责分工和学校设置也已恢复，请在上方“我是哪位老师”中选择您自己。"
        }
        DirectoryRestored::Restored => "教师名单、负责分工和学校设置也已恢复。",
        DirectoryRestored::SchoolKeeps => {
            "本机已加入学校，教师名单和负责分工以学校服务器上的为准，备份中的未导入。"
        }
    };
    format!("{children}{directory}")
}
