//! The children whose duty for this teacher ended and whose documents left the phone (`prune`,
//! once the school had every change of them): kept sealed like a draft until she has read the
//! roster's notice, so a reload or a locked phone does not lose it and a child never just
//! vanishes from her list. Names are the children's: never in unsealed storage.

use leptos::prelude::*;

use super::Store;

/// The sealed draft the names are kept under (no form has this name).
const HANDED_OVER: &str = "notice:handed-over";

impl Store {
    /// Adds children to the notice; kept on the phone until dismissed.
    pub(super) async fn note_handed_over(self, names: Vec<String>) {
        if names.is_empty() {
            return;
        }
        self.handed_over.update(|all| {
            for name in names {
                if !all.contains(&name) {
                    all.push(name);
                }
            }
        });
        let all = self.handed_over.get_untracked();
        self.put_draft(HANDED_OVER, &all).await;
    }

    /// The notice as the phone kept it, read when the records open.
    pub(super) async fn recall_handed_over(self) {
        let kept: Vec<String> = self.draft(HANDED_OVER).await.unwrap_or_default();
        self.handed_over.set(kept);
    }

    /// She has read it. The notice goes once the phone has forgotten it: a reload straight after
    /// the tap must not bring it back, and if the phone cannot forget it, it stays with the save
    /// failure shown.
    pub async fn dismiss_handed_over(self) {
        if self.discard_draft(HANDED_OVER).await {
            self.handed_over.set(Vec::new());
        }
    }
}
