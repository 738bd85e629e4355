//! Screens a phone downloads the first time they are opened. Each group below is a split point:
//! the build (`.ci/bin/wasm-bindgen`, `crates/split`) cuts its code out of the main wasm into
//! parts of their own, fetched when one of its screens is first opened, and kept by the service
//! worker for offline use like every other file. The lock screens stay in the main wasm, and the
//! roster and settings come with the store's part (`unlocked.rs`), which every group here but the
//! county's needs first.
//!
//! Screens are grouped by who opens them together, and the groups are few: code that several
//! parts share is cut into chunks of its own, one per set of parts sharing it, so every further
//! group multiplies the small files a phone fetches and instantiates at start. Four groups: a
//! teacher's day with a child (with the printed archives), work with groups of children (with
//! dropout control), the school's screens, and the county's totals.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::LazyRoute;

use crate::pages;

/// A function of a part, awaited by its callers. With the `split` feature (the app's build) it is
/// a split point of `$part`: the build cuts it out of the main wasm with all the code only parts
/// reach, and a call first fetches the part. Without it (the browser tests load the library's
/// wasm as it is, with no part and no loader to import) it is called directly.
macro_rules! part_fn {
    ($part:ident, $(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $out:ty $body:block) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $name($($arg: $ty),*) -> Result<$out, ::leptos::wasm_split::SplitLoaderError> {
            Ok($body)
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        async fn $name($($arg: $ty),*) -> Result<$out, ::leptos::wasm_split::SplitLoaderError> {
            Ok($body)
        }
    };
}
pub(crate) use part_fn;

/// Declares one group: its split point (a function the build cuts out of the main wasm with all
/// the code only it reaches), the enum naming its screens, and for each screen its page and the
/// route type the router asks for (`app.rs`), whose view opens the screen, downloading the group
/// the first time.
macro_rules! group {
    ($(#[$doc:meta])* $split:ident, $name:ident {
        $($screen:ident, $route:ident => $page:path),* $(,)?
    }) => {
        #[derive(Clone, Copy)]
        pub enum $name {
            $($screen,)*
            /// No screen: the group's part is loaded and nothing drawn (`warm`).
            #[allow(dead_code)]
            Warm,
        }

        part_fn!($split, $(#[$doc])* fn $split(screen: $name) -> AnyView {
            match screen {
                $($name::$screen => $page().into_any(),)*
                $name::Warm => ().into_any(),
            }
        });

        $(
            pub struct $route;
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }
                async fn view(_this: Self) -> AnyView {
                    let _opening = Opening::begin();
                    $split($name::$screen).await.unwrap_or_else(not_loaded)
                }
            }
        )*
    };
}

group!(
    /// What a teacher opens about one child, day to day, and the printed archives.
    child_screens, ChildScreen {
        NewChild, NewChildRoute => pages::child::NewChildPage,
        Child, ChildRoute => pages::child::ChildPage,
        ContactCard, ContactCardRoute => pages::contact_card::ContactCardPage,
        History, HistoryRoute => pages::history::HistoryPage,
        Records, RecordsRoute => pages::records::RecordsPage,
        Visit, VisitRoute => pages::visit::VisitPage,
        PlanVisit, PlanVisitRoute => pages::plan_visit::PlanVisitPage,
        Entry, EntryRoute => pages::entry::EntryPage,
        ChildPlans, ChildPlansRoute => pages::child_plans::ChildPlansPage,
        Print, PrintRoute => pages::print::PrintPage,
        ConsentForm, ConsentFormRoute => pages::consent_form::ConsentFormPage,
        ConsentForms, ConsentFormsRoute => pages::consent_form::ConsentFormsPage,
        Binders, BindersRoute => pages::print_binders::BindersPage,
        Binder, BinderRoute => pages::print_binder::BinderPage,
    }
);

group!(
    /// Work with groups of children: the week, roll call, group sessions, pairing, focus, and
    /// dropout control (the persuasion record, its notice, the school's list).
    group_screens, GroupScreen {
        Persuasion, PersuasionRoute => pages::persuasion::PersuasionPage,
        NewAttempt, NewAttemptRoute => pages::persuasion_new::NewAttemptPage,
        Notice, NoticeRoute => pages::persuasion_notice::NoticePage,
        CaseReport, CaseReportRoute => pages::dropout_case_report::CaseReportPage,
        Dropouts, DropoutsRoute => pages::dropouts::DropoutsPage,
        DropoutStatistics, DropoutStatisticsRoute => pages::dropout_statistics::DropoutStatisticsPage,
        Week, WeekRoute => pages::week::WeekPage,
        RollCall, RollCallRoute => pages::roll_call::RollCallPage,
        AbsenceRegister, AbsenceRegisterRoute => pages::absence_register::AbsenceRegisterPage,
        Sessions, SessionsRoute => pages::sessions::SessionsPage,
        NewSession, NewSessionRoute => pages::session_new::NewSessionPage,
        EditSession, EditSessionRoute => pages::session_edit::EditSessionPage,
        SessionSheet, SessionSheetRoute => pages::session_sheet::SessionSheetPage,
        Pairing, PairingRoute => pages::pairing::PairingPage,
        Focus, FocusRoute => pages::focus::FocusPage,
    }
);

