//! The school's other children below the roster: those whose documents are not on this phone,
//! as the school's index lists them to every teacher — name and class, nothing more (need to
//! know). A teacher sees who is in the school; the care lead decides who works with whom.

use leptos::prelude::*;

use crate::store::Store;

#[component]
pub fn OtherChildren() -> impl IntoView {
    let store = expect_context::<Store>();
    move || {
        let others = store.others.get();
        (!others.is_empty()).then(|| {
            let count = others.len();
            let rows = others
                .into_iter()
                .map(|child| {
                    view! {
                        <li><a href=format!("/child/{}", child.id)>
                            {format!("{} · {}", child.name, child.class_label_zh())}
                        </a></li>
                    }
                })
                .collect_view();
            view! {
                <details class="card others" open>
                    <summary>{format!("本校其他儿童（{count} 名）")}</summary>
                    <p class="hint">"只显示姓名和班级。档案只给负责教师和关爱负责人查看。"</p>
                    <ul class="plain-list">{rows}</ul>
                </details>
            }
        })
    }
}
