//! 打印档案袋 for many children at once: a class's inspection binders, or every focus child's
//! (重点帮扶对象), as one print job — a cover (school, class, term, date, how many children), a
//! contents list, then each child's binder (`print_binder::child_binder`, the same as one child's)
//! starting on a new page. Without a choice in the address it lists the classes and the focus
//! children to choose from. Every child of the list is printed: one whose archive this phone
//! cannot open gets a page saying so, so the binder never silently misses a child.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shouwang_core::cadence::Term;
use shouwang_core::plans::Plan;
use shouwang_core::summary::{Period, Span};
use shouwang_core::{DocId, RosterEntry};

use crate::pages::contact_card::print;
use crate::pages::print_binder::{binder_plan, binder_term, child_binder, term_counts};
use crate::pages::session_new::{classes, parse_class};
use crate::store::records::RecordsView;
use crate::store::{ArchiveView, ChildView, Store};

/// Whose binders: a class (grade, class), or the focus children.
#[derive(Clone, Copy, PartialEq)]
enum Batch {
    Class((u32, u32)),
    Focus,
}

/// One child's binder once read, or why it cannot be printed.
type Read = (
    RosterEntry,
    Result<(ArchiveView, RecordsView, Option<Plan>), String>,
);

#[component]
pub fn BindersPage() -> impl IntoView {
    let query = use_query_map();
    let batch = Memo::new(move |_| {
        query.with(|q| {
            if q.get("focus").is_some() {
                Some(Batch::Focus)
            } else {
                q.get("class")
                    .and_then(|c| parse_class(&c))
                    .map(Batch::Class)
            }
        })
    });
    view! {
        <header class="topbar no-print">
            {move || if batch.get().is_some() {
                view! { <a class="back" href="/binders" aria-label="返回选择班级">"‹ 选择"</a> }
            } else {
                view! { <a class="back" href="/dashboard" aria-label="返回关爱检查">"‹ 检查"</a> }
            }}
            <h1>"打印档案袋"</h1>
        </header>
        <main class="page">
            {move || match batch.get() {
                None => chooser().into_any(),
                // Untracked: a roster change (a sync) must not start reading 40 archives again.
                Some(b) => untrack(|| binders(b)).into_any(),
            }}
        </main>
    }
}

/// The children of the focus list who are on the books and still focus children today: one who
/// is 疑似辍学 or 休学 is still helped, and their binder printed with the others.
fn focus_children(store: Store) -> Vec<RosterEntry> {
    let today = chrono::Local::now().date_naive();
    let marked = store.focus();
    store
        .on_books()
        .into_iter()
        .filter(|e| marked.get(&e.id).is_some_and(|f| f.active_on(today)))
        .collect()
}

/// A class's children on the books, one out of school (休学, 疑似辍学) among them: the inspector
/// looks for that child's binder first.
fn binder_class(store: Store, key: (u32, u32)) -> Vec<RosterEntry> {
    store
        .on_books()
        .into_iter()
        .filter(|e| (e.basic.grade, e.basic.class) == key)
        .collect()
}

fn chooser() -> impl IntoView {
    let store = expect_context::<Store>();
    let focus = focus_children(store).len();
    let rows = classes(store)
        .into_iter()
        .map(|(key, label)| {
            let n = binder_class(store, key).len();
            view! {
                <li><a href=format!("/binders?class={}-{}", key.0, key.1)>{format!("{label}（{n} 人）")}</a></li>
            }
        })
        .collect_view();
    view! {
        <p class="detail">"一次打印多名儿童的检查档案袋：封面、目录，然后每名儿童的档案、本学期家访记录表和谈心记录卡，每名儿童从新的一页开始。"</p>
        <h2>"按班级"</h2>
        <ul class="plain-list" id="binder-classes">{rows}</ul>
        <h2>"重点帮扶对象"</h2>
        // A link to print nobody would open an empty print.
        {if focus == 0 {
            view! { <p class="empty">"还没有确定重点帮扶对象（在“关爱检查 → 重点帮扶对象”中确定）。"</p> }.into_any()
        } else {
            view! {
                <ul class="plain-list">
                    <li><a href="/binders?focus=1">{format!("全部重点帮扶对象（{focus} 人）")}</a></li>
                </ul>
            }.into_any()
        }}
    }
}

