//! 工作总结 (学期/学年): the narrative draft with the school's figures written in
//! (`summary::draft`), edited by the care lead paragraph by paragraph, kept in the directory so it
//! survives a reload and reaches the other leads, printed on A4 and exported as a Word file. A
//! teacher reads it; only a lead edits.

use std::collections::BTreeMap;
use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shouwang_core::files::Job;
use shouwang_core::summary::{self, draft, numbered, Paragraph, Period, Span};

use crate::components::draft::{autosave, restored_notice};
use crate::components::school_data::{load_figures_for_editing, with_figures, Figures};
use crate::pages::contact_card::print;
use crate::store::Store;

#[component]
pub fn SummaryPage() -> impl IntoView {
    let query = use_query_map();
    let period = Memo::new(move |_| {
        query
            .with(|q| q.get("period"))
            .and_then(|code| Period::from_code(&code))
            .unwrap_or(Period::Term)
    });
    let loaded = load_figures_for_editing();
    let tab = move |p: Period, label: &'static str| {
        view! {
            <a href=format!("/school/summary?period={}", p.code())
                aria-current=move || (period.get() == p).then_some("page")>{label}</a>
        }
    };
    view! {
        <header class="topbar">
            <a class="back" href="/dashboard" aria-label="返回关爱检查">"‹ 检查"</a>
            <h1>"工作总结"</h1>
        </header>
        <main class="page">
            <nav class="child-links no-print" aria-label="总结范围">
                {tab(Period::Term, "学期总结")}
                {tab(Period::Year, "学年总结")}
            </nav>
            {with_figures(loaded, move |f| summary_view(f, period.get()))}
        </main>
    }
}

/// One paragraph on the page: its draft and the text shown (the lead's edit, or the draft).
#[derive(Clone)]
struct Part {
    drafted: Paragraph,
    text: RwSignal<String>,
}

fn summary_view(f: Rc<Figures>, period: Period) -> AnyView {
    let store = expect_context::<Store>();
    let calendar = f.snapshot.settings.calendar_on(f.today);
    let Some(span) = Span::of(period, &calendar, f.today) else {
        return view! { <p class="status">"学校日历里还没有开始的学期，暂时没有可总结的内容。"</p> }
            .into_any();
    };
    let figures = summary::gather(
        &f.snapshot.data(),
        &f.snapshot.control_data(),
        &f.snapshot.results,
        span.clone(),
        f.today,
    );
    let key = span.key();
    let stored = store.summary_edits(&key);
    let parts: Vec<Part> = draft(&figures)
        .into_iter()
        .map(|drafted| Part {
            text: RwSignal::new(
                stored
                    .get(drafted.key.as_ref())
                    .cloned()
                    .unwrap_or_else(|| drafted.text.clone()),
            ),
            drafted,
        })
        .collect();
    let title = span.title_zh();
    // Untracked: a save writes the directory, and a tracked read here would redraw the page
    // (dropping the 已保存 line) on every directory write.
    let lead = untrack(|| store.me_is_lead());
    let school = crate::prefs::school_name().unwrap_or_default();
    let dated = f.today.format("%Y年%-m月%-d日").to_string();
    let note = format!(
        "以下数字取自本机汇总的记录（截至{dated}）。{}",
        if lead {
            "可直接修改每一段，保存后其他负责人的手机同步后也能看到；删空的一段不打印。"
        } else {
            "由关爱负责人修改定稿。"
        }
    );
    let restored = RwSignal::new(false);
    if lead {
        keep_typing(&key, &parts, restored);
    }
    view! {
        <article class="print-sheet summary">
            <h2 class="print-title" id="summary-title">{title.clone()}</h2>
            <p class="no-print detail">{note}</p>
            {restored_notice(restored, None)}
            {lead.then(|| editor(parts.clone()))}
            <div class=if lead { "summary-text print-only" } else { "summary-text" } id="summary-text">
                {printed(parts.clone())}
                <p class="sign">{school}<br/>{dated}</p>
            </div>
            {actions(store, lead, key, stored, parts, title, f.today)}
        </article>
    }
    .into_any()
}

/// The paragraphs the lead changed from the draft, by key.
fn edited(parts: &[Part]) -> BTreeMap<String, String> {
    parts
        .iter()
        .filter_map(|p| {
            let text = p.text.get();
            (text != p.drafted.text).then(|| (p.drafted.key.to_string(), text))
        })
        .collect()
}

