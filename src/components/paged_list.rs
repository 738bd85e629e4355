//! Long lists drawn a page at a time, with 显示更多 under them. Right after a school of 600 is
//! imported every child still lacks family facts, a call to the parents and a helper: 关爱检查 was
//! 84,000 pixels tall at 360 px wide (600 names needing facts above what is overdue, 600 parents
//! out of touch below it) and 结对帮扶 40,000. The count is said; the first page is what the lead
//! works through (her own children first where the list orders them so), and a tap draws more.

use leptos::prelude::*;
use shouwang_core::DocId;

/// Names drawn at first and per tap: about a screen of them on a phone.
pub const NAMES_PAGE: usize = 20;

/// How many rows of one list are drawn, a page more per tap on 显示更多.
#[derive(Clone, Copy)]
pub struct Pages {
    shown: RwSignal<usize>,
    page: usize,
}

impl Pages {
    pub fn new(page: usize) -> Self {
        Pages {
            shown: RwSignal::new(page),
            page,
        }
    }

    /// The rows to draw now (tracked: the list redraws when a page is added).
    pub fn shown(self) -> usize {
        self.shown.get()
    }

    /// The first rows of `items` to draw, numbered: keyed by position, a tap on 显示更多 draws
    /// the next page and leaves the drawn rows alone.
    pub fn drawn<T: Clone>(self, items: &[T]) -> Vec<(usize, T)> {
        items
            .iter()
            .take(self.shown())
            .cloned()
            .enumerate()
            .collect()
    }

    /// 显示更多 under a list of `total` rows while some are not drawn; `unit` counts them (项, 名).
    pub fn more(
        self,
        total: impl Fn() -> usize + Send + Sync + 'static,
        unit: &'static str,
    ) -> impl IntoView {
        move || {
            let left = total().saturating_sub(self.shown.get());
            (left > 0).then(|| {
                view! {
                    <button type="button" class="secondary more"
                        on:click=move |_| self.shown.update(|n| *n += self.page)>
                        {format!("显示更多（还有 {left} {unit}）")}
                    </button>
                }
            })
        }
    }
}

/// Links to children's screens, each with its text, a page at a time.
#[component]
pub fn ChildLinks(
    links: Vec<(DocId, String)>,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    let pages = Pages::new(NAMES_PAGE);
    let total = links.len();
    let links = StoredValue::new(links);
    let drawn = move || links.with_value(|links| pages.drawn(links));
    view! {
        <ul id=id class=class>
            <For each=drawn key=|(n, _)| *n children=|(_, (child, text))| view! {
                <li><a href=format!("/child/{child}")>{text}</a></li>
            }/>
        </ul>
        {pages.more(move || total, "名")}
    }
}