group!(
    /// The care lead's screens: statistics, dashboard, reports, the school's settings and roster.
    school_screens, SchoolScreen {
        School, SchoolRoute => pages::statistics::SchoolPage,
        SchoolSettings, SchoolSettingsRoute => pages::school_settings::SchoolSettingsPage,
        Dashboard, DashboardRoute => pages::dashboard::DashboardPage,
        Report, ReportRoute => pages::report::ReportPage,
        Summary, SummaryRoute => pages::summary::SummaryPage,
        Import, ImportRoute => pages::import::ImportPage,
        RegisterForm, RegisterFormRoute => pages::register_form::RegisterFormPage,
        Audit, AuditRoute => pages::audit::AuditPage,
        Staff, StaffRoute => pages::staff::StaffPage,
    }
);

group!(
    /// The county's totals, for the bureau's staff: opened without a PIN, on no teacher's phone.
    county_screen, CountyScreen {
        County, CountyRoute => pages::county::CountyPage,
    }
);

/// Loads the part of a child's screens, the ones a teacher opens most, once per page, from the
/// lock screen while the teacher types her PIN (the screen she was on when the phone locked itself
/// is often a child's), so that it comes without its fetch and compile (about 50–70 ms from the
/// service worker). Only where the service worker serves the app: there the part is read from the
/// phone. A first visit sets a PIN instead of typing one and is not served by it when it starts:
/// its first screen needs only the main wasm, and the part comes with the first tap.
pub fn warm_child_screens() {
    thread_local!(static WARMED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if WARMED.replace(true) || !crate::js::is_service_worker_controlled() {
        return;
    }
    // A part that cannot be had now is no error yet: the screen says so when opened.
    leptos::task::spawn_local(async {
        let _ = child_screens(ChildScreen::Warm).await;
    });
}

thread_local! {
    /// How many screens are waiting for their part. Until it comes the router keeps the screen
    /// it was on (or, on a page load, shows nothing), so without a word the teacher's tap seems
    /// lost and she taps again.
    static OPENING: RwSignal<u32> = RwSignal::new(0);
}

/// One screen waiting for its part, from the route's view until it is drawn or given up.
pub(crate) struct Opening;

impl Opening {
    pub(crate) fn begin() -> Self {
        OPENING.with(|n| n.update(|n| *n += 1));
        Opening
    }
}

impl Drop for Opening {
    fn drop(&mut self) {
        OPENING.with(|n| n.try_update(|n| *n = n.saturating_sub(1)));
    }
}

/// How long a part may take before the teacher is told: one kept on the phone comes in a few
/// milliseconds, and a word flashing by on every tap would be noise.
const QUIET_MS: u64 = 300;

/// 正在打开页面… while a screen's part is being downloaded for longer than a moment.
#[component]
pub fn OpeningNotice() -> impl IntoView {
    let opening = OPENING.with(|n| *n);
    let shown = RwSignal::new(false);
    Effect::new(move |_| {
        if opening.get() == 0 {
            shown.set(false);
            return;
        }
        set_timeout(
            move || shown.set(opening.get_untracked() > 0),
            std::time::Duration::from_millis(QUIET_MS),
        );
    });
    view! {
        <Show when=move || shown.get()>
            <p class="opening" role="status">
                <strong>"正在打开页面…"</strong>
                <span>"第一次打开需要下载，请稍候"</span>
            </p>
        </Show>
    }
}

/// Shown instead of a screen whose code could not be downloaded (no network before the service
/// worker had kept the files); the next opening tries again.
fn not_loaded(_: SplitLoaderError) -> AnyView {
    view! {
        <main class="page">
            <h1>"暂时打不开这个页面"</h1>
            <p class="status status-error" role="alert">
                "这个页面的程序还没有下载到本机，现在也连不上学校的服务器。请连上网络后再打开。本机已保存的记录不受影响。"
            </p>
            <a href="/">"返回名册"</a>
        </main>
    }
    .into_any()
}
