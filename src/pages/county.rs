//! The county's view (教育局统计): an education-bureau officer logs in with a one-time code and
//! sees the figures each school's care lead published — children by category, 建档率, care done
//! and due, 控辍保学 and group activities — and the county's total. Counts only: no child's
//! record ever reaches this screen, so it needs no PIN and keeps its last answer in localStorage
//! to show without a network (marked with when it was fetched).

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shouwang_core::cadence::CareKind;
use shouwang_core::family::Category;
use shouwang_core::stats::care::Tally;
use shouwang_core::stats::figures::Figures;

use crate::components::code_form::{CodeForm, CodeFormText};
use crate::sync::api::{self, ApiError, CountyEnrolment, CountyView};

const KEY: &str = crate::prefs::COUNTY_LOGIN;

/// What this browser keeps of the county login: the token, and the last answer with when it
/// came.
#[derive(Clone, Serialize, Deserialize)]
struct Login {
    enrolment: CountyEnrolment,
    #[serde(default)]
    last: Option<(CountyView, String)>,
}

fn saved() -> Option<Login> {
    LocalStorage::get(KEY).ok()
}

fn save(login: &Login) -> Result<(), String> {
    LocalStorage::set(KEY, login).map_err(|e| format!("本机无法保存登录（{e}）"))
}

#[component]
pub fn CountyPage() -> impl IntoView {
    // This screen never shows a child: the page's own PIN screen does not guard it.
    let _ = crate::gate::boot::take();
    let login = RwSignal::new(saved());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let refresh = move || {
        let Some(current) = login.get_untracked() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = api::county(&current.enrolment.token).await;
            busy.set(false);
            match answer {
                Ok(view) => {
                    let fetched = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
                    let next = Login {
                        last: Some((view, fetched)),
                        ..current
                    };
                    error.set(save(&next).err());
                    login.set(Some(next));
                }
                Err(e) => error.set(Some(match &current.last {
                    Some(_) => format!("{}下面是上次更新的数据。", said(&e)),
                    None => said(&e),
                })),
            }
        });
    };
    // Asks for the figures on opening and right after logging in: whenever the token changes.
    Effect::new(move |asked: Option<Option<String>>| {
        let token = login.with(|l| l.as_ref().map(|l| l.enrolment.token.clone()));
        if token.is_some() && asked.as_ref() != Some(&token) {
            refresh();
        }
        token
    });
    let log_out = move |_| {
        LocalStorage::delete(KEY);
        login.set(None);
        error.set(None);
    };
    view! {
        <header class="topbar">
            <h1>"教育局统计"</h1>
        </header>
        <main class="page">
            {move || match login.get() {
                None => view! { <LoginForm login=login saving=error/> }.into_any(),
                Some(current) => view! {
                    <section class="card" aria-label="登录">
                        <p>{format!("{} · {}", current.enrolment.county.name, current.enrolment.officer.name)}</p>
                        <p class="detail">{match &current.last {
                            Some((_, at)) => format!("上次更新：{at}"),
                            None => "尚未取得数据".to_string(),
                        }}</p>
                        <div class="actions">
                            <button type="button" class="primary" prop:disabled=move || busy.get()
                                on:click=move |_| refresh()>
                                {move || if busy.get() { "正在更新…" } else { "刷新" }}
                            </button>
                            <button type="button" on:click=log_out>"退出登录"</button>
                        </div>
                        {move || error.get().map(|e| view! { <p class="status status-error" role="alert">{e}</p> })}
                    </section>
                    {current.last.map(|(view, _)| county(&view))}
                }.into_any(),
            }}
        </main>
    }
}

#[component]
fn LoginForm(login: RwSignal<Option<Login>>, saving: RwSignal<Option<String>>) -> impl IntoView {
    let text = CodeFormText {
        code_id: "county-code",
        device_id: "county-device",
        intro: "教育局工作人员：输入教育局管理员给的一次性登记码，查看各校上报的留守儿童关爱汇总统计。这里只有人数和比例，不含任何儿童的个人信息。",
        empty: "请输入教育局管理员给的登记码",
        button: "登录",
        busy: "正在登录…",
    };
    view! {
        <CodeForm text=text submit=move |code: String, device: String| async move {
            let enrolment = api::county_enrol(&code, &device).await.map_err(|e| said(&e))?;
            let next = Login { enrolment, last: None };
            // Kept for this session even if the browser cannot store it (then said).
            saving.set(save(&next).err());
            login.set(Some(next));
            Ok(())
        }/>
        <p class="detail"><a href="/">"学校教师请回到守望首页"</a></p>
    }
}