/// What the lead types is kept on the phone as a draft (as a record's form keeps it), so leaving
/// the page or the phone dying before 保存修改 loses nothing; a draft left behind comes back into
/// its paragraphs. Only the changed paragraphs are kept: the others follow the figures.
fn keep_typing(span: &str, parts: &[Part], restored: RwSignal<bool>) {
    let typed = RwSignal::new(untrack(|| edited(parts)));
    autosave(format!("summary:{span}"), typed, restored);
    let watched = parts.to_vec();
    Effect::new(move |_| {
        let now = edited(&watched);
        if typed.with_untracked(|t| *t != now) {
            typed.set(now);
        }
    });
    let filled = parts.to_vec();
    Effect::new(move |_| {
        if restored.get() {
            let draft = typed.get_untracked();
            for part in &filled {
                if let Some(text) = draft.get(part.drafted.key.as_ref()) {
                    part.text.set(text.clone());
                }
            }
        }
    });
}

/// The paragraphs as they print: emptied ones left out, headings numbered over the rest.
fn printed(parts: Vec<Part>) -> impl IntoView {
    move || {
        let current: Vec<Paragraph> = parts.iter().map(current).collect();
        numbered(&current)
            .into_iter()
            .map(|(heading, text)| {
                let heading = (!heading.is_empty()).then(|| view! { <h3>{heading}</h3> });
                let lines = text
                    .split('\n')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| view! { <p class="indent">{l.to_string()}</p> })
                    .collect_view();
                view! { {heading}{lines} }
            })
            .collect_view()
    }
}

fn current(part: &Part) -> Paragraph {
    Paragraph {
        text: part.text.get(),
        ..part.drafted.clone()
    }
}

/// A textarea per paragraph, with the way back to the draft's text and figures.
fn editor(parts: Vec<Part>) -> impl IntoView {
    parts
        .into_iter()
        .map(|part| {
            let id = format!("summary-{}", part.drafted.key);
            let label = if part.drafted.heading.is_empty() {
                "开头".to_string()
            } else {
                part.drafted.heading.to_string()
            };
            let drafted = part.drafted.text.clone();
            let text = part.text;
            let changed = {
                let drafted = drafted.clone();
                move || text.with(|t| *t != drafted)
            };
            // Room for the whole paragraph on a phone, about 14 characters a line.
            let rows = move || text.with(|t| t.chars().count() / 14 + 2).to_string();
            view! {
                <section class="summary-part no-print">
                    <label for=id.clone()>{label}</label>
                    <textarea id=id rows=rows prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    {move || changed().then(|| {
                        let drafted = drafted.clone();
                        view! {
                            <button type="button" class="secondary"
                                on:click=move |_| text.set(drafted.clone())>"恢复为自动草稿（最新数字）"</button>
                        }
                    })}
                </section>
            }
        })
        .collect_view()
}

fn actions(
    store: Store,
    lead: bool,
    key: String,
    stored: BTreeMap<String, String>,
    parts: Vec<Part>,
    title: String,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let status = RwSignal::new(None::<Result<&'static str, String>>);
    let status_line = move || {
        status.get().map(|s| match s {
            Ok(m) => view! { <p class="status" role="status">{m}</p> }.into_any(),
            Err(m) => view! { <p class="status status-error" role="alert">{m}</p> }.into_any(),
        })
    };
    let for_save = parts.clone();
    let save = move |_| {
        // A paragraph left as drafted is not stored: it keeps following the figures.
        let edits: BTreeMap<String, String> = for_save
            .iter()
            .map(|p| {
                (
                    p.drafted.key.as_ref(),
                    p.text.get_untracked(),
                    &p.drafted.text,
                )
            })
            .filter(|(k, text, drafted)| *text != **drafted || stored.contains_key(*k))
            .map(|(k, text, _)| (k.to_string(), text))
            .collect();
        let key = key.clone();
        status.set(None);
        leptos::task::spawn_local(async move {
            let saved = store.save_summary(key, edits).await;
            status.set(Some(saved.map(|_| "已保存").map_err(|e| e.to_string())));
        });
    };
    let export = move |_| {
        let job = Job::SummaryDocx {
            title: title.clone(),
            paragraphs: parts.iter().map(current).collect(),
            school: crate::prefs::school_name().unwrap_or_default(),
            today,
        };
        let name = crate::prefs::school_file_name(&format!("{title}.docx"));
        leptos::task::spawn_local(async move {
            if let Err(message) = crate::files::download(&job, &name).await {
                status.set(Some(Err(message)));
            }
        });
    };
    view! {
        // Saving stays at hand while the lead scrolls through the paragraphs; printing and the
        // Word file come at the end, once the text has been read through.
        <div class="summary-tools no-print">
            <button type="button" class="secondary" on:click=|_| print()>"打印"</button>
            <button type="button" class="secondary" on:click=export>"导出 Word"</button>
        </div>
        {if lead {
            view! {
                <div class="actions no-print">
                    <button type="button" class="primary" on:click=save>"保存修改"</button>
                    {status_line}
                </div>
            }
            .into_any()
        } else {
            status_line.into_any()
        }}
    }
}
