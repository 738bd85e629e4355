//! The frame of every screen about one child: reads the child's id from the address, opens the
//! archive, and shows loading, a damaged record (with its raw bytes exportable) or the screen.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use leptos_router::params::ParamsMap;
use shouwang_core::DocId;

use crate::components::section_card::ConflictKept;
use crate::components::tap_result::TapResult;
use crate::store::documents::Damaged;
use crate::store::{ArchiveView, ChildView, Store};

/// Draws the screen for a readable archive. It is drawn again whenever the archive's document
/// changes — a save on this phone or another teacher's brought by sync — once no form on it is
/// open (`hold_redraw`).
pub type Render = fn(DocId, &ArchiveView) -> AnyView;

/// Nothing yet, an error to show, or the opened child.
type Opened = Option<Result<(DocId, ChildView), String>>;

/// How many forms on the screen are open. While one is, a change is not drawn under the
/// teacher's thumb (the form and what was typed in it would be drawn anew); it is once the last
/// one closes.
#[derive(Clone, Copy)]
struct Held(RwSignal<usize>);

/// Keeps the child screen as it is while the calling form is on it: an in-place form until it
/// closes, a form's own screen for its whole life.
pub fn hold_redraw() {
    let Some(Held(held)) = use_context::<Held>() else {
        return;
    };
    held.update(|n| *n += 1);
    on_cleanup(move || {
        held.try_update(|n| *n = n.saturating_sub(1));
    });
}

#[component]
pub fn ChildShell(
    render: Render,
    #[prop(optional)] back_to_child: bool,
    #[prop(optional)] back_to_records: bool,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let params = use_params_map();
    let state: RwSignal<Opened, LocalStorage> = RwSignal::new_local(None);
    let held = RwSignal::new(0usize);
    provide_context(Held(held));
    // Kept here, above the drawings a kept value causes.
    provide_context(ConflictKept(TapResult::new()));
    // Counts what asks for a drawing: the address, then every change of the archive's document.
    let asked = RwSignal::new(0u32);
    Effect::new(move |_| {
        let raw = params.with(|p| p.get("id")).unwrap_or_default();
        if let Ok(id) = DocId::parse(&raw) {
            store.track_document(id);
        }
        asked.update(|n| *n += 1);
    });
    let drawn = StoredValue::new(0u32);
    // The address last drawn. A new one — another child, or another form of the same child
    // (`/add/talks` after `/add/parentContacts`, the same route) — is always drawn: an open form
    // holds back changes to its document, not the teacher's own move to another screen.
    let drawn_at = StoredValue::new(None::<ParamsMap>);
    Effect::new(move |_| {
        let wanted = asked.get();
        let holding = held.get() > 0;
        let here = params.get_untracked();
        let moved = drawn_at.with_value(|at| at.as_ref() != Some(&here));
        if !moved && (holding || drawn.get_value() == wanted) {
            return;
        }
        drawn.set_value(wanted);
        let raw = here.get("id").unwrap_or_default();
        drawn_at.set_value(Some(here));
        let Ok(id) = DocId::parse(&raw) else {
            state.set(Some(Err("这个链接里的档案编号无效。".into())));
            return;
        };
        leptos::task::spawn_local(async move {
            let opened = store.open_child(id).await.map(|view| (id, view));
            state.set(Some(opened.map_err(|e| e.to_string())));
        });
    });
    let title = move || {
        state
            .with(|s| match s {
                Some(Ok((_, ChildView::Ready(view)))) => Some(view.record.basic.name.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "儿童档案".into())
    };
    let back = move || match (back_to_child, back_to_records, params.with(|p| p.get("id"))) {
        (_, true, Some(id)) => (format!("/child/{id}/records"), "‹ 记录", "返回记录"),
        (true, _, Some(id)) => (format!("/child/{id}"), "‹ 档案", "返回档案"),
        _ => ("/".to_string(), "‹ 名册", "返回名册"),
    };
    view! {
        <header class="topbar">
            <a class="back" href=move || back().0 aria-label=move || back().2>{move || back().1}</a>
            <h1>{title}</h1>
        </header>
        <main class="page">
            {move || state.with(|s| match s {
                None => view! { <p class="loading">"正在打开档案…"</p> }.into_any(),
                Some(Err(message)) => error(message.clone()).into_any(),
                Some(Ok((id, view))) => match view {
                    ChildView::Ready(archive) => render(*id, archive),
                    ChildView::Damaged(damaged) => damaged_view(damaged.clone()).into_any(),
                    ChildView::Unreadable(message) => error(message.clone()).into_any(),
                    ChildView::Missing => missing(store, *id).into_any(),
                },
            })}
        </main>
    }
}

/// A child listed on the roster whose archive is not on this phone: either it has not arrived
/// yet, or the teacher does not work with the child (need to know: only the name and class are
/// shared with every teacher).
fn missing(store: Store, child: DocId) -> impl IntoView {
    let message = if store.may_read(child) {
        "本机还没有这份档案：连上学校 Wi‑Fi 同步后即可查看。"
    } else {
        "这名儿童的档案只给负责教师和关爱负责人查看。如需查看，请关爱负责人为你安排负责教师职责。"
    };
    let listed = store
        .others
        .with_untracked(|all| all.iter().find(|l| l.id == child).cloned());
    view! {
        {listed.map(|l| view! { <p class="listed-name">{format!("{} · {}", l.name, l.class_label_zh())}</p> })}
        <p class="status" role="status">{message}</p>
    }
}

fn error(message: String) -> impl IntoView {
    view! { <p class="status status-error" role="alert">{message}</p> }
}

fn damaged_view(damaged: Damaged) -> impl IntoView {
    let file_name = format!("shouwang-{}.automerge", damaged.id);
    let raw = damaged.raw.clone();
    view! {
        <section class="damaged" role="alert">
            <h2>"这份档案已损坏，无法打开"</h2>
            <p>"其他儿童的档案不受影响。请导出原始数据交给学校管理员，以便恢复。"</p>
            <p class="detail">{format!("原因：{}", damaged.reason)}</p>
            <button type="button" class="primary" on:click=move |_| crate::js::download_bytes(&file_name, &raw)>
                "导出原始数据"
            </button>
        </section>
    }
}
