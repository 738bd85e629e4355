//! The school's figures for the county (教育局): the care lead's enrolled phone publishes them
//! into the directory whenever its dashboard is computed and they changed (`Published::replaces`),
//! so the county's totals are the schools' own dashboards. Counts only (`stats::figures`).

use shouwang_core::schema::figures;
use shouwang_core::stats::figures::Published;

use leptos::prelude::*;

use super::{SaveError, Store};

impl Store {
    /// Publishes `published` when this phone may (an enrolled care lead's: only such a phone's
    /// directory reaches the server, which shares it read-only with everyone else) and it differs
    /// from what the directory holds.
    pub async fn publish_figures(self, published: Published) -> Result<(), SaveError> {
        let enrolled = self.sync.enrolment.with_untracked(Option::is_some);
        if !enrolled || !self.can_change_directory() {
            return Ok(());
        }
        let held = self
            .read_directory(|doc| Ok(figures::read_figures(doc)))
            .flatten();
        if !published.replaces(held.as_ref()) {
            return Ok(());
        }
        self.write_directory("更新上报统计", move |tx| {
            figures::put_figures(tx, &published)
        })
        .await
    }
}
