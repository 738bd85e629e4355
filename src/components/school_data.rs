//! The school's figures for the screens that show them (关爱检查, 统计, 学期报告): gathered from the
//! store when such a screen opens — never on the way to the roster — and computed once by the
//! core's `dashboard` (and, on the care lead's phone, published for the county); plus the 导出
//! Excel button that writes the bureau workbook from them.

use std::rc::Rc;

use chrono::NaiveDate;
use leptos::prelude::*;
use shouwang_core::cadence::Due;
use shouwang_core::files::Job;
use shouwang_core::report::{self, Table};
use shouwang_core::stats::control::{control, control_tables, Control};
use shouwang_core::stats::figures::Published;
use shouwang_core::stats::{self, Dashboard};
use shouwang_core::{DocId, RosterEntry};

use crate::js;
use crate::store::school_view::SchoolSnapshot;
use crate::store::Store;

/// What a school screen renders from.
pub struct Figures {
    pub snapshot: SchoolSnapshot,
    pub dashboard: Dashboard,
    /// 控辍保学, attendance and group sessions this term.
    pub control: Control,
    pub today: NaiveDate,
    /// Why the figures could not be published for the county (教育局), if they could not.
    pub publish_error: Option<String>,
}

impl Figures {
    /// The term report's and the workbook's tables: the bureau's, then 控辍保学, 考勤, 集体活动.
    pub fn tables(&self) -> Vec<Table> {
        let mut tables = report::tables(&self.snapshot.data(), &self.dashboard, self.today);
        tables.extend(control_tables(&self.control));
        tables
    }

    pub fn entry(&self, child: DocId) -> Option<&RosterEntry> {
        self.snapshot.roster.iter().find(|e| e.id == child)
    }

    pub fn child_name(&self, child: DocId) -> String {
        self.entry(child)
            .map(|e| e.basic.name.clone())
            .unwrap_or_else(|| "（不在名册）".into())
    }

    pub fn teacher_name(&self, id: &str) -> String {
        shouwang_core::teachers::name_of(&self.snapshot.teachers, id)
    }
}

/// The figures once gathered, and how far the gathering has come meanwhile.
#[derive(Clone, Copy)]
pub struct Loaded {
    figures: RwSignal<Option<Result<Rc<Figures>, String>>, LocalStorage>,
    progress: RwSignal<(usize, usize)>,
}

/// Starts gathering the figures; the signal fills when they are ready, and again whenever a
/// child's document or the school's directory changes, here or by sync (the children whose
/// documents did not are not read again, `store/records_cache.rs`). Both steps are measured
/// (`shouwang:school-data`, `shouwang:dashboard`) for the performance report.
pub fn load_figures() -> Loaded {
    gathering(true)
}

/// The same for a screen that writes to the directory itself (工作总结's paragraphs): it follows
/// the children's documents only, so its own save does not draw its form anew under the teacher.
pub fn load_figures_for_editing() -> Loaded {
    gathering(false)
}

fn gathering(follow_directory: bool) -> Loaded {
    let store = expect_context::<Store>();
    let loaded = Loaded {
        figures: RwSignal::new_local(None),
        progress: RwSignal::new((0, 0)),
    };
    // Only the latest gathering is shown: an older one that ends later is dropped.
    let latest = StoredValue::new(0u64);
    Effect::new(move |_| {
        store.track_children();
        // Settings, duties and focus children change the figures too (a lead's publishing of
        // them, also a directory change, gathers once more and finds nothing new to publish).
        if follow_directory {
            store.track_directory();
        }
        let round = latest.get_value() + 1;
        latest.set_value(round);
        leptos::task::spawn_local(async move {
            let figures = gather(store, loaded).await;
            if latest.try_get_value() == Some(round) {
                let _ = loaded.figures.try_set(Some(figures));
            }
        });
    });
    loaded
}

