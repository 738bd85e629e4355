//! The 劝返复学通知书 on an A4 page: the guardian, the child and class, the day the absence began
//! and the school days missed, the law that obliges the family, a return date three days on, and a
//! tear-off receipt for the guardian to sign. 发出并打印 keeps it in the child's records as printed
//! (`return_notice`), so that opened again — after 复学, or another week away — it still says what
//! the family was told; a new one can be filled from today's figures while the case is open.

use leptos::prelude::*;
use shouwang_core::return_notice::{day_zh, ReturnNotice};
use shouwang_core::DocId;

use crate::components::child_shell::ChildShell;
use crate::pages::contact_card::print;
use crate::store::persuasion::Ledger;
use crate::store::{ArchiveView, Store};

#[component]
pub fn NoticePage() -> impl IntoView {
    view! { <ChildShell back_to_child=true render=notice_view/> }
}

fn notice_view(id: DocId, view: &ArchiveView) -> AnyView {
    let name = view.record.basic.name.clone();
    let class = view.record.basic.class_label_zh();
    // The guardian fills the receipt whoever it is addressed to.
    let guardian = view
        .archive
        .family_contact()
        .and_then(|v| v.get("name"))
        .map(|n| n.trim().to_string())
        .unwrap_or_default();
    view! { <NoticeScreen child=id name class guardian/> }.into_any()
}

/// Which notice the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Showing {
    /// The last one issued, or a new one when none was.
    Latest,
    /// One issued before, by its place in the ledger.
    Issued(usize),
    /// A new one, from today's figures.
    New,
}

#[component]
fn NoticeScreen(child: DocId, name: String, class: String, guardian: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let today = chrono::Local::now().date_naive();
    let school = crate::prefs::school_name().unwrap_or_default();
    let me = crate::prefs::me();
    let ledger = LocalResource::new(move || {
        store.track_records(child);
        async move { store.ledger(child, today).await.map_err(|e| e.to_string()) }
    });
    let showing = RwSignal::new(Showing::Latest);
    let status = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let issue = move |notice: ReturnNotice| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        status.set(None);
        leptos::task::spawn_local(async move {
            let by = day_zh(notice.return_by);
            let result = store.issue_notice(child, notice).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    showing.set(Showing::Latest);
                    status.set(Some(Ok(format!(
                        "已存入劝返记录（限 {by} 前返校）。送达家长后，请在“记录一次劝返”中记一笔，方式选“书面通知（劝返通知书）”。"
                    ))));
                    print();
                }
                Err(e) => status.set(Some(Err(format!("未能发出：{e}")))),
            }
        });
    };
    let body = move || {
        let (name, class, guardian, school, me) = (
            name.clone(),
            class.clone(),
            guardian.clone(),
            school.clone(),
            me.clone(),
        );
        ledger.get().map(move |found| match found {
            Err(e) => view! { <p class="status status-error" role="alert">{e}</p> }.into_any(),
            Ok(ledger) => {
                // A new notice only while the child is away and the case not closed.
                let fresh = (ledger.began.is_some()
                    && ledger.case.as_ref().is_none_or(|c| c.closed.is_none()))
                .then(|| {
                    ReturnNotice::compose(
                        today,
                        &school,
                        &guardian,
                        &name,
                        &class,
                        ledger.began.map(|b| (b, ledger.days_absent)),
                        &me,
                    )
                });
                chosen(ledger, fresh, showing, issue, busy).into_any()
            }
        })
    };
    view! {
        // Above the sheet, where the teacher is when the print dialog closes.
        {move || status.get().map(|s| match s {
            Ok(text) => view! { <p class="status status-ok no-print" role="status">{text}</p> }.into_any(),
            Err(text) => view! { <p class="status status-error no-print" role="alert">{text}</p> }.into_any(),
        })}
        <Suspense fallback=|| view! { <p class="loading">"正在读取…"</p> }>{body}</Suspense>
    }
}

