//! Children the care lead newly gave this teacher (`shouwang_core::given`): read from the school's
//! directory each time the phone takes it in, kept sealed like a draft so that a reload or a
//! locked phone still tells her, and said on the roster until she taps 知道了.

use leptos::prelude::*;
use shouwang_core::given::Given;

use super::Store;

/// The sealed draft the duties already seen and the news are kept under (no form has this name).
const GIVEN: &str = "notice:given";

impl Store {
    /// Compares the duties the school's directory gives her now with those the phone last saw;
    /// what is new is kept for the roster's notice. Her duties at the phone's first look are not
    /// news: she was enrolled for them.
    pub(super) async fn note_given(self) {
        let me = crate::prefs::me_id();
        let now = self.assignments.with_untracked(|a| a.held(&me));
        let mut given: Given = self.draft(GIVEN).await.unwrap_or_default();
        if given.observe(now) {
            self.given.set(given.news.clone());
            self.put_draft(GIVEN, &given).await;
        }
    }

    /// The notice as the phone kept it, read when the records open.
    pub(super) async fn recall_given(self) {
        let given: Given = self.draft(GIVEN).await.unwrap_or_default();
        self.given.set(given.news);
    }

    /// She has read it; the duties stay known.
    pub async fn dismiss_given(self) {
        let mut given: Given = self.draft(GIVEN).await.unwrap_or_default();
        given.dismiss();
        // Said as read once the phone keeps it so: a reload straight after the tap must not
        // bring it back.
        if self.put_draft(GIVEN, &given).await {
            self.given.set(given.news.clone());
        }
    }
}
