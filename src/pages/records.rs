//! The child's timeline (成长记录): every care record, newest first, filterable by kind, each
//! with its author; planned visits waiting to be carried out; buttons to add each kind; a
//! visit's follow-ups marked done here; the school's checks of each record (学校检查), made here by
//! a care lead.

use std::collections::HashSet;

use leptos::prelude::*;
use shouwang_core::archive::choice_label;
use shouwang_core::back_entry;
use shouwang_core::records::{Entry, RecordKind};
use shouwang_core::schema::records::{Promised, StoredVisit};
use shouwang_core::schema::sessions::StoredSession;
use shouwang_core::sign_off::{check_note, of_record, SignOff};
use shouwang_core::visit::{self, OBSERVATION_TOPICS};
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::components::notice::{Flash, FlashLine};
use crate::components::save_status::SaveStatusLine;
use crate::components::stored_record::split_notice;
use crate::components::tap_result::TapResult;
use crate::store::records::RecordsView;
use crate::store::{ArchiveView, Store};

#[component]
pub fn RecordsPage() -> impl IntoView {
    view! { <ChildShell render=records_view back_to_child=true/> }
}

fn records_view(id: DocId, _: &ArchiveView) -> AnyView {
    view! { <Timeline child=id/> }.into_any()
}

/// One line of the timeline.
#[derive(Clone)]
enum Item {
    Visit(StoredVisit),
    Entry(Entry),
}

impl Item {
    fn kind(&self) -> RecordKind {
        match self {
            Item::Visit(_) => RecordKind::Visit,
            Item::Entry(e) => e.kind,
        }
    }

    fn date(&self) -> chrono::NaiveDate {
        match self {
            Item::Visit(v) => v.visit.date,
            Item::Entry(e) => e.date,
        }
    }

    fn id(&self) -> &str {
        match self {
            Item::Visit(v) => &v.stamp.id,
            Item::Entry(e) => &e.id,
        }
    }

    /// The day it was typed, for a record entered late (补录).
    fn entered(&self) -> Option<chrono::NaiveDate> {
        match self {
            Item::Visit(v) => v.visit.entered,
            Item::Entry(e) => e.entered,
        }
    }
}

/// What the timeline keeps across its redraws (a tap here, or sync, draws it anew): which
/// records are open, and what the last follow-up tap stored, said in the visit tapped.
#[derive(Clone, Copy)]
struct Kept {
    /// Read as each record is drawn, never followed: not a signal.
    open: StoredValue<HashSet<String>>,
    tap: TapResult,
    /// The records only this phone holds (written or corrected since the school's server last
    /// confirmed them), marked 未上传 until it has.
    unsent: Memo<HashSet<String>>,
}

fn items(view: &RecordsView) -> Vec<Item> {
    let mut all: Vec<Item> = view
        .visits
        .iter()
        .cloned()
        .map(Item::Visit)
        .chain(view.entries.iter().cloned().map(Item::Entry))
        .collect();
    shouwang_core::sort::sort_by_key(&mut all, |item| std::cmp::Reverse(item.date()));
    all
}

