//! 新建活动/会议: a group session — its type, date, place, organiser, content and purpose — and who
//! took part, ticked from a class list (学生参加, 家长参加). The draft is autosaved, so printing the
//! sign-in sheet first or a dead phone loses nothing; a refused save keeps it and says why at
//! each field. The fields are the correction screen's too (`session_edit`).

use leptos::prelude::*;
use shouwang_core::archive::Kind;
use shouwang_core::sessions::{self, Attended, SafetyTopic, SessionDraft, SessionKind, Ticks};
use shouwang_core::{DocId, RosterEntry};

use crate::components::draft::{autosave, restored_notice};
use crate::components::input_error::{dom_id, error_line, Errors};
use crate::components::spec_field::labelled_input;
use crate::components::submit::Submit;
use crate::components::unsigned_notice::unsigned_notice;
use crate::store::Store;

const DRAFT: &str = "session:new";

/// A class as `(grade, class)`, the way the roster lines hold it.
pub type ClassKey = (u32, u32);

/// The classes of the children on this phone, in order.
pub fn classes(store: Store) -> Vec<(ClassKey, String)> {
    let mut found: Vec<(ClassKey, String)> = store.roster.with(|r| {
        r.iter()
            .map(|e| ((e.basic.grade, e.basic.class), e.basic.class_label_zh()))
            .collect()
    });
    shouwang_core::sort::sort(&mut found);
    found.dedup();
    found
}

/// The children of one class, in roster order.
pub fn class_children(store: Store, key: ClassKey) -> Vec<RosterEntry> {
    store.roster.with(|r| {
        r.iter()
            .filter(|e| (e.basic.grade, e.basic.class) == key)
            .cloned()
            .collect()
    })
}

fn class_code((grade, class): ClassKey) -> String {
    format!("{grade}-{class}")
}

pub fn parse_class(code: &str) -> Option<ClassKey> {
    let (g, c) = code.split_once('-')?;
    Some((g.parse().ok()?, c.parse().ok()?))
}

#[component]
pub fn NewSessionPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let submit = Submit::new();
    let today = chrono::Local::now().date_naive();
    let draft = RwSignal::new(SessionDraft {
        date: today.format("%Y-%m-%d").to_string(),
        organiser: crate::prefs::me(),
        ..SessionDraft::default()
    });
    let restored = RwSignal::new(false);
    let discard = autosave(DRAFT.to_string(), draft, restored);
    let errors: Errors = RwSignal::new(Vec::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let checked = sessions::validate(&draft.get_untracked(), today);
        let done = checked
            .as_ref()
            .map(|(s, a)| format!("已保存：{}，{} 名学生/家庭参加", s.kind.label_zh(), a.len()))
            .unwrap_or_default();
        submit.run(
            checked,
            errors,
            move |(session, attendance)| async move {
                store
                    .save_session(session, attendance, DRAFT)
                    .await
                    .map(|_| ())
            },
            done,
            "/sessions".to_string(),
        );
    };
    view! {
        <header class="topbar">
            <a class="back" href="/sessions" aria-label="返回集体活动">"‹ 集体活动"</a>
            <h1>"新建活动/会议"</h1>
        </header>
        <main class="page">
            {restored_notice(restored, Some(discard))}
            {unsigned_notice()}
            <form on:submit=on_submit novalidate>
                {session_fields(draft, errors)}
                {submit.footer("保存")}
            </form>
        </main>
    }
}

/// The form's fields, a new session's or one being corrected: 类型, 日期, 地点, 组织者, 内容, 目的 and
/// who took part.
pub fn session_fields(draft: RwSignal<SessionDraft>, errors: Errors) -> impl IntoView {
    let text = |label: &str,
                field: &'static str,
                kind: Kind,
                get: fn(&SessionDraft) -> &String,
                set: fn(&mut SessionDraft) -> &mut String| {
        labelled_input(
            label.to_string(),
            field.to_string(),
            kind,
            Signal::derive(move || draft.with(|d| get(d).clone())),
            move |v| draft.update(|d| *set(d) = v),
            errors,
        )
    };
    view! {
        <KindFields draft errors/>
        {text("日期", "date", Kind::Date, |d| &d.date, |d| &mut d.date)}
        {text("地点", "place", Kind::Text, |d| &d.place, |d| &mut d.place)}
        {text("组织者", "organiser", Kind::Text, |d| &d.organiser, |d| &mut d.organiser)}
        {text("内容", "content", Kind::Prose, |d| &d.content, |d| &mut d.content)}
        {text("目的", "purpose", Kind::Prose, |d| &d.purpose, |d| &mut d.purpose)}
        <Attendance draft errors/>
    }
}

/// 类型, and for 安全教育 its topic.
#[component]
fn KindFields(draft: RwSignal<SessionDraft>, errors: Errors) -> impl IntoView {
    let kind_id = dom_id("kind");
    let topic_id = dom_id("topic");
    view! {
        <div class="field">
            <label for=kind_id.clone()>"类型"</label>
            <select id=kind_id aria-describedby="f-kind-error"
                prop:value=move || draft.with(|d| d.kind.clone())
                on:change=move |ev| draft.update(|d| d.kind = event_target_value(&ev))>
                <option value="">"请选择"</option>
                <optgroup label="活动">
                    {SessionKind::ALL.into_iter().filter(|k| !k.is_meeting()).map(|k| view! {
                        <option value=k.code()>{k.label_zh()}</option>
                    }).collect_view()}
                </optgroup>
                <optgroup label="会议">
                    {SessionKind::ALL.into_iter().filter(|k| k.is_meeting()).map(|k| view! {
                        <option value=k.code()>{k.label_zh()}</option>
                    }).collect_view()}
                </optgroup>
            </select>
            {error_line(errors, "kind".to_string())}
        </div>
        <Show when=move || draft.with(|d| d.kind == SessionKind::Safety.code())>
            <div class="field">
                <label for=topic_id.clone()>"安全教育主题"</label>
                <select id=topic_id.clone() aria-describedby="f-topic-error"
                    prop:value=move || draft.with(|d| d.topic.clone())
                    on:change=move |ev| draft.update(|d| d.topic = event_target_value(&ev))>
                    <option value="">"请选择"</option>
                    {SafetyTopic::ALL.into_iter().map(|t| view! {
                        <option value=t.code()>{t.label_zh()}</option>
                    }).collect_view()}
                </select>
                {error_line(errors, "topic".to_string())}
            </div>
        </Show>
    }
}

