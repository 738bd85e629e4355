//! The roster screen: every child on this device, grouped by class, and the way to add one.

use leptos::prelude::*;
use shouwang_core::child::{grade_label_zh, GRADES};
use shouwang_core::family::Category;
use shouwang_core::roster::Filter;
use shouwang_core::search::NameKey;
use shouwang_core::status::Status;
use shouwang_core::RosterEntry;

use crate::components::notice::Flash;
use crate::components::save_status::SaveStatusLine;
use crate::store::Store;

#[component]
pub fn RosterPage() -> impl IntoView {
    let flash = expect_context::<Flash>().take();
    // Marks when the list is first usable, for the performance figures the tests read.
    Effect::new(move |_| {
        crate::js::record_measure("shouwang:list-ready", 0.0, crate::js::now_ms())
    });
    view! {
        <header class="topbar">
            <h1>"守望 · 儿童名册"</h1>
            <nav class="topbar-nav" aria-label="功能">
                <a class="topbar-link" href="/week">"我的一周"</a>
                <a class="topbar-link" href="/school">"统计"</a>
                <a class="topbar-link" href="/dashboard">"检查"</a>
                <a class="topbar-link" href="/settings">"设置"</a>
            </nav>
        </header>
        <main class="page">
            {flash.map(|text| view! { <p class="status status-ok" role="status">{text}</p> })}
            <SaveStatusLine/>
            <crate::components::sync_status::SyncStatus/>
            <crate::components::storage_warning::StorageWarning/>
            <RosterList/>
            <crate::components::other_children::OtherChildren/>
            <NotAttending/>
        </main>
        <nav class="bottom-bar">
            <a class="secondary" href="/import">"导入名册"</a>
            <a class="primary wide" href="/child/new">"＋ 添加儿童"</a>
        </nav>
    }
}

#[component]
fn RosterList() -> impl IntoView {
    let store = expect_context::<Store>();
    let filter = RwSignal::new(Filter::default());
    let standing = RwSignal::new(Standing::Attending);
    // Pinyin keys are built once per roster change, not per keystroke.
    let keyed = Memo::new(move |_| {
        let key = |e: &RosterEntry| (e.clone(), NameKey::new(&e.basic.name));
        match standing.get() {
            Standing::Attending => store.roster.with(|all| all.iter().map(key).collect()),
            Standing::Is(status) => store.paused.with(|all| {
                all.iter()
                    .filter(|(_, now)| *now == status)
                    .map(|(e, _)| key(e))
                    .collect()
            }),
            Standing::Left => store
                .departed
                .with(|all| all.iter().map(|(e, _)| key(e)).collect::<Vec<_>>()),
        }
    });
    let shown = Memo::new(move |_| {
        let started = crate::js::now_ms();
        let found: Vec<RosterEntry> = filter.with(|f| {
            keyed.with(|all| {
                all.iter()
                    .filter(|(e, k)| f.keep(e, k))
                    .map(|(e, _)| e.clone())
                    .collect()
            })
        });
        crate::js::record_measure("shouwang:search", started, crate::js::now_ms());
        found
    });
    let unreadable = move || store.unreadable_lines.get();
    let total = move || keyed.with(Vec::len);
    let none_at_all = move || {
        store.roster.with(Vec::is_empty)
            && store.paused.with(Vec::is_empty)
            && store.departed.with(Vec::is_empty)
    };
    view! {
        <Show when=move || { unreadable() > 0 }>
            <p class="status status-error" role="alert">
                {move || format!("名册中有 {} 条记录无法读取（可能来自更新版本的应用）。", unreadable())}
            </p>
        </Show>
        {move || if none_at_all() && store.others.with(|o| !o.is_empty()) {
            view! { <p class="empty">"本机还没有你负责的儿童档案。关爱负责人安排后，档案会在同步时到达；下方列出本校其他儿童的姓名和班级。"</p> }.into_any()
        } else if none_at_all() {
            view! { <p class="empty">"还没有儿童档案。点下方“添加儿童”开始建档。"</p> }.into_any()
        } else {
            view! {
                <FilterBar filter standing/>
                <p class="count" role="status">{move || {
                    let (found, all) = (shown.with(Vec::len), total());
                    let which = standing.get().label();
                    if found == all { format!("{which}共 {all} 名儿童") } else { format!("找到 {found} 名（{which}共 {all} 名）") }
                }}</p>
                {move || groups(shown.get())}
            }.into_any()
        }}
    }
}

/// Which of the school's children the list shows: those attending (what is due is about them),
/// those on the books who do not attend (休学, 疑似辍学), or those who left (kept for history,
/// the bureau's checks and the lead's erasure once the retention period is over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Attending,
    Is(Status),
    Left,
}

impl Standing {
    const ALL: [Standing; 4] = [
        Standing::Attending,
        Standing::Is(Status::SuspectedDropout),
        Standing::Is(Status::Suspended),
        Standing::Left,
    ];

