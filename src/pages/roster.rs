//! The roster screen: every child on this device, grouped by class, and the way to add one.

use leptos::prelude::*;
use shouwang_core::child::{grade_label_zh, GRADES};
use shouwang_core::family::Category;
use shouwang_core::roster::{Filter, Keyed};
use shouwang_core::search::NameKey;
use shouwang_core::status::Status;
use shouwang_core::RosterEntry;

use crate::components::notice::{Flash, FlashLine};
use crate::components::save_status::SaveStatusLine;
use crate::store::Store;

mod window;

pub use window::DRAW_WHOLE;

use window::{Draw, Heights, Line, Row};

/// What the teacher typed into 查找儿童, for the school's other children below her own.
#[derive(Clone, Copy)]
pub struct Searching(pub RwSignal<String>);

#[component]
pub fn RosterPage() -> impl IntoView {
    let flash = expect_context::<Flash>().take();
    provide_context(Searching(RwSignal::new(String::new())));
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
            <FlashLine flashed=flash/>
            <SaveStatusLine/>
            <crate::components::sync_status::SyncStatus compact=true/>
            <crate::components::handed_over::HandedOver/>
            <crate::components::given::Given/>
            <crate::components::storage_warning::StorageWarning/>
            <RosterList/>
            <crate::components::other_children::OtherChildren/>
            <NotAttending/>
        </main>
        <nav class="bottom-bar">
            // Importing the school's list is the care lead's (a teacher's phone would register
            // the children it does not hold again: pages/import.rs).
            {expect_context::<crate::store::Store>().can_change_directory().then(|| view! {
                <a class="secondary" href="/import">"导入名册"</a>
            })}
            <a class="primary wide" href="/child/new">"＋ 添加儿童"</a>
        </nav>
    }
}

#[component]
fn RosterList() -> impl IntoView {
    let store = expect_context::<Store>();
    // Coming back from a child: the filter and the place the teacher left (else a fresh list).
    let memory = window::take();
    let filter = RwSignal::new(memory.filter.clone());
    let standing = RwSignal::new(
        Standing::ALL
            .get(memory.standing)
            .copied()
            .unwrap_or(Standing::Attending),
    );
    // Kept as the teacher touches or keys into the list, before the link's click: the router
    // handles the click first and this list is gone by the time the click reaches it.
    let keep_place = move || {
        window::keep(window::Memory {
            filter: filter.get_untracked(),
            standing: Standing::ALL
                .iter()
                .position(|s| *s == standing.get_untracked())
                .unwrap_or(0),
            scrolled: window().scroll_y().ok(),
        })
    };
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
                .with(|all| all.iter().map(|(e, _)| key(e)).collect::<Vec<Keyed>>()),
        }
    });
    if let Some(Searching(typed)) = use_context::<Searching>() {
        Effect::new(move |_| typed.set(filter.with(|f| f.query.clone())));
    }
    let lines = Memo::new(move |_| {
        let started = crate::js::now_ms();
        let lines = filter.with(|f| keyed.with(|all| lines_of(f, all)));
        crate::js::record_measure("shouwang:search", started, crate::js::now_ms());
        lines
    });
    let found = move || lines.with(|l| l.iter().filter(|l| matches!(l, Line::Child(_))).count());
    let unreadable = move || store.unreadable_lines.get();
    let total = move || keyed.with(Vec::len);
    // A short roster is drawn whole, but the first frame draws only the rows on screen: the
    // teacher sees the list sooner, and the rest follow just after it is painted.
    let settled = RwSignal::new(false);
    // Set false by a keystroke: its frame draws the rows on screen only, the margin follows.
    let calm = RwSignal::new(true);
    window::after_paint(move || {
        // The list may already be gone.
        let _ = settled.try_set(true);
    });
    let draw = Signal::derive(move || {
        if settled.get() && total() <= window::DRAW_WHOLE {
            Draw::Whole
        } else if calm.get() {
            Draw::WithMargin
        } else {
            Draw::ScreenOnly
        }
    });
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
                <FilterBar filter standing calm/>
                <p class="count" role="status">{move || {
                    let (found, all) = (found(), total());
                    let which = standing.get().label();
                    if found == all { format!("{which}共 {all} 名儿童") } else { format!("找到 {found} 名（{which}共 {all} 名）") }
                }}</p>
                <div on:pointerdown=move |_| keep_place() on:keydown=move |_| keep_place()><WindowedList lines keyed draw scrolled=memory.scrolled/></div>
            }.into_any()
        }}
    }
}

