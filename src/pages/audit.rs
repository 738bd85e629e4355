//! 查阅记录: the care lead sees, from the school server's audit log, which phone received or sent
//! which of a child's documents and when — "who has received this child's talk cards" — or the
//! whole school's last 30 days, or everything one phone ever received (a lost phone: whose records
//! may it hold? with the 个人信息安全事件记录 to print). Lead only; the server refuses anyone else.

use std::collections::{BTreeSet, HashMap};

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shouwang_core::{access, DocId};

use crate::pages::contact_card::print;
use crate::pages::pairing::child_picker;
use crate::store::Store;
use crate::sync::api::{AuditOf, AuditRow, AuditRows};

#[component]
pub fn AuditPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let query = use_query_map();
    let device = query
        .with_untracked(|q| q.get("device"))
        .filter(|d| !d.is_empty());
    view! {
        <header class="topbar">
            {if device.is_some() {
                view! { <a class="back" href="/school/staff" aria-label="返回教师与手机">"‹ 教师与手机"</a> }.into_any()
            } else {
                view! { <a class="back" href="/dashboard" aria-label="返回关爱检查">"‹ 检查"</a> }.into_any()
            }}
            <h1>"查阅记录"</h1>
        </header>
        <main class="page">
            {(!store.me_is_lead()).then(|| view! {
                <p class="status status-error" role="alert">"只有关爱负责人可以查看查阅记录。"</p>
            })}
            {match device {
                Some(device) => view! { <OnePhone device/> }.into_any(),
                None => view! { <ByChild initial=query.with_untracked(|q| q.get("child")).unwrap_or_default()/> }.into_any(),
            }}
        </main>
    }
}

/// A child's documents, or the whole school's last 30 days.
#[component]
fn ByChild(initial: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let child = RwSignal::new(initial);
    let shown = LocalResource::new(move || {
        let of = DocId::parse(&child.get()).map_or(AuditOf::School, AuditOf::Child);
        async move { store.audit(of).await }
    });
    let title = move || match DocId::parse(&child.get()) {
        Ok(id) => format!("{}的档案和记录到过哪些手机", child_name(store, id)),
        Err(_) => "全校近 30 天".to_string(),
    };
    view! {
        <section class="card">
            {child_picker(store, "audit-child", child, None)}
            <p class="note">"不选儿童时显示全校近 30 天的记录。“下载到手机”表示学校服务器把这份记录发给了这部手机。"</p>
        </section>
        <h2>{title}</h2>
        <Suspense fallback=|| view! { <p class="loading">"正在向学校服务器查询…"</p> }>
            {move || shown.get().map(|answer| rows_or_problem(&named_documents(store), answer))}
        </Suspense>
    }
}

/// Everything one phone received and sent, and what to do about it if it was lost.
#[component]
fn OnePhone(device: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let of = AuditOf::Device(device);
    let shown = LocalResource::new(move || {
        let of = of.clone();
        async move { store.audit(of).await }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"正在向学校服务器查询…"</p> }>
            {move || shown.get().map(|answer| match answer {
                Err(message) => view! { <p class="status status-error" role="alert">{message}</p> }.into_any(),
                Ok(found) => {
                    let phone = found.rows.first().map(|r| format!("{}的“{}”", r.teacher_name, r.device_name));
                    let named = named_documents(store);
                    let children = children_held(&named, &found.rows);
                    view! {
                        <h2 class="no-print">{format!("{}上的记录", phone.clone().unwrap_or_else(|| "这台手机".into()))}</h2>
                        <p class="no-print">{if children.is_empty() {
                            "这台手机与学校服务器之间没有往来过任何儿童的档案或记录。".to_string()
                        } else {
                            format!(
                                "这台手机上可能有 {} 名儿童的档案或记录（学校服务器发给过它，或从它收到过）：{}。",
                                children.len(),
                                children.iter().cloned().collect::<Vec<_>>().join("、")
                            )
                        }}</p>
                        <p class="note no-print">"每台手机还有全校儿童的姓名、年级和班级（学校名单），以及教师名单。手机上的记录加密保存，没有老师的 PIN 打不开；停用后它一联网就清除全部记录。"</p>
                        <IncidentSheet phone=phone.unwrap_or_default() children/>
                        <h3 class="no-print">"往来明细"</h3>
                        <div class="no-print">{rows_or_problem(&named, Ok(found))}</div>
                    }
                    .into_any()
                }
            })}
        </Suspense>
    }
}

