//! 查阅记录: the care lead sees, from the school server's audit log, which phone received or sent
//! which of a child's documents and when — "who has received this child's talk cards" — or the
//! whole school's last 30 days. Lead only; the server refuses anyone else.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shouwang_core::{access, DocId};

use crate::pages::pairing::child_picker;
use crate::store::Store;
use crate::sync::api::AuditRow;

#[component]
pub fn AuditPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let query = use_query_map();
    let child = RwSignal::new(query.with_untracked(|q| q.get("child")).unwrap_or_default());
    let shown = LocalResource::new(move || {
        let chosen = DocId::parse(&child.get()).ok();
        async move { store.audit(chosen).await }
    });
    let title = move || match DocId::parse(&child.get()) {
        Ok(id) => {
            let name = store
                .roster
                .with(|r| r.iter().find(|e| e.id == id).map(|e| e.basic.name.clone()))
                .or_else(|| {
                    store.departed.with(|d| {
                        d.iter()
                            .find(|(e, _)| e.id == id)
                            .map(|(e, _)| e.basic.name.clone())
                    })
                })
                .unwrap_or_else(|| "该儿童".into());
            format!("{name}的档案和记录到过哪些手机")
        }
        Err(_) => "全校近 30 天".to_string(),
    };
    view! {
        <header class="topbar">
            <a class="back" href="/dashboard" aria-label="返回关爱检查">"‹ 检查"</a>
            <h1>"查阅记录"</h1>
        </header>
        <main class="page">
            {(!store.me_is_lead()).then(|| view! {
                <p class="status status-error" role="alert">"只有关爱负责人可以查看查阅记录。"</p>
            })}
            <section class="card">
                {child_picker(store, "audit-child", child, None)}
                <p class="note">"不选儿童时显示全校近 30 天的记录。“下载到手机”表示学校服务器把这份记录发给了这部手机。"</p>
            </section>
            <h2>{title}</h2>
            <Suspense fallback=|| view! { <p class="loading">"正在向学校服务器查询…"</p> }>
                {move || shown.get().map(|answer| match answer {
                    Err(message) => view! { <p class="status status-error" role="alert">{message}</p> }.into_any(),
                    Ok(found) if found.rows.is_empty() => view! { <p class="empty">"没有记录。"</p> }.into_any(),
                    Ok(found) => view! {
                        {found.truncated.then(|| view! { <p class="note">"只显示最近 500 条。"</p> })}
                        <ul class="plain-list audit-rows">{
                            let named = named_documents(store);
                            found.rows.into_iter().map(|r| row(r, &named)).collect_view()
                        }</ul>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

/// Each document of the children this phone knows, with the child's name and what it is: the
/// school's whole listing names the child (王小红的谈心记录), which the server leaves to the phone.
fn named_documents(store: Store) -> HashMap<String, String> {
    store
        .every_child()
        .into_iter()
        .flat_map(|(entry, _)| {
            access::child_documents(entry.id).map(move |(doc, class)| {
                let named = format!("{}的{}", entry.basic.name, class.label_zh());
                (doc.to_string(), named)
            })
        })
        .collect()
}

fn row(entry: AuditRow, named: &HashMap<String, String>) -> impl IntoView {
    let what = entry
        .doc
        .as_ref()
        .and_then(|doc| named.get(doc.trim_start_matches("automerge:")).cloned())
        .or(entry.kind.clone())
        .unwrap_or_else(|| "一份记录".into());
    let action = match entry.direction.as_str() {
        "sent" => format!("下载到手机：{what}"),
        "received" => format!("从手机上传：{what}"),
        "connected" => "连接学校服务器".to_string(),
        "disconnected" => "断开连接".to_string(),
        "erased" => "永久删除了该儿童的全部记录".to_string(),
        other => other.to_string(),
    };
    let who = if entry.device_name.is_empty() {
        entry.teacher_name.clone()
    } else {
        format!("{}（{}）", entry.teacher_name, entry.device_name)
    };
    view! {
        <li>
            <span class="detail">{entry.time}</span>
            <br/>
            <strong>{who}</strong>" "{action}
        </li>
    }
}