/// The class picker and, for the chosen class, a row per child with 学生参加 and 家长参加.
/// Ticks are kept across classes, so a session of several classes is ticked class by class.
#[component]
fn Attendance(draft: RwSignal<SessionDraft>, errors: Errors) -> impl IntoView {
    let store = expect_context::<Store>();
    let all_classes = Memo::new(move |_| classes(store));
    let class = RwSignal::new(String::new());
    Effect::new(move |_| {
        if class.with_untracked(String::is_empty) {
            if let Some((key, _)) = all_classes.with(|c| c.first().cloned()) {
                class.set(class_code(key));
            }
        }
    });
    let children = Memo::new(move |_| {
        parse_class(&class.get())
            .map(|key| class_children(store, key))
            .unwrap_or_default()
    });
    let tick_all = move |child: bool| {
        let ids: Vec<_> = children.with(|c| c.iter().map(|e| e.id).collect());
        draft.update(|d| {
            for id in ids {
                tick(d.ticks.entry(id).or_default(), child, true);
            }
        });
    };
    let counts = move || {
        draft.with(|d| {
            let attended: Vec<Attended> = d
                .ticks
                .values()
                .filter_map(|t| Attended::from_ticks(*t))
                .collect();
            let children = attended.iter().filter(|a| a.child_came()).count();
            let guardians = attended
                .iter()
                .filter(|a| matches!(a, Attended::Guardian | Attended::Both))
                .count();
            format!("已勾选：学生 {children} 人，家长 {guardians} 人")
        })
    };
    let sheet = move || {
        let kind = draft.with(|d| SessionKind::from_code(&d.kind));
        let code = class.get();
        (kind.is_some_and(SessionKind::is_meeting) && !code.is_empty()).then(|| {
            let href = draft.with(|d| sheet_href(d, &code));
            view! { <a class="secondary" href=href>"打印本班签到表"</a> }
        })
    };
    view! {
        <fieldset class="field session-attendance" aria-describedby="f-attendance-error">
            <legend>"参加人员"</legend>
            <div class="field">
                <label for="session-class">"班级"</label>
                <select id="session-class" prop:value=move || class.get()
                    on:change=move |ev| class.set(event_target_value(&ev))>
                    {move || all_classes.get().into_iter().map(|(key, label)| view! {
                        <option value=class_code(key)>{label}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="child-links">
                <button type="button" class="secondary" on:click=move |_| tick_all(true)>"学生全选"</button>
                <button type="button" class="secondary" on:click=move |_| tick_all(false)>"家长全选"</button>
            </div>
            <ul class="plain-list roll">
                {move || children.get().into_iter().map(|entry| tick_row(draft, entry)).collect_view()}
            </ul>
            <p class="count" role="status">{counts}</p>
            {error_line(errors, "attendance".to_string())}
            {sheet}
        </fieldset>
    }
}

fn tick_row(draft: RwSignal<SessionDraft>, entry: RosterEntry) -> impl IntoView {
    let name = entry.basic.name;
    view! {
        <li class="roll-row session-row">
            <span class="session-name">{name.clone()}</span>
            {tick_box(draft, entry.id, &name, true)}
            {tick_box(draft, entry.id, &name, false)}
        </li>
    }
}

/// One of a row's two boxes: 学生参加 (`child`) or 家长参加; its accessible name carries the
/// child's name, so each box is found by its label.
fn tick_box(draft: RwSignal<SessionDraft>, id: DocId, name: &str, child: bool) -> impl IntoView {
    let label = if child {
        "学生参加"
    } else {
        "家长参加"
    };
    let checked = move || {
        draft.with(|d| {
            d.ticks
                .get(&id)
                .is_some_and(|t| if child { t.child } else { t.guardian })
        })
    };
    let set = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        draft.update(|d| tick(d.ticks.entry(id).or_default(), child, on));
    };
    view! {
        <label class="check">
            <input type="checkbox" aria-label=format!("{name} {label}") prop:checked=checked on:change=set/>
            {label}
        </label>
    }
}

/// Ticks (or unticks) the child's or the guardian's box of a row.
fn tick(ticks: &mut Ticks, child: bool, on: bool) {
    if child {
        ticks.child = on;
    } else {
        ticks.guardian = on;
    }
}

/// The sign-in sheet's address, carrying the meeting as typed so far.
fn sheet_href(draft: &SessionDraft, class: &str) -> String {
    let title = draft.content.lines().next().unwrap_or_default();
    let pairs = [
        ("class", class),
        ("kind", draft.kind.as_str()),
        ("date", draft.date.as_str()),
        ("place", draft.place.as_str()),
        ("title", title),
    ];
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
        .collect();
    format!("/sessions/sheet?{}", query.join("&"))
}