/// The 个人信息安全事件记录 for the school's file and the report to the bureau (个人信息保护法
/// 第五十七条): what happened, the phone, the children whose records it may hold, what was done,
/// who was told; the blanks are the lead's to fill by hand.
#[component]
fn IncidentSheet(phone: String, children: BTreeSet<String>) -> impl IntoView {
    let school = crate::prefs::school_name().unwrap_or_else(|| "__________学校".into());
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y年%-m月%-d日")
        .to_string();
    let children = if children.is_empty() {
        "无".to_string()
    } else {
        format!(
            "{} 名：{}",
            children.len(),
            children.into_iter().collect::<Vec<_>>().join("、")
        )
    };
    let row = |label: &'static str, value: String| view! { <tr><th>{label}</th><td class="prose">{value}</td></tr> };
    view! {
        <details class="incident">
            <summary>"个人信息安全事件记录（打印存档、报教育局）"</summary>
            <article class="print-sheet case-report">
                <h2 class="print-title">"个人信息安全事件记录"</h2>
                <p class="print-meta">{format!("学校：{school}　　填写日期：{today}")}</p>
                <table class="print-table">
                    <tbody>
                        {row("事件类型", "□ 手机丢失　□ 手机被盗　□ 交给他人　□ 其他：________".into())}
                        {row("发现时间", "______年____月____日____时".into())}
                        {row("涉及的手机", phone)}
                        {row("可能涉及的儿童", children)}
                        {row("涉及的信息", "上述儿童的档案和关爱记录；全校儿童的姓名、年级和班级".into())}
                        {row("已有的保护", "手机上的记录加密保存，需教师的 PIN 才能打开，PIN 连续输错等待时间逐次加长".into())}
                        {row("已采取的措施", "□ 已在“教师与手机”中停用这台手机（联网即清除全部记录）　□ 其他：________".into())}
                        {row("上报", "□ 已报告县教育局（______年____月____日）".into())}
                        {row("告知监护人", "□ 已告知　□ 未告知，理由：________".into())}
                        <tr class="tall"><th>"事件经过及处理情况"</th><td class="blank-lines">" "</td></tr>
                    </tbody>
                </table>
                <p class="signoff">"填写人：__________　负责人（签字）：__________"</p>
                <button type="button" class="primary wide no-print" on:click=|_| print()>"打印事件记录"</button>
            </article>
        </details>
    }
}

/// The children whose documents crossed between the server and the phone, either way (what a
/// phone wrote it holds too), by name, each once.
fn children_held(named: &HashMap<String, Named>, rows: &[AuditRow]) -> BTreeSet<String> {
    rows.iter()
        .filter(|r| r.direction == "sent" || r.direction == "received")
        .filter_map(|r| named.get(r.doc.as_deref()?.trim_start_matches("automerge:")))
        .map(|n| n.child.clone())
        .collect()
}

fn child_name(store: Store, id: DocId) -> String {
    store
        .every_child()
        .into_iter()
        .find(|(e, _)| e.id == id)
        .map(|(e, _)| e.basic.name)
        .unwrap_or_else(|| "该儿童".into())
}

fn rows_or_problem(named: &HashMap<String, Named>, answer: Result<AuditRows, String>) -> AnyView {
    match answer {
        Err(message) => {
            view! { <p class="status status-error" role="alert">{message}</p> }.into_any()
        }
        Ok(found) if found.rows.is_empty() => {
            view! { <p class="empty">"没有记录。"</p> }.into_any()
        }
        Ok(found) => view! {
            {found.truncated.then(|| view! { <p class="note">"只显示最近 500 条。"</p> })}
            <ul class="plain-list audit-rows">{
                found.rows.into_iter().map(|r| row(r, named)).collect_view()
            }</ul>
        }
        .into_any(),
    }
}

/// A child's document as the rows name it: whose, and the two together (王小红的谈心记录).
struct Named {
    child: String,
    what: String,
}

/// Each document of the children this phone knows: the school's whole listing names the child,
/// which the server leaves to the phone.
fn named_documents(store: Store) -> HashMap<String, Named> {
    store
        .every_child()
        .into_iter()
        .flat_map(|(entry, _)| {
            access::child_documents(entry.id).map(move |(doc, class)| {
                let child = entry.basic.name.clone();
                let what = format!("{child}的{}", class.label_zh());
                (doc.to_string(), Named { child, what })
            })
        })
        .collect()
}

fn row(entry: AuditRow, named: &HashMap<String, Named>) -> impl IntoView {
    let what = entry
        .doc
        .as_ref()
        .and_then(|doc| named.get(doc.trim_start_matches("automerge:")))
        .map(|n| n.what.clone())
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
