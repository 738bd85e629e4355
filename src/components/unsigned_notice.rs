//! The warning on a record form of a phone whose teacher has not said who they are (设置 →
//! 我是哪位老师): a record is signed with that name when it is written, so one saved before shows
//! 未署名 for good and counts towards no teacher's work. Enrolled phones know their teacher.

use leptos::prelude::*;

/// Nothing once a teacher is chosen on this phone.
pub fn unsigned_notice() -> impl IntoView {
    crate::prefs::me().trim().is_empty().then(|| {
        view! {
            <p class="status status-warn" role="note">
                "还没有选择你是哪位老师：现在保存的记录将显示为“未署名”，也不计入你的工作。"
                <a href="/settings">"去设置中选择"</a>
            </p>
        }
    })
}
