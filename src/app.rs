//! The app shell: the store and notices shared by all screens, the service worker, and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::closure::Closure;

use crate::components::notice::{Flash, UpdateBanner};
use crate::pages::audit::AuditPage;
use crate::pages::contact_card::ContactCardPage;
use crate::pages::entry::EntryPage;
use crate::pages::history::HistoryPage;
use crate::pages::import::ImportPage;
use crate::pages::plan_visit::PlanVisitPage;
use crate::pages::print::PrintPage;
use crate::pages::records::RecordsPage;
use crate::pages::school::SchoolPage;
use crate::pages::visit::VisitPage;
use crate::pages::week::WeekPage;
use crate::pages::{
    child::ChildPage, child::NewChildPage, roster::RosterPage, settings::SettingsPage,
};
use crate::pages::{
    child_plans::ChildPlansPage, dashboard::DashboardPage, focus::FocusPage, pairing::PairingPage,
    print_binder::BinderPage, report::ReportPage, school_settings::SchoolSettingsPage,
};
use crate::store::{Loading, Store, DB_NAME};

#[component]
pub fn App() -> impl IntoView {
    let store = Store::new();
    provide_context(store);
    provide_context(Flash::new());
    leptos::task::spawn_local(store.start(DB_NAME));

    let update_ready = RwSignal::new(false);
    // The closure lives as long as the page: the service worker may call it at any time.
    let on_update = Closure::<dyn FnMut()>::new(move || update_ready.set(true));
    crate::js::register_service_worker(&on_update);
    on_update.forget();

    view! {
        <Router>
            <UpdateBanner ready=update_ready/>
            // Screens open only once the device's records are readable, so none races the store.
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
                        <Route path=path!("/week") view=WeekPage/>
                        <Route path=path!("/school") view=SchoolPage/>
                        <Route path=path!("/school/settings") view=SchoolSettingsPage/>
                        <Route path=path!("/dashboard") view=DashboardPage/>
                        <Route path=path!("/pairing") view=PairingPage/>
                        <Route path=path!("/focus") view=FocusPage/>
                        <Route path=path!("/school/report") view=ReportPage/>
                        <Route path=path!("/child/:id/focus") view=ChildPlansPage/>
                        <Route path=path!("/child/:id/binder") view=BinderPage/>
                        <Route path=path!("/import") view=ImportPage/>
                        <Route path=path!("/settings") view=SettingsPage/>
                        <Route path=path!("/audit") view=AuditPage/>
                    </Routes>
                }.into_any(),
            }}
        </Router>
    }
}