/// The county's total and each school's row.
fn county(view: &CountyView) -> impl IntoView {
    let t = &view.total;
    let reported = view.reported();
    let all = view.schools.len();
    let today = chrono::Local::now().date_naive();
    let rows = view
        .schools
        .iter()
        .map(|s| match &s.published {
            // Published from an empty roster: not a school without left-behind children.
            Some(p) if p.figures.children == 0 => view! {
                <tr>
                    <th>{s.school.name.clone()}</th>
                    <td>{p.as_of.format("%Y-%m-%d").to_string()}</td>
                    <td colspan="8">"名册为空（学校还没有录入儿童）"</td>
                </tr>
            }
            .into_any(),
            Some(p) => {
                let f = &p.figures;
                view! {
                    <tr>
                        <th>{s.school.name.clone()}</th>
                        <td>{p.as_of.format("%Y-%m-%d").to_string()}{p.stale_days(today).map(|days| view! {
                            <span class="status-error">{format!("（{days} 天未更新）")}</span>
                        })}</td>
                        <td>{f.left_behind}</td>
                        <td>{f.watched}</td>
                        <td>{format!("{:.1}%", f.archive_rate())}</td>
                        <td>{done_of(f.care_of(CareKind::Visit))}</td>
                        <td>{f.overdue}</td>
                        <td>{f.dropout_cases}</td>
                        <td>{f.returned}</td>
                        <td>{f.sessions}</td>
                    </tr>
                }
                .into_any()
            }
            None => view! {
                <tr><th>{s.school.name.clone()}</th><td colspan="9">"未上报"</td></tr>
            }
            .into_any(),
        })
        .collect_view();
    // The schools publish the children in their care: 非留守 is none of them.
    let categories = Category::ALL
        .iter()
        .filter(|c| c.in_care())
        .map(|c| {
            let n = t.by_category.get(c).copied().unwrap_or(0);
            view! { <tr><th>{c.label_zh()}</th><td>{n}</td></tr> }
        })
        .collect_view();
    view! {
        <section class="card" aria-label="全县合计">
            <h2>{format!("全县合计（{reported} / {all} 所学校已上报）")}</h2>
            <table class="stats" id="county-total" aria-label="全县合计数字">
                <tbody>{total_rows(t)}</tbody>
            </table>
            {(t.unreadable > 0).then(|| view! {
                <p class="status status-error">{format!("有 {} 名儿童的记录在学校手机上未能读取，其关爱工作未计入已完成。", t.unreadable)}</p>
            })}
        </section>
        <h2>"各校"</h2>
        <div class="table-scroll" role="region" tabindex="0" aria-label="各校">
            <table class="stats">
                <thead><tr>
                    <th>"学校"</th><th>"截至"</th><th>"留守儿童"</th><th>"关爱对象（非留守）"</th>
                    <th>"建档率"</th><th>"本学期家访（完成/应做）"</th><th>"逾期"</th>
                    <th>"新增疑似辍学"</th><th>"返校"</th><th>"集体活动（场）"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <h2>"按类别"</h2>
        <div class="table-scroll" role="region" tabindex="0" aria-label="按类别">
            <table class="stats">
                <thead><tr><th>"类别"</th><th>"人数"</th></tr></thead>
                <tbody>{categories}</tbody>
            </table>
        </div>
        <p class="detail">"各校的数字由该校关爱负责人的手机在打开“关爱检查”或“统计”时计算并上报，与学校自己看到的一致。"</p>
    }
}

/// The county's total, one figure per row.
fn total_rows(t: &Figures) -> impl IntoView {
    let care = |kind| done_of(t.care_of(kind));
    let people = |n: u32| format!("{n} 人");
    let rows: [(&str, String); 16] = [
        ("留守儿童", people(t.left_behind)),
        ("学校关爱对象（非留守）", people(t.watched)),
        ("家庭情况未知", people(t.unknown)),
        ("建档率", format!("{:.1}%", t.archive_rate())),
        ("无有效监护", people(t.no_guardian)),
        ("已结对帮扶", people(t.paired)),
        ("本学期家访（完成/应做）", care(CareKind::Visit)),
        ("与家长联系（完成/应做）", care(CareKind::ParentCall)),
        ("谈心（完成/应做）", care(CareKind::Talk)),
        ("逾期未做", format!("{} 项", t.overdue)),
        ("新增疑似辍学", people(t.dropout_cases)),
        ("已返校", people(t.returned)),
        ("确认辍学", people(t.confirmed_dropouts)),
        ("目前未在校", people(t.out_of_school)),
        ("集体活动", format!("{} 场", t.sessions)),
        ("参与集体活动", format!("{} 人次", t.session_children)),
    ];
    rows.into_iter()
        .map(|(label, value)| view! { <tr><th>{label}</th><td>{value}</td></tr> })
        .collect_view()
}

/// An API failure as an officer reads it: the bureau is not on a school's Wi-Fi.
fn said(error: &ApiError) -> String {
    match error {
        ApiError::Unreachable => "无法连接服务器，请检查网络后再试。".to_string(),
        other => format!("{other}。"),
    }
}

fn done_of(tally: Tally) -> String {
    format!("{} / {}", tally.done, tally.due)
}