    fn code(self) -> &'static str {
        match self {
            Standing::Attending => "",
            Standing::Is(status) => status.code(),
            Standing::Left => "left",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Standing::Attending => "在校",
            Standing::Is(status) => status.label(),
            Standing::Left => "已离校（转出、毕业、辍学）",
        }
    }
}

/// How many of the school's children are not attending: said under the list so a lead sees them.
#[component]
fn NotAttending() -> impl IntoView {
    let store = expect_context::<Store>();
    move || {
        let paused = store.paused.with(Vec::len);
        let left = store.departed.with(Vec::len);
        (paused + left > 0).then(|| {
            view! {
                <p class="note">{format!(
                    "另有未在校儿童 {paused} 名（休学、疑似辍学）、已离校儿童 {left} 名，可在“筛选 → 学籍状态”中查看。"
                )}</p>
            }
        })
    }
}

#[component]
fn FilterBar(filter: RwSignal<Filter>, standing: RwSignal<Standing>) -> impl IntoView {
    let set = move |f: fn(&mut Filter, String)| {
        move |ev| filter.update(|flt| f(flt, event_target_value(&ev)))
    };
    let toggle = move |f: fn(&mut Filter, bool)| {
        move |ev| filter.update(|flt| f(flt, event_target_checked(&ev)))
    };
    let categories = Category::ALL
        .iter()
        .map(|c| view! { <option value=c.code()>{c.label_zh()}</option> })
        .collect_view();
    let grades = GRADES
        .map(|g| view! { <option value=g.to_string()>{grade_label_zh(g)}</option> })
        .collect_view();
    view! {
        <div class="filters">
            <div class="field">
                <label for="search">"查找儿童（姓名、拼音或首字母）"</label>
                <input id="search" type="search" autocomplete="off" placeholder="如：小明、zxm"
                    prop:value=move || filter.with(|f| f.query.clone())
                    on:input=set(|f, v| f.query = v)/>
            </div>
            <details class="more-filters">
                <summary>"筛选"</summary>
                <div class="field">
                    <label for="filter-status">"学籍状态"</label>
                    <select id="filter-status" on:change=move |ev| {
                        let code = event_target_value(&ev);
                        standing.set(Standing::ALL.into_iter().find(|s| s.code() == code).unwrap_or(Standing::Attending));
                    }>
                        {Standing::ALL.map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-category">"类别"</label>
                    <select id="filter-category" on:change=set(|f, v| f.category = Category::from_code(&v))>
                        <option value="">"全部"</option>{categories}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-grade">"年级"</label>
                    <select id="filter-grade" on:change=set(|f, v| f.grade = v.parse().ok())>
                        <option value="">"全部"</option>{grades}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-village">"村/组"</label>
                    <input id="filter-village" type="text" on:input=set(|f, v| f.village = v)/>
                </div>
                <label class="check"><input type="checkbox" on:change=toggle(|f, on| f.no_guardian = on)/>"无有效监护"</label>
                <label class="check"><input type="checkbox" on:change=toggle(|f, on| f.incomplete = on)/>"五个清楚未完成"</label>
                <label class="check"><input type="checkbox" on:change=toggle(|f, on| f.boarding = on)/>"寄宿"</label>
            </details>
        </div>
    }
}

fn groups(entries: Vec<RosterEntry>) -> impl IntoView {
    group_by_class(entries)
        .into_iter()
        .map(|(label, children)| {
            view! {
                <section class="group">
                    <h2>{format!("{label}（{} 人）", children.len())}</h2>
                    <ul class="children">{children.into_iter().map(child_row).collect_view()}</ul>
                </section>
            }
        })
        .collect_view()
}

fn child_row(entry: RosterEntry) -> impl IntoView {
    let flags = entry.flags;
    let basic = entry.basic;
    let detail = [
        basic.gender.label_zh().to_string(),
        basic.birth_date.format("%Y-%m-%d").to_string(),
        basic.village,
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li>
            <a class="child-row" href=format!("/child/{}", entry.id)>
                <span class="child-name">{basic.name}</span>
                <span class="child-detail">{detail}</span>
                <span class="child-flags">
                    {flags.category.map(|c| view! { <span class="badge">{c.label_zh()}</span> })}
                    {flags.no_guardian.then(|| view! { <span class="badge badge-alert">"无有效监护"</span> })}
                    {(flags.clear_gaps > 0).then(|| view! {
                        <span class="badge badge-muted">{format!("五个清楚 {}/5", 5 - flags.clear_gaps.min(5))}</span>
                    })}
                </span>
            </a>
        </li>
    }
}

/// Children in list order, split where the class changes (the roster is sorted by class).
fn group_by_class(entries: Vec<RosterEntry>) -> Vec<(String, Vec<RosterEntry>)> {
    let mut groups: Vec<(String, Vec<RosterEntry>)> = Vec::new();
    for entry in entries {
        let label = entry.basic.class_label_zh();
        match groups.last_mut() {
            Some((last, children)) if *last == label => children.push(entry),
            _ => groups.push((label, vec![entry])),
        }
    }
    groups
}
