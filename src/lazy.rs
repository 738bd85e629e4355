//! Screens a phone downloads the first time they are opened. Each group below is a split point:
//! the build (`.ci/bin/wasm-bindgen`, `crates/split`) cuts its code out of the main wasm into
//! parts of their own, fetched when one of its screens is first opened, and kept by the service
//! worker for offline use like every other file. The roster and the lock screens stay in the main
//! wasm: they are all a phone needs to show its first screen.
//!
//! Screens are grouped by who opens them together, so that opening one screen fetches a few parts
//! rather than many small ones: a teacher's day with a child, dropout control, group work, the
//! school's screens, printing, and the phone's settings.

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use leptos_router::LazyRoute;

use crate::pages;

/// Declares one group: its split point (a function the build cuts out of the main wasm with all
/// the code only it reaches), the enum naming its screens, and each screen's page.
macro_rules! group {
    ($(#[$doc:meta])* $split:ident, $name:ident { $($screen:ident => $page:path),* $(,)? }) => {
        #[derive(Clone, Copy)]
        pub enum $name {
            $($screen),*
        }

        $(#[$doc])*
        #[wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $split(screen: $name) -> Result<AnyView, SplitLoaderError> {
            Ok(match screen {
                $($name::$screen => $page().into_any()),*
            })
        }
    };
}

group!(
    /// What a teacher opens about one child, day to day.
    child_screens, ChildScreen {
        NewChild => pages::child::NewChildPage,
        Child => pages::child::ChildPage,
        ContactCard => pages::contact_card::ContactCardPage,
        History => pages::history::HistoryPage,
        Records => pages::records::RecordsPage,
        Visit => pages::visit::VisitPage,
        PlanVisit => pages::plan_visit::PlanVisitPage,
        Entry => pages::entry::EntryPage,
        ChildPlans => pages::child_plans::ChildPlansPage,
    }
);

group!(
    /// Dropout control: the persuasion record, its notice, the school's list.
    dropout_screens, DropoutScreen {
        Persuasion => pages::persuasion::PersuasionPage,
        NewAttempt => pages::persuasion_new::NewAttemptPage,
        Notice => pages::persuasion_notice::NoticePage,
        Dropouts => pages::dropouts::DropoutsPage,
    }
);

group!(
    /// Work with groups of children: the week, roll call, group sessions, pairing, focus.
    group_screens, GroupScreen {
        Week => pages::week::WeekPage,
        RollCall => pages::roll_call::RollCallPage,
        Sessions => pages::sessions::SessionsPage,
        NewSession => pages::session_new::NewSessionPage,
        SessionSheet => pages::session_sheet::SessionSheetPage,
        Pairing => pages::pairing::PairingPage,
        Focus => pages::focus::FocusPage,
    }
);

group!(
    /// The care lead's screens: statistics, dashboard, reports, the school's settings and roster.
    school_screens, SchoolScreen {
        School => pages::statistics::SchoolPage,
        SchoolSettings => pages::school_settings::SchoolSettingsPage,
        Dashboard => pages::dashboard::DashboardPage,
        Report => pages::report::ReportPage,
        Summary => pages::summary::SummaryPage,
        Import => pages::import::ImportPage,
        RegisterForm => pages::register_form::RegisterFormPage,
        Audit => pages::audit::AuditPage,
    }
);

group!(
    /// Printed archives.
    print_screens, PrintScreen {
        Print => pages::print::PrintPage,
        Binders => pages::print_binders::BindersPage,
        Binder => pages::print_binder::BinderPage,
    }
);

group!(
    /// The phone's own settings: sync, backup, PIN, who is signed in.
    settings_screen, SettingsScreen {
        Settings => pages::settings::SettingsPage,
    }
);

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

/// One route type per screen, as the router asks: the route's view is the screen, opened (its
/// group downloaded the first time) when its address is first matched.
macro_rules! routes {
    ($($route:ident => $split:ident($group:ident::$screen:ident)),* $(,)?) => {$(
        pub struct $route;
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }
            async fn view(_this: Self) -> AnyView {
                $split($group::$screen).await.unwrap_or_else(not_loaded)
            }
        }
    )*};
}

routes! {
    NewChildRoute => child_screens(ChildScreen::NewChild),
    ChildRoute => child_screens(ChildScreen::Child),
    ContactCardRoute => child_screens(ChildScreen::ContactCard),
    HistoryRoute => child_screens(ChildScreen::History),
    RecordsRoute => child_screens(ChildScreen::Records),
    VisitRoute => child_screens(ChildScreen::Visit),
    PlanVisitRoute => child_screens(ChildScreen::PlanVisit),
    EntryRoute => child_screens(ChildScreen::Entry),
    ChildPlansRoute => child_screens(ChildScreen::ChildPlans),
    PersuasionRoute => dropout_screens(DropoutScreen::Persuasion),
    NewAttemptRoute => dropout_screens(DropoutScreen::NewAttempt),
    NoticeRoute => dropout_screens(DropoutScreen::Notice),
    DropoutsRoute => dropout_screens(DropoutScreen::Dropouts),
    WeekRoute => group_screens(GroupScreen::Week),
    RollCallRoute => group_screens(GroupScreen::RollCall),
    SessionsRoute => group_screens(GroupScreen::Sessions),
    NewSessionRoute => group_screens(GroupScreen::NewSession),
    SessionSheetRoute => group_screens(GroupScreen::SessionSheet),
    PairingRoute => group_screens(GroupScreen::Pairing),
    FocusRoute => group_screens(GroupScreen::Focus),
    SchoolRoute => school_screens(SchoolScreen::School),
    SchoolSettingsRoute => school_screens(SchoolScreen::SchoolSettings),
    DashboardRoute => school_screens(SchoolScreen::Dashboard),
    ReportRoute => school_screens(SchoolScreen::Report),
    SummaryRoute => school_screens(SchoolScreen::Summary),
    ImportRoute => school_screens(SchoolScreen::Import),
    RegisterFormRoute => school_screens(SchoolScreen::RegisterForm),
    AuditRoute => school_screens(SchoolScreen::Audit),
    PrintRoute => print_screens(PrintScreen::Print),
    BindersRoute => print_screens(PrintScreen::Binders),
    BinderRoute => print_screens(PrintScreen::Binder),
    SettingsRoute => settings_screen(SettingsScreen::Settings),
}