fn binders(batch: Batch) -> impl IntoView {
    let store = expect_context::<Store>();
    let children = match batch {
        Batch::Class(key) => binder_class(store, key),
        Batch::Focus => focus_children(store),
    };
    let term = binder_term(store);
    let total = children.len();
    let progress = RwSignal::new(0usize);
    let read: RwSignal<Option<Vec<Read>>, LocalStorage> = RwSignal::new_local(None);
    // One child after another: reading is bound by Automerge on the one thread.
    leptos::task::spawn_local(async move {
        let mut found = Vec::with_capacity(children.len());
        for (n, entry) in children.into_iter().enumerate() {
            progress.set(n);
            let binder = read_child(store, entry.id).await;
            found.push((entry, binder));
        }
        read.set(Some(found));
    });
    move || {
        match read.get() {
        None => view! {
            <p class="loading" role="status">{move || format!("正在读取档案…（{} / {total} 名儿童）", progress.get())}</p>
        }
        .into_any(),
        Some(found) => printed(batch, &found, term).into_any(),
    }
    }
}

async fn read_child(
    store: Store,
    child: DocId,
) -> Result<(ArchiveView, RecordsView, Option<Plan>), String> {
    let archive = match store.open_child(child).await.map_err(|e| e.to_string())? {
        ChildView::Ready(view) => *view,
        ChildView::Damaged(_) => return Err("这份档案已损坏，无法打印。".into()),
        ChildView::Unreadable(message) => return Err(message),
        ChildView::Missing => {
            return Err("本机没有这份档案（未同步，或不是本机负责的儿童）。".into())
        }
    };
    let records = store.records(child).await.map_err(|e| e.to_string())?;
    let plan = binder_plan(store, child).await;
    Ok((archive, records, plan))
}

fn printed(batch: Batch, found: &[Read], term: Option<Term>) -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    // A phone not enrolled with a school does not know its name: a line to write it in.
    let school = crate::prefs::enrolment()
        .map(|e| e.me.school.name)
        .unwrap_or_else(|| "____________".into());
    let group = match batch {
        Batch::Class(_) => found
            .first()
            .map(|(e, _)| e.basic.class_label_zh())
            .unwrap_or_default(),
        Batch::Focus => "重点帮扶对象".into(),
    };
    let term_name = Span::of(Period::Term, &store.settings().calendar_on(today), today)
        .map(|s| s.name_zh())
        .unwrap_or_else(|| "不在学期中".into());
    let facts = [
        ("学校", school),
        ("班级", group),
        ("学期", term_name),
        ("人数", format!("{} 名", found.len())),
        ("打印日期", today.format("%Y年%-m月%-d日").to_string()),
    ];
    let contents = found
        .iter()
        .enumerate()
        .map(|(i, (entry, binder))| {
            let (visits, talks) = match binder {
                Ok((_, records, _)) => {
                    let (v, t) = term_counts(records, term);
                    (v.to_string(), t.to_string())
                }
                Err(_) => ("—".into(), "—".into()),
            };
            view! {
                <tr>
                    <td>{i + 1}</td>
                    <td>{entry.basic.name.clone()}</td>
                    <td>{entry.basic.gender.label_zh()}</td>
                    <td>{entry.basic.class_label_zh()}</td>
                    <td>{visits}</td>
                    <td>{talks}</td>
                </tr>
            }
        })
        .collect_view();
    let pages = found
        .iter()
        .map(|(entry, binder)| {
            let inner = match binder {
                Ok((archive, records, plan)) => child_binder(entry.id, archive, records, plan.as_ref(), term, None).into_any(),
                Err(message) => view! {
                    <article class="print-sheet">
                        <h2 class="print-title">{entry.basic.name.clone()}</h2>
                        <p class="status status-error">{message.clone()}</p>
                    </article>
                }
                .into_any(),
            };
            view! { <section class="binder-child print-page" aria-label=entry.basic.name.clone()>{inner}</section> }
        })
        .collect_view();
    view! {
        <div class="actions no-print">
            <button type="button" class="primary" on:click=|_| print()>{format!("打印全部（{} 名）", found.len())}</button>
        </div>
        <article class="print-sheet binder-cover" id="binder-cover">
            <h2 class="print-title">"留守儿童关爱检查档案袋"</h2>
            <table class="print-table">
                <tbody>
                    {facts.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </article>
        <article class="print-sheet print-page" id="binder-contents">
            <h2 class="print-title">"目录"</h2>
            <div class="table-scroll" role="region" tabindex="0" aria-label="目录">
                <table class="print-table">
                    <thead>
                        <tr><th>"序号"</th><th>"姓名"</th><th>"性别"</th><th>"班级"</th><th>"本学期家访"</th><th>"本学期谈心"</th></tr>
                    </thead>
                    <tbody>{contents}</tbody>
                </table>
            </div>
        </article>
        {pages}
    }
}