/// Gathers the school's records and computes the figures from them.
async fn gather(store: Store, loaded: Loaded) -> Result<Rc<Figures>, String> {
    let started = js::now_ms();
    let snapshot = store
        .school_snapshot(|done, all| {
            let _ = loaded.progress.try_set((done, all));
        })
        .await
        .map_err(|e| e.to_string())?;
    let gathered = js::now_ms();
    // For the benches and a developer's DevTools; a principal is not told milliseconds.
    js::record_measure("shouwang:gather", started, gathered);
    let today = chrono::Local::now().date_naive();
    let dashboard = stats::dashboard(&snapshot.data(), today);
    let control = control(&snapshot.control_data(), dashboard.term);
    let computed = js::now_ms();
    js::record_measure("shouwang:dashboard", gathered, computed);
    let published = Published::new(&dashboard, &control, snapshot.unreadable.len(), today);
    let publish_error = store
        .publish_figures(published)
        .await
        .err()
        .map(|e| format!("上报教育局的统计未能保存：{e}"));
    Ok(Rc::new(Figures {
        snapshot,
        dashboard,
        control,
        today,
        publish_error,
    }))
}

/// Renders `view` once the figures are ready; says so while they are being gathered.
pub fn with_figures<V: IntoView + 'static>(
    loaded: Loaded,
    view: impl Fn(Rc<Figures>) -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || match loaded.figures.get() {
        None => {
            let (done, all) = loaded.progress.get();
            let text = if all == 0 {
                "正在汇总全校记录…".to_string()
            } else {
                format!("正在汇总全校记录…（{done} / {all} 名儿童）")
            };
            view! { <p class="loading" role="status">{text}</p> }.into_any()
        }
        Some(Err(message)) => {
            view! { <p class="status status-error" role="alert">{message}</p> }.into_any()
        }
        Some(Ok(figures)) => {
            let failed = figures.publish_error.clone().map(|message| {
                view! { <p class="status status-error" role="alert">{message}</p> }
            });
            // The lead is told what the county gets of her school, and when (`publish_figures`);
            // on screen only, not on the papers she prints.
            let store = expect_context::<Store>();
            let publishes = store.sync.enrolment.with_untracked(Option::is_some)
                && store.can_change_directory();
            let published = (failed.is_none() && publishes).then(|| {
                view! { <p class="detail no-print" id="published">{format!(
                    "本校上报教育局的汇总统计（只有人数，不含儿童信息）已更新到 {}，同步后送达。",
                    figures.today.format("%Y-%m-%d")
                )}</p> }
            });
            view! { {failed} {published} {view(figures)} }.into_any()
        }
    }
}

/// How an item that needs doing reads in a list.
pub fn due_text(due: Due) -> String {
    match due {
        Due::Overdue { since, days } => {
            format!("逾期 {days} 天（应于 {} 前）", since.format("%Y-%m-%d"))
        }
        Due::DueBy(day) => format!("应于 {} 前完成", day.format("%Y-%m-%d")),
        Due::UpToDate { .. } => "已完成".into(),
        Due::Holiday => "假期".into(),
    }
}

/// Writes the bureau workbook (one sheet per table) and hands it to the browser as a download.
#[component]
pub fn ExportButton(figures: Rc<Figures>) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let export = move |_| {
        let started = js::now_ms();
        let today = figures.today;
        let job = Job::Workbook {
            tables: figures.tables(),
            title: report::TITLE.to_string(),
            today,
        };
        let name = crate::prefs::school_file_name(&format!(
            "留守儿童关爱统计-{}.xlsx",
            today.format("%Y-%m-%d")
        ));
        leptos::task::spawn_local(async move {
            let made = crate::files::download(&job, &name).await;
            if made.is_ok() {
                js::record_measure("shouwang:export", started, js::now_ms());
            }
            problem.set(made.err());
        });
    };
    view! {
        <button type="button" class="secondary" on:click=export>"导出 Excel"</button>
        // 关爱检查, 学校统计 and 学期报告 each offer it: said, so a lead does not look for a
        // different file behind each.
        <p class="detail no-print">"导出的 Excel 含留守儿童名册、分类统计、建档情况、关爱落实、结对帮扶、待办与逾期、重点帮扶对象和控辍保学等工作表；“关爱检查”“学校统计”“学期报告”导出的是同一份。"</p>
        {move || problem.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
    }
}
