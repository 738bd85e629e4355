//! The school's 控辍保学 and group work this term in a few lines, on 关爱检查 and the statistics:
//! children 疑似辍学, 辍学 and 休学 now, this term's cases and returns, the classes not yet called
//! on the school day (`roll_call_check.rs`), days absent by reason, and
//! group sessions by kind — with the way to the school's 控辍保学 page.

use std::rc::Rc;

use leptos::prelude::*;
use shouwang_core::status::Status;

use crate::components::roll_call_check::RollCallCheck;
use crate::components::school_data::Figures;

pub fn control_summary(f: &Rc<Figures>) -> impl IntoView {
    let c = &f.control;
    let cases = format!(
        "疑似辍学 {} 人，辍学 {} 人，休学 {} 人；本学期登记疑似辍学 {} 人，劝返复学 {} 人，确认辍学 {} 人。",
        c.count(Status::SuspectedDropout),
        c.count(Status::DroppedOut),
        c.count(Status::Suspended),
        c.cases_opened,
        c.returned,
        c.confirmed
    );
    let absences = format!(
        "本学期缺勤 {} 人天：病假 {}，事假 {}，无故缺勤 {}。",
        c.absences.total(),
        c.absences.sick,
        c.absences.personal,
        c.absences.unexcused
    );
    let sessions = if c.sessions.is_empty() {
        "本学期还没有集体活动记录。".to_string()
    } else {
        let kinds = c
            .sessions
            .iter()
            .map(|t| format!("{} {} 次", t.kind.label_zh(), t.sessions))
            .collect::<Vec<_>>()
            .join("，");
        format!("本学期集体活动 {} 次：{kinds}。", c.sessions_total())
    };
    view! {
        <section class="card" aria-labelledby="control-title">
            <h2 id="control-title">"控辍保学与集体活动（本学期）"</h2>
            <p id="control-cases">{cases}</p>
            <RollCallCheck/>
            <p id="control-absences">{absences}</p>
            <p id="control-sessions">{sessions}</p>
            <p><a href="/dropouts">"控辍保学：疑似辍学、劝返与月报"</a>" · "<a href="/sessions">"集体活动"</a></p>
        </section>
    }
}