/// The list of notices issued, and the one chosen with what can be done with it.
fn chosen(
    ledger: Ledger,
    fresh: Option<ReturnNotice>,
    showing: RwSignal<Showing>,
    issue: impl Fn(ReturnNotice) + Copy + 'static,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let issued = ledger.notices;
    let shown = match showing.get() {
        Showing::Latest => issued.len().checked_sub(1),
        Showing::Issued(at) => Some(at).filter(|at| *at < issued.len()),
        Showing::New => None,
    };
    let list = (!issued.is_empty()).then(|| {
        let rows = issued
            .iter()
            .enumerate()
            .map(|(at, n)| {
                let label = format!(
                    "{}发出，限{}",
                    n.issued.format("%-m月%-d日"),
                    n.return_by.format("%-m月%-d日")
                );
                view! {
                    <li>
                        <button type="button" aria-pressed=move || (shown == Some(at)).to_string()
                            on:click=move |_| showing.set(Showing::Issued(at))>{label}</button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="card no-print" aria-labelledby="issued-title">
                <h3 id="issued-title">"已发出的通知书"</h3>
                <ul class="plain-list">{rows}</ul>
                {fresh.is_some().then(|| view! {
                    <button type="button" on:click=move |_| showing.set(Showing::New)>"按今天的情况填写新通知书"</button>
                })}
            </section>
        }
    });
    let sheet = match (shown.and_then(|at| issued.get(at).cloned()), fresh) {
        (Some(notice), _) => view! {
            <p class="detail no-print">{format!(
                "这是 {} 发出时的通知书，内容不随之后的考勤改变。",
                day_zh(notice.issued)
            )}</p>
            <Sheet notice/>
            <button type="button" class="primary wide no-print" on:click=|_| print()>"重新打印"</button>
        }
        .into_any(),
        (None, Some(notice)) => {
            let kept = notice.clone();
            view! {
                <p class="detail no-print">"按今天的考勤填写。点“发出并打印”后，这份通知书存入劝返记录，以后打开仍是发出时的内容。"</p>
                <Sheet notice/>
                <button type="button" class="primary wide no-print" disabled=move || busy.get()
                    on:click=move |_| issue(kept.clone())>"发出并打印"</button>
            }
            .into_any()
        }
        (None, None) => view! {
            <p>"该儿童没有正在劝返的无故缺勤，无需发出劝返复学通知书。"</p>
        }
        .into_any(),
    };
    view! { {list} {sheet} }
}

/// One notice on paper.
#[component]
fn Sheet(notice: ReturnNotice) -> impl IntoView {
    let blank = |text: &str, line: &str| {
        if text.is_empty() {
            line.to_string()
        } else {
            text.to_string()
        }
    };
    let school = blank(&notice.school, "__________学校");
    let guardian = blank(&notice.guardian, "__________");
    let contact = blank(&notice.contact, "__________");
    let (name, class) = (&notice.child, &notice.class);
    view! {
        <article class="print-sheet notice">
            <h2 class="print-title">{school.clone()}</h2>
            <h2 class="print-title">"劝返复学通知书"</h2>
            <p>{format!("{guardian}（{name} 的家长/监护人）：")}</p>
            <p class="indent">{format!("您的孩子 {name}（{class}）{}。", notice.absence_zh())}</p>
            <p class="indent">"根据《中华人民共和国义务教育法》第五条和《中华人民共和国未成年人保护法》第十六条、第二十八条的规定，父母或者其他监护人应当依法保证适龄儿童、少年按时入学，接受并完成义务教育，不得使其辍学。"</p>
            <p class="indent">{format!("请您接到本通知后，于 {} 前送孩子返校上课。如有困难，请及时与学校联系，学校将尽力帮助解决。", day_zh(notice.return_by))}</p>
            <p>{format!("联系人：{contact}　　联系电话：____________")}</p>
            <p class="sign">{format!("{school}（盖章）")}</p>
            <p class="sign">{day_zh(notice.issued)}</p>
            <hr class="cut"/>
            <h3>"回执"</h3>
            <p>{format!("本人已收到 {name} 的劝返复学通知书。")}</p>
            <p>"家长/监护人签名：____________　　日期：____________"</p>
        </article>
    }
}