#[component]
fn Timeline(child: DocId) -> impl IntoView {
    let store = expect_context::<Store>();
    let flash = expect_context::<Flash>().take();
    let loaded: RwSignal<Option<Result<RecordsView, String>>, LocalStorage> =
        RwSignal::new_local(None);
    // Read again whenever the child's records change: a save here, or another teacher's by sync.
    Effect::new(move |_| {
        store.track_records(child);
        leptos::task::spawn_local(async move {
            let result = store.records(child).await.map_err(|e| e.to_string());
            loaded.set(Some(result));
        });
    });
    // Forms left half-filled (a closed tab, a dead phone) are offered back here.
    let unfinished = RwSignal::new(Vec::<(String, String)>::new());
    leptos::task::spawn_local(async move {
        let mut found = Vec::new();
        if store
            .draft::<shouwang_core::visit::VisitDraft>(&crate::pages::visit::draft_key(child))
            .await
            .is_some()
        {
            found.push(("家访".to_string(), format!("/child/{child}/visit")));
        }
        for kind in RecordKind::ENTRIES {
            let key = crate::pages::entry::draft_key(kind, child);
            if store
                .draft::<shouwang_core::archive::Values>(&key)
                .await
                .is_some()
            {
                found.push((
                    kind.label_zh().to_string(),
                    format!("/child/{child}/add/{}", kind.code()),
                ));
            }
        }
        unfinished.set(found);
    });
    let filter = RwSignal::new(None::<RecordKind>);
    let kept = Kept {
        open: StoredValue::new(HashSet::new()),
        tap: TapResult::new(),
        // Read once the records are (their documents in memory), again when sync confirms.
        unsent: Memo::new(move |_| {
            loaded.track();
            store.unsent_records(child)
        }),
    };
    // Built for each drawing: with components erased (.cargo/config.toml) views are not Clone.
    let filter_chips = move || {
        std::iter::once(None)
        .chain(RecordKind::ALL.into_iter().map(Some))
        .map(|kind| {
            let label = kind.map(RecordKind::label_zh).unwrap_or("全部");
            view! {
                <button type="button" class="filter-chip" aria-pressed=move || (filter.get() == kind).to_string()
                    on:click=move |_| filter.set(kind)>{label}</button>
            }
        })
        .collect_view()
    };
    let add_links = RecordKind::ENTRIES
        .into_iter()
        .map(|kind| {
            view! { <a class="secondary" href=format!("/child/{child}/add/{}", kind.code())>{format!("＋ {}", kind.label_zh())}</a> }
        })
        .collect_view();
    view! {
        <FlashLine flashed=flash/>
        <SaveStatusLine/>
        {move || unfinished.get().into_iter().map(|(label, href)| view! {
            <p class="status" role="status"><a href=href>{format!("有未保存完的{label}，点此继续填写")}</a></p>
        }).collect_view()}
        <nav class="add-records" aria-label="添加记录">
            <a class="primary" href=format!("/child/{child}/visit")>"＋ 记录家访"</a>
            <a class="secondary" href=format!("/child/{child}/plan")>"计划家访"</a>
            {add_links}
        </nav>
        {kept.tap.line_at(PLANS_AT.into())}
        {move || loaded.with(|state| match state {
            None => view! { <p class="loading">"正在读取记录…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="status status-error" role="alert">{message.clone()}</p> }.into_any(),
            Some(Ok(records)) => {
                let all = items(records);
                let plans = agreed_visits(child, records, kept.tap);
                let sessions = attended_sessions(&records.sessions);
                let shown: Vec<Item> = match filter.get() {
                    Some(kind) => all.into_iter().filter(|i| i.kind() == kind).collect(),
                    None => all,
                };
                let count = shown.len();
                view! {
                    {plans}
                    {sessions}
                    <div class="filter-chips" role="group" aria-label="按类型筛选">{filter_chips()}</div>
                    <p class="count">{format!("共 {count} 条记录")}</p>
                    {(count == 0).then(|| view! { <p class="empty">"还没有记录。"</p> })}
                    <ol class="timeline">
                        {shown.into_iter().map(|item| {
                            let checks = checks_of(&records.sign_offs, &item);
                            item_view(child, item, checks, kept)
                        }).collect_view()}
                    </ol>
                }.into_any()
            }
        })}
    }
}

/// The visits the family was told to expect (`week::Agreed`, the rule 我的一周 lists them by):
/// planned ones and the next visit the last visit agreed, each to record or to call off.
fn agreed_visits(child: DocId, records: &RecordsView, tap: TapResult) -> impl IntoView {
    let agreed = records.care().plans;
    if agreed.is_empty() {
        return None;
    }
    let today = chrono::Local::now().date_naive();
    let store = expect_context::<Store>();
    let rows = agreed
        .into_iter()
        .map(|a| {
            let record = match &a.promised {
                Promised::Plan(id) => format!("/child/{child}/visit?plan={id}"),
                Promised::NextVisit(_) => format!("/child/{child}/visit"),
            };
            let (said, undone) = (a.cancelled_zh(None), a.restored_zh(None));
            let promised = a.promised.clone();
            let cancel = move |_| {
                let promised = promised.clone();
                tap.run_reversible(
                    Some(PLANS_AT.into()),
                    (said.clone(), undone.clone()),
                    move |off| store.set_cancelled(child, promised.clone(), off),
                );
            };
            view! {
                <li class="plan" class:overdue=a.date < today>
                    <span>{a.text_zh(today)}</span>
                    <span class="plan-actions">
                        <a class="secondary" href=record>"记录这次家访"</a>
                        <button type="button" on:click=cancel>"取消"</button>
                    </span>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section class="card" aria-labelledby="agreed-visits">
            <h2 id="agreed-visits">"计划中的家访"</h2>
            <ul class="plans">{rows}</ul>
        </section>
    })
}

/// Where a tap on 计划中的家访 is said (`TapResult::line_at`): above the timeline, not in the
/// section, which goes with the last visit called off while 撤销 is still wanted.
const PLANS_AT: &str = "plans";

/// The school's group sessions the child or its guardian took part in (a group 亲情 session is
/// also in the timeline as the child's 亲情联系).
fn attended_sessions(sessions: &[StoredSession]) -> impl IntoView {
    (!sessions.is_empty()).then(|| {
        let rows = sessions
            .iter()
            .map(|s| {
                let line = format!(
                    "{} · {} · {}（{}）",
                    s.session.date.format("%Y-%m-%d"),
                    s.session.kind_label_zh(),
                    s.session.title(),
                    s.attended.label_zh()
                );
                view! { <li>{line}</li> }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="attended-sessions">
                <h2 id="attended-sessions">"参加的集体活动"</h2>
                <ul class="plain-list">{rows}</ul>
            </section>
        }
    })
}

/// The school's checks of one record; None for a talk card, which the school does not check here
/// (its document is the talks', and a check kept beside the records would speak of it).
fn checks_of(all: &[SignOff], item: &Item) -> Option<Vec<SignOff>> {
    (!item.kind().sensitive()).then(|| of_record(all, item.id()).cloned().collect())
}

fn item_view(child: DocId, item: Item, checks: Option<Vec<SignOff>>, kept: Kept) -> impl IntoView {
    let kind = item.kind();
    let checked = checks.as_ref().is_some_and(|c| !c.is_empty());
    let id = item.id().to_string();
    let record = id.clone();
    let was_open = kept.open.with_value(|open| open.contains(&id));
    let (headline, author, details) = match item.clone() {
        Item::Visit(v) => (
            visit_headline(&v),
            v.stamp.author.clone(),
            visit_details(child, v, kept).into_any(),
        ),
        Item::Entry(e) => (
            e.headline(),
            e.author.clone(),
            entry_details(child, &e).into_any(),
        ),
    };
    let author = if author.is_empty() {
        "未署名".to_string()
    } else {
        author
    };
    let date = item.date().format("%Y-%m-%d").to_string();
    let dated = match item.entered() {
        Some(entered) => format!("{date} · {}", back_entry::mark_zh(entered)),
        None => date,
    };
    view! {
        <li class="record">
            <details prop:open=was_open on:toggle=move |ev| {
                let now = event_target::<web_sys::Element>(&ev).has_attribute("open");
                kept.open.update_value(|open| {
                    if now {
                        open.insert(id.clone());
                    } else {
                        open.remove(&id);
                    }
                });
            }>
                <summary>
                    <span class="record-date">{item.date().format("%m-%d").to_string()}</span>
                    <span class=format!("badge kind-{}", kind.code())>{kind.label_zh()}</span>
                    {item.entered().map(|_| view! { <span class="badge back-entry">"补录"</span> })}
                    {move || kept.unsent.with(|ids| ids.contains(&record)).then(|| view! {
                        <span class="badge badge-wait" title="已保存在本机，尚未上传到学校">"未上传"</span>
                    })}
                    {checked.then(|| view! { <span class="badge">"已检查"</span> })}
                    <span class="record-headline">{headline}</span>
                    <span class="record-author">{author}</span>
                </summary>
                <p class="detail">{dated}</p>
                {details}
                {checks.map(|checks| sign_offs(child, item.id().to_string(), checks, kept.tap))}
            </details>
        </li>
    }
}

/// 学校检查 under a record: every lead's check of it, and on a care lead's phone her own to make —
/// 已检查 with a 检查意见 if she has one — or to take back (撤销检查).
fn sign_offs(
    child: DocId,
    record: String,
    checks: Vec<SignOff>,
    tap: TapResult,
) -> Option<impl IntoView> {
    let store = expect_context::<Store>();
    // A teacher's phone shows the section only once the school has checked the record.
    if checks.is_empty() && !store.me_is_lead() {
        return None;
    }
    let me = crate::prefs::me_id();
    let mine = checks.iter().any(|c| c.by_id == me);
    let at = format!("check:{record}");
    let lines = checks
        .iter()
        .map(|c| view! { <p class="sign-off">{c.line_zh()}</p> })
        .collect_view();
    let form = store.me_is_lead().then(|| {
        let (record, at) = (record.clone(), at.clone());
        if mine {
            let take_back = move |_| {
                let write = store.sign_off(child, record.clone(), None);
                tap.run_at(at.clone(), "已撤销检查".into(), write);
            };
            return view! { <button type="button" class="secondary" on:click=take_back>"撤销检查"</button> }.into_any();
        }
        let note = RwSignal::new(String::new());
        let refused = RwSignal::new(None::<String>);
        let field = format!("check-note-{record}");
        let check = move |_| match check_note(&note.get_untracked()) {
            Err(why) => refused.set(Some(why)),
            Ok(kept) => {
                refused.set(None);
                let write = store.sign_off(child, record.clone(), Some(kept));
                tap.run_at(at.clone(), "已保存：已检查".into(), write);
            }
        };
        view! {
            <div class="field">
                <label for=field.clone()>"检查意见（可不填）"</label>
                <input id=field type="text" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))/>
                {move || refused.get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
            </div>
            <button type="button" class="secondary" on:click=check>"已检查"</button>
        }
        .into_any()
    });
    Some(view! {
        <section class="sign-offs" aria-label="学校检查">
            {lines}
            {form}
            {tap.line_at(at)}
        </section>
    })
}

fn visit_headline(v: &StoredVisit) -> String {
    if !v.visit.purpose.is_empty() {
        return v.visit.purpose.clone();
    }
    v.visit
        .observations
        .iter()
        .map(|(_, text)| text.as_str())
        .find(|t| !t.is_empty())
        .unwrap_or("家访")
        .chars()
        .take(40)
        .collect()
}

fn row(label: String, value: String) -> impl IntoView {
    view! { <div class="kv"><dt>{label}</dt><dd>{value}</dd></div> }
}

fn visit_details(child: DocId, v: StoredVisit, kept: Kept) -> impl IntoView {
    let store = expect_context::<Store>();
    let met = choice_label(&visit::WHO_MET.spec, &v.visit.met);
    let observations = OBSERVATION_TOPICS
        .iter()
        .filter_map(|(topic, label)| {
            let text = v
                .visit
                .observations
                .iter()
                .find(|(t, _)| t == topic)
                .map(|(_, text)| text.clone())?;
            (!text.is_empty()).then(|| row(label.to_string(), text))
        })
        .collect_view();
    let follow_ups = v
        .visit
        .follow_ups
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let done = v.done.get(i).copied().flatten();
            let visit_id = v.stamp.id.clone();
            let said = if done.is_some() {
                format!("已保存：“{}”改为未完成", f.action)
            } else {
                format!("已保存：“{}”已完成", f.action)
            };
            let toggle = move |_| {
                // Saved, the timeline redraws with the child's records.
                kept.tap.run_at(
                    visit_id.clone(),
                    said.clone(),
                    store.set_follow_up_done(child, visit_id.clone(), i, done.is_none()),
                );
            };
            let by = v.done_by.get(i).map(String::as_str).unwrap_or_default();
            let state = f.state_zh(done, by, chrono::Local::now().date_naive());
            view! {
                <li class:done=done.is_some()>
                    <span>{format!("{}（{state}）", f.action)}</span>
                    <button type="button" on:click=toggle>{if done.is_some() { "重新打开" } else { "标记完成" }}</button>
                </li>
            }
        })
        .collect_view();
    let has_follow_ups = !v.visit.follow_ups.is_empty();
    view! {
        <dl class="values">
            {row(visit::VISITORS.spec.label.into(), v.visit.visitors.clone())}
            {row(visit::WHO_MET.spec.label.into(), met)}
            // As the printed 家访记录表 has them: what the visit was for, and how the child is
            // looked after (the teacher who takes over a class reads them here).
            {(!v.visit.purpose.is_empty()).then(|| row(visit::PURPOSE.spec.label.into(), v.visit.purpose.clone()))}
            {v.visit.guardianship.map(|a| view! {
                {row("监护类型".into(), a.kind.label_zh().into())}
                {row("监护情况评估".into(), a.assessment.label_zh().into())}
            })}
            {observations}
            {(!v.visit.guidance.is_empty()).then(|| row("家庭教育指导".into(), v.visit.guidance.clone()))}
            {(!v.visit.requests.is_empty()).then(|| row("监护人的要求".into(), v.visit.requests.clone()))}
            {v.visit.harm.as_ref().map(|h| row("强制报告".into(), h.line_zh()))}
            {v.visit.next_visit.map(|d| row("下次家访".into(), d.format("%Y-%m-%d").to_string()))}
        </dl>
        {has_follow_ups.then(|| view! { <h3>"跟进事项"</h3><ul class="follow-up-list">{follow_ups}</ul> })}
        {kept.tap.line_at(v.stamp.id.clone())}
        {correction(&v.stamp.author, v.conflicts_zh(), format!("/child/{child}/visit?edit={}", v.stamp.id))}
    }
}

/// Below a record: what two phones corrected differently, and 更正 for who may correct it —
/// its author fixes a slip, a care lead may too, and anyone a record nobody signed.
fn correction(author: &str, split: Vec<String>, href: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let may_correct = author.is_empty() || author == crate::prefs::me() || store.me_is_lead();
    view! {
        {split_notice(&split, if may_correct { "点“更正”选定一个" } else { "请写这条记录的老师或关爱负责人选定一个" })}
        {may_correct.then(|| view! { <a class="secondary" href=href>"更正"</a> })}
    }
}

fn entry_details(child: DocId, e: &Entry) -> impl IntoView {
    let rows = e
        .kind
        .fields()
        .iter()
        .filter(|spec| spec.key != "date")
        .filter_map(|spec| {
            let value = e.values.get(spec.key).filter(|v| !v.is_empty())?;
            Some(row(spec.label.to_string(), choice_label(spec, value)))
        })
        .collect_view();
    let href = format!("/child/{child}/add/{}?edit={}", e.kind.code(), e.id);
    view! {
        <dl class="values">{rows}</dl>
        {correction(&e.author, e.conflicts_zh(), href)}
    }
}
