//! The app shell: the store and notices shared by all screens, the service worker, the gate (PIN,
//! idle lock, revoked phone) and, behind it, the routes, drawn from the store's part
//! (`unlocked.rs`): the roster's and settings' in it, every other screen's through its
//! `LazyRoute` (`lazy.rs`), downloaded the first time it is opened.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::Lazy;
use wasm_bindgen::closure::Closure;

use crate::components::notice::{Flash, UpdateBanner};
use crate::gate::{Door, Gate};
use crate::lazy::*;
use crate::pages::lock::{NewPinPage, PinSetUpPage, UnlockPage, WipedPage};
use crate::pages::roster::RosterPage;
use crate::pages::settings::SettingsPage;
use crate::store::{Loading, Store};
use crate::unlocked::Unlocked;

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
            <OpeningNotice/>
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
    // An officer opening the app (its start page, `/`) goes to the county's screen.
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if location.pathname.get_untracked() == "/" && crate::prefs::county_officer_only() {
            navigate(
                "/county",
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    move || {
        if county.get() {
            return view! {
                <Routes fallback=|| not_found("/county", "返回教育局统计")>
                    <Route path=path!("/county") view={Lazy::<CountyRoute>::new()}/>
                </Routes>
            }
            .into_any();
        }
        let gate = door.gate.get();
        // The store's part comes while the teacher sets or types her PIN, once its screen is
        // drawn: the first screen waits for nothing but the main wasm.
        if matches!(gate, Gate::SetUp | Gate::Locked) {
            leptos::task::spawn_local(crate::unlocked::fetch());
        }
        match gate {
            // Under the page's own lock screen while it is up (`gate/boot.rs`).
            Gate::Checking => (!crate::gate::boot::showing())
                .then(|| view! { <main class="page"><p class="loading">"正在打开…"</p></main> })
                .into_any(),
            Gate::SetUp => view! { <PinSetUpPage/> }.into_any(),
            Gate::Locked => {
                warm_child_screens();
                view! { <UnlockPage/> }.into_any()
            }
            Gate::NewPin => view! { <NewPinPage/> }.into_any(),
            Gate::Wiped => view! { <WipedPage/> }.into_any(),
            Gate::Failed(err) => view! {
                <main class="page"><p class="status status-error" role="alert">{err}</p></main>
            }
            .into_any(),
            Gate::Open => view! { <Unlocked store=store/> }.into_any(),
        }
    }
}

/// An address no screen has, with the way back to the screens it lies among.
fn not_found(back: &'static str, label: &'static str) -> impl IntoView {
    view! { <main class="page"><p>"找不到这个页面。"</p><a href=back>{label}</a></main> }
}

/// Said from the tap on 解锁 until the roster can be drawn: while the store's part comes (its
/// download is said above it, `OpeningNotice`), then while the store reads the records.
pub(crate) fn reading_records() -> impl IntoView {
    view! { <main class="page"><p class="loading">"正在读取本机记录…"</p></main> }
}

/// The screens, once the gate is open: drawn from the part the store comes in (`unlocked.rs`).
pub(crate) fn screens(store: Store) -> impl IntoView {
    // What only some phones keep for offline use (the files worker) is asked for once the phone
    // is unlocked, if it is one of them, and when it becomes one.
    let keeps = Memo::new(move |_| store.keeps_everything_offline());
    Effect::new(move |_| {
        if keeps.get() {
            crate::js::keep_everything();
        }
    });
    view! {
            {move || match store.loading.get() {
                Loading::Loading => reading_records().into_any(),
                Loading::Failed(err) => view! {
                    <main class="page"><p class="status status-error" role="alert">{err.to_string()}</p></main>
                }.into_any(),
                Loading::Ready => view! {
                    <Routes fallback=|| not_found("/", "返回名册")>
                        <Route path=path!("/") view=RosterPage/>
                        <Route path=path!("/child/new") view={Lazy::<NewChildRoute>::new()}/>
                        <Route path=path!("/child/:id") view={Lazy::<ChildRoute>::new()}/>
                        <Route path=path!("/child/:id/card") view={Lazy::<ContactCardRoute>::new()}/>
                        <Route path=path!("/child/:id/print") view={Lazy::<PrintRoute>::new()}/>
                        <Route path=path!("/child/:id/consent") view={Lazy::<ConsentFormRoute>::new()}/>
                        <Route path=path!("/consent-forms") view={Lazy::<ConsentFormsRoute>::new()}/>
                        <Route path=path!("/child/:id/history") view={Lazy::<HistoryRoute>::new()}/>
                        <Route path=path!("/child/:id/records") view={Lazy::<RecordsRoute>::new()}/>
                        <Route path=path!("/child/:id/visit") view={Lazy::<VisitRoute>::new()}/>
                        <Route path=path!("/child/:id/plan") view={Lazy::<PlanVisitRoute>::new()}/>
                        <Route path=path!("/child/:id/add/:kind") view={Lazy::<EntryRoute>::new()}/>
                        <Route path=path!("/child/:id/persuasion") view={Lazy::<PersuasionRoute>::new()}/>
                        <Route path=path!("/child/:id/persuasion/new") view={Lazy::<NewAttemptRoute>::new()}/>
                        <Route path=path!("/child/:id/persuasion/notice") view={Lazy::<NoticeRoute>::new()}/>
                        <Route path=path!("/child/:id/persuasion/report") view={Lazy::<CaseReportRoute>::new()}/>
                        <Route path=path!("/week") view={Lazy::<WeekRoute>::new()}/>
                        <Route path=path!("/attendance") view={Lazy::<RollCallRoute>::new()}/>
                        <Route path=path!("/attendance/register") view={Lazy::<AbsenceRegisterRoute>::new()}/>
                        <Route path=path!("/sessions") view={Lazy::<SessionsRoute>::new()}/>
                        <Route path=path!("/sessions/new") view={Lazy::<NewSessionRoute>::new()}/>
                        <Route path=path!("/sessions/sheet") view={Lazy::<SessionSheetRoute>::new()}/>
                        <Route path=path!("/sessions/:id") view={Lazy::<EditSessionRoute>::new()}/>
                        <Route path=path!("/dropouts") view={Lazy::<DropoutsRoute>::new()}/>
                        <Route path=path!("/dropouts/statistics") view={Lazy::<DropoutStatisticsRoute>::new()}/>
                        <Route path=path!("/school") view={Lazy::<SchoolRoute>::new()}/>
                        <Route path=path!("/school/settings") view={Lazy::<SchoolSettingsRoute>::new()}/>
                        <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()}/>
                        <Route path=path!("/pairing") view={Lazy::<PairingRoute>::new()}/>
                        <Route path=path!("/focus") view={Lazy::<FocusRoute>::new()}/>
                        <Route path=path!("/school/report") view={Lazy::<ReportRoute>::new()}/>
                        <Route path=path!("/school/summary") view={Lazy::<SummaryRoute>::new()}/>
                        <Route path=path!("/binders") view={Lazy::<BindersRoute>::new()}/>
                        <Route path=path!("/child/:id/focus") view={Lazy::<ChildPlansRoute>::new()}/>
                        <Route path=path!("/child/:id/binder") view={Lazy::<BinderRoute>::new()}/>
                        <Route path=path!("/import") view={Lazy::<ImportRoute>::new()}/>
                        <Route path=path!("/register") view={Lazy::<RegisterFormRoute>::new()}/>
                        <Route path=path!("/settings") view=SettingsPage/>
                        <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()}/>
                        <Route path=path!("/school/staff") view={Lazy::<StaffRoute>::new()}/>
                    </Routes>
                }.into_any(),
            }}
    }
}