/// The list's lines: grouped under class headings, or, while searching, best matches first.
/// Children are positions in `all`, so a keystroke copies no child.
fn lines_of(filter: &Filter, all: &[Keyed]) -> Vec<Line> {
    let found = filter.find(all);
    if !filter.query.trim().is_empty() {
        return found.into_iter().map(Line::Child).collect();
    }
    let mut lines = Vec::with_capacity(found.len() + 12);
    // The class being listed, and where its heading is.
    let mut heading: Option<(String, usize)> = None;
    for at in found {
        let label = all[at].0.basic.class_label_zh();
        let index = match &heading {
            Some((same, index)) if *same == label => *index,
            _ => {
                heading = Some((label.clone(), lines.len()));
                lines.push(Line::Class { label, count: 0 });
                lines.len() - 1
            }
        };
        if let Some(Line::Class { count, .. }) = lines.get_mut(index) {
            *count += 1;
        }
        lines.push(Line::Child(at));
    }
    lines
}

/// The rows on screen and a margin, each placed at its own offset in a list as tall as all
/// rows: drawing or dropping a row moves no other, so scrolling lays out and paints only the new
/// rows. The list stays one list of links for screen readers; class headings are rows of it.
#[component]
fn WindowedList(
    lines: Memo<Vec<Line>>,
    keyed: Memo<Vec<Keyed>>,
    draw: Signal<Draw>,
    scrolled: Option<f64>,
) -> impl IntoView {
    let list = NodeRef::<leptos::html::Ul>::new();
    let heights = RwSignal::new(Heights::default());
    let screen = RwSignal::new((0.0, window::screen_height()));
    let look = move || {
        if let Some(ul) = list.get_untracked() {
            screen.set((window::screen_below(&ul), window::screen_height()));
        }
    };
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| look());
    let on_resize = window_event_listener(leptos::ev::resize, move |_| {
        if let Some(ul) = list.get_untracked() {
            heights.set(window::measure(&ul, heights.get_untracked()));
        }
        look();
    });
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
    });
    let starts = Memo::new(move |_| lines.with(|l| window::offsets(l, heights.get())));
    let wanted = Memo::new(move |_| {
        let (top, height) = screen.get();
        starts.with(|s| window::range(s, top, height, draw.get()))
    });
    let on_screen = Memo::new(move |_| {
        let (top, height) = screen.get();
        starts.with(|s| window::range(s, top, height, Draw::ScreenOnly))
    });
    // Each list of lines (a keystroke makes a new one) is drawn from the screen's top row.
    let generation = Memo::new(move |before: Option<&u64>| {
        lines.track();
        before.map_or(0, |g| g + 1)
    });
    // The rows drawn, which chase the rows wanted a few a frame (`window::step`), and whether a
    // frame to chase them is already asked for.
    let drawn = RwSignal::new((0u64, 0usize, 0usize));
    let chasing = StoredValue::new(false);
    let chase = move || {
        let (mine, first, last) = drawn.get_untracked();
        let now = generation.get_untracked();
        let from = if mine == now { (first, last) } else { (0, 0) };
        let target = wanted.get_untracked();
        // A short list drawn whole, once its first screen is painted, is drawn at once.
        let budget = if draw.get_untracked() == Draw::Whole {
            usize::MAX
        } else {
            window::ROWS_PER_FRAME
        };
        let next = window::step(from, target, on_screen.get_untracked(), budget);
        if (now, next.0, next.1) != drawn.get_untracked() {
            drawn.set((now, next.0, next.1));
        }
        next != target
    };
    // A change draws its first rows at once (a keystroke's best matches in its own frame), then
    // the next frames draw the rest. While they do, a change leaves the drawing to them; the
    // first frame asked for is the one the change's rows show in, so it draws nothing more.
    Effect::new(move |_| {
        wanted.track();
        generation.track();
        if chasing.get_value() || !chase() {
            return;
        }
        chasing.set_value(true);
        let first = std::cell::Cell::new(true);
        window::each_frame(move || {
            if first.replace(false) {
                return true;
            }
            let more = chasing.try_get_value().is_some() && chase();
            if !more {
                let _ = chasing.try_set_value(false);
            }
            more
        });
    });
    // The drawn rows, each at its own offset and with the child's class (search results mix
    // classes). A row's place is part of its key, so a row that stays where it was when the
    // window moves is left alone, and one whose place changed is drawn anew at the new one:
    // no row's position is a signal every other row's redraw has to follow.
    let visible = move || {
        let (_, first, last) = drawn.get();
        starts.with(|s| {
            lines.with(|l| {
                keyed.with(|all| {
                    (first..last)
                        .filter_map(|at| Some((*s.get(at)?, Row::of(l.get(at)?, all)?)))
                        .collect::<Vec<_>>()
                })
            })
        })
    };
    let height = move || starts.with(|s| format!("{}px", s.last().copied().unwrap_or(0.0)));
    // Once rows are drawn: their real heights, then (coming back from a child) the scroll
    // position the teacher left.
    let restore = StoredValue::new(scrolled);
    Effect::new(move |_| {
        drawn.track();
        let Some(ul) = list.get() else { return };
        let measured = window::measure(&ul, heights.get_untracked());
        if measured != heights.get_untracked() {
            heights.set(measured);
        }
        if lines.with(|l| !l.is_empty()) {
            // After the router's own scrolling on arrival.
            if let Some(y) = restore.try_update_value(Option::take).flatten() {
                request_animation_frame(move || window().scroll_to_with_x_and_y(0.0, y));
            }
            look();
        }
    });
    view! {
        <section class="group roster-list">
            <ul class="children" node_ref=list style:height=height>
                <For each=visible key=|(top, row)| (row.key(), top.to_bits()) children=|(top, row)| row_view(top, row)/>
            </ul>
        </section>
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
fn FilterBar(
    filter: RwSignal<Filter>,
    standing: RwSignal<Standing>,
    calm: RwSignal<bool>,
) -> impl IntoView {
    let set = move |f: fn(&mut Filter, String)| {
        move |ev| filter.update(|flt| f(flt, event_target_value(&ev)))
    };
    let toggle = move |f: fn(&mut Filter, bool)| {
        move |ev| filter.update(|flt| f(flt, event_target_checked(&ev)))
    };
    // Coming back from a child the filter is the one the teacher left: the controls show it.
    let now = filter.get_untracked();
    let categories = Category::ALL
        .iter()
        .map(|c| view! { <option value=c.code() selected=now.category == Some(*c)>{c.label_zh()}</option> })
        .collect_view();
    let grades = GRADES
        .map(|g| view! { <option value=g.to_string() selected=now.grade == Some(g)>{grade_label_zh(g)}</option> })
        .collect_view();
    let narrowed = now.category.is_some()
        || now.grade.is_some()
        || !now.village.is_empty()
        || now.no_guardian
        || now.incomplete
        || now.boarding
        || now.unsigned
        || standing.get_untracked() != Standing::Attending;
    view! {
        <div class="filters">
            <div class="field">
                <label for="search">"查找儿童（姓名、拼音或首字母）"</label>
                <input id="search" type="search" autocomplete="off" placeholder="如：小明、zxm"
                    prop:value=move || filter.with(|f| f.query.clone())
                    on:input=move |ev| {
                        // This frame draws what is on screen; the rows below follow after it.
                        calm.set(false);
                        filter.update(|f| f.query = event_target_value(&ev));
                        window::after_paint(move || {
                            let _ = calm.try_set(true);
                        });
                    }/>
            </div>
            <details class="more-filters" open=narrowed>
                <summary>"筛选"</summary>
                <div class="field">
                    <label for="filter-status">"学籍状态"</label>
                    <select id="filter-status" on:change=move |ev| {
                        let code = event_target_value(&ev);
                        standing.set(Standing::ALL.into_iter().find(|s| s.code() == code).unwrap_or(Standing::Attending));
                    }>
                        {Standing::ALL.map(|s| view! { <option value=s.code() selected=standing.get_untracked() == s>{s.label()}</option> }).collect_view()}
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
                    <input id="filter-village" type="text" prop:value=now.village.clone() on:input=set(|f, v| f.village = v)/>
                </div>
                <label class="check"><input type="checkbox" prop:checked=now.no_guardian on:change=toggle(|f, on| f.no_guardian = on)/>"无有效监护"</label>
                <label class="check"><input type="checkbox" prop:checked=now.incomplete on:change=toggle(|f, on| f.incomplete = on)/>"五个清楚未完成"</label>
                <label class="check"><input type="checkbox" prop:checked=now.boarding on:change=toggle(|f, on| f.boarding = on)/>"寄宿"</label>
                <label class="check"><input type="checkbox" prop:checked=now.unsigned on:change=toggle(|f, on| f.unsigned = on)/>"知情同意未签字"</label>
            </details>
        </div>
    }
}

fn row_view(top: f64, row: Row) -> AnyView {
    let top = format!("{top}px");
    match row {
        Row::Class { label, count } => view! {
            <li class="class-heading" style:top=top><h2>{format!("{label}（{count} 人）")}</h2></li>
        }
        .into_any(),
        Row::Child { entry, class } => child_row(entry, class, top).into_any(),
    }
}

fn child_row(entry: RosterEntry, class: String, top: String) -> impl IntoView {
    let flags = entry.flags;
    let store = expect_context::<Store>();
    let id = entry.id;
    let basic = entry.basic;
    let detail = [
        class,
        basic.gender.label_zh().to_string(),
        basic.birth_date.format("%Y-%m-%d").to_string(),
        basic.village,
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="child" style:top=top>
            <a class="child-row" href=format!("/child/{}", entry.id)>
                <span class="child-name">{basic.name}</span>
                <span class="child-detail">{detail}</span>
                // What asks something of the teacher comes first: the row cuts what does not fit.
                <span class="child-flags">
                    {(flags.disputed > 0).then(|| view! { <span class="badge badge-alert">"两人填写不同"</span> })}
                    {move || store.child_unsent(id).then(|| view! { <span class="badge badge-wait">"未上传"</span> })}
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
