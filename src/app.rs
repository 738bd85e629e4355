//! The app shell: the store and notices shared by all screens, the service worker, the gate (PIN,
//! idle lock, revoked phone) and, behind it, the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::closure::Closure;

use crate::components::notice::{Flash, UpdateBanner};
use crate::gate::{Door, Gate};
use crate::pages::audit::AuditPage;
use crate::pages::contact_card::ContactCardPage;
use crate::pages::county::CountyPage;
use crate::pages::dropouts::DropoutsPage;
use crate::pages::entry::EntryPage;
use crate::pages::history::HistoryPage;
use crate::pages::import::ImportPage;
use crate::pages::lock::{NewPinPage, PinSetUpPage, UnlockPage, WipedPage};
use crate::pages::persuasion::PersuasionPage;
use crate::pages::persuasion_new::NewAttemptPage;
use crate::pages::persuasion_notice::NoticePage;
use crate::pages::plan_visit::PlanVisitPage;
use crate::pages::print::PrintPage;
use crate::pages::print_binders::BindersPage;
use crate::pages::records::RecordsPage;
use crate::pages::register_form::RegisterFormPage;
use crate::pages::roll_call::RollCallPage;
use crate::pages::session_new::NewSessionPage;
use crate::pages::session_sheet::SessionSheetPage;
use crate::pages::sessions::SessionsPage;
use crate::pages::statistics::SchoolPage;
use crate::pages::summary::SummaryPage;
use crate::pages::visit::VisitPage;
use crate::pages::week::WeekPage;
use crate::pages::{
    child::ChildPage, child::NewChildPage, roster::RosterPage, settings::SettingsPage,
};
use crate::pages::{
    child_plans::ChildPlansPage, dashboard::DashboardPage, focus::FocusPage, pairing::PairingPage,
    print_binder::BinderPage, report::ReportPage, school_settings::SchoolSettingsPage,
};
use crate::store::{Loading, Store};

#[component]
pub fn App() -> impl IntoView {
    let store = Store::new();
    provide_context(store);
    provide_context(Flash::new());
    let door = Door::new(store);
    provide_context(door);
    leptos::task::spawn_local(door.check());
    door.watch_idle();
    door.watch_revoke();
    door.watch_recovery();
    // Tests and the lock screen's styles can tell where the gate stands.
    Effect::new(move |_| {
        let state = match door.gate.get() {
            Gate::Checking => "checking",
            Gate::SetUp => "setup",
            Gate::Locked => "locked",
            Gate::NewPin => "newpin",
            Gate::Open => "open",
            Gate::Wiped => "wiped",
            Gate::Failed(_) => "failed",
        };
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-gate", state);
        }
        // The page's own lock screen gives way to every screen but the app's lock screen,
        // which takes over what was typed into it.
        if !matches!(door.gate.get_untracked(), Gate::Checking | Gate::Locked) {
            let _ = crate::gate::boot::take();
        }
    });

    let update_ready = RwSignal::new(false);
    // The closure lives as long as the page: the service worker may call it at any time.
    let on_update = Closure::<dyn FnMut()>::new(move || update_ready.set(true));
    crate::js::register_service_worker(&on_update);
    on_update.forget();

    view! {
        <Router>
            <UpdateBanner ready=update_ready/>
            <Doors door=door store=store/>
        </Router>
    }
}

/// The county's screen, which holds no child's record, opens on its own; every other screen only
/// behind the PIN, and once the device's records are readable, so none races the store.
#[component]
fn Doors(door: Door, store: Store) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    // A memo, so moving between the other screens does not draw them all anew.
    let county = Memo::new(move |_| location.pathname.with(|p| p.starts_with("/county")));
    move || {
        if county.get() {
            return view! { <CountyPage/> }.into_any();
        }
        match door.gate.get() {
            // Under the page's own lock screen while it is up (`gate/boot.rs`).
            Gate::Checking => (!crate::gate::boot::showing())
                .then(|| view! { <main class="page"><p class="loading">"正在打开…"</p></main> })
                .into_any(),
            Gate::SetUp => view! { <PinSetUpPage/> }.into_any(),
            Gate::Locked => view! { <UnlockPage/> }.into_any(),
            Gate::NewPin => view! { <NewPinPage/> }.into_any(),
            Gate::Wiped => view! { <WipedPage/> }.into_any(),
            Gate::Failed(err) => view! {
                <main class="page"><p class="status status-error" role="alert">{err}</p></main>
            }
            .into_any(),
            Gate::Open => screens(store).into_any(),
        }
    }
}

/// The screens, once the gate is open.
fn screens(store: Store) -> impl IntoView {
    view! {
            {move || match store.loading.get() {
                Loading::Loading => view! { <main class="page"><p class="loading">"正在读取本机记录…"</p></main> }.into_any(),
                Loading::Failed(err) => view! {
                    <main class="page"><p class="status status-error" role="alert">{err.to_string()}</p></main>
                }.into_any(),
                Loading::Ready => view! {
                    <Routes fallback=|| view! { <main class="page"><p>"找不到这个页面。"</p><a href="/">"返回名册"</a></main> }>
                        <Route path=path!("/") view=RosterPage/>
                        <Route path=path!("/child/new") view=NewChildPage/>
                        <Route path=path!("/child/:id") view=ChildPage/>
                        <Route path=path!("/child/:id/card") view=ContactCardPage/>
                        <Route path=path!("/child/:id/print") view=PrintPage/>
                        <Route path=path!("/child/:id/history") view=HistoryPage/>
                        <Route path=path!("/child/:id/records") view=RecordsPage/>
                        <Route path=path!("/child/:id/visit") view=VisitPage/>
                        <Route path=path!("/child/:id/plan") view=PlanVisitPage/>
                        <Route path=path!("/child/:id/add/:kind") view=EntryPage/>
                        <Route path=path!("/child/:id/persuasion") view=PersuasionPage/>
                        <Route path=path!("/child/:id/persuasion/new") view=NewAttemptPage/>
                        <Route path=path!("/child/:id/persuasion/notice") view=NoticePage/>
                        <Route path=path!("/week") view=WeekPage/>
                        <Route path=path!("/attendance") view=RollCallPage/>
                        <Route path=path!("/sessions") view=SessionsPage/>
                        <Route path=path!("/sessions/new") view=NewSessionPage/>
                        <Route path=path!("/sessions/sheet") view=SessionSheetPage/>
                        <Route path=path!("/dropouts") view=DropoutsPage/>
                        <Route path=path!("/school") view=SchoolPage/>
                        <Route path=path!("/school/settings") view=SchoolSettingsPage/>
                        <Route path=path!("/dashboard") view=DashboardPage/>
                        <Route path=path!("/pairing") view=PairingPage/>
                        <Route path=path!("/focus") view=FocusPage/>
                        <Route path=path!("/school/report") view=ReportPage/>
                        <Route path=path!("/school/summary") view=SummaryPage/>
                        <Route path=path!("/binders") view=BindersPage/>
                        <Route path=path!("/child/:id/focus") view=ChildPlansPage/>
                        <Route path=path!("/child/:id/binder") view=BinderPage/>
                        <Route path=path!("/import") view=ImportPage/>
                        <Route path=path!("/register") view=RegisterFormPage/>
                        <Route path=path!("/settings") view=SettingsPage/>
                        <Route path=path!("/audit") view=AuditPage/>
                    </Routes>
                }.into_any(),
            }}
    }
}
