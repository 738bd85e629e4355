//! The line under a one-tap action (完成, 取消, 我来结对帮扶, 保留“…”): what it stored, once
//! IndexedDB has it, or why it could not be stored; 撤销 beside it where a tap is easily a slip.
//!
//! A tap shows its change at once, before it is stored. Without this line nothing told a
//! teacher when she could close the app; a form says it with its button (`Submit`).

use std::fmt::Display;
use std::future::Future;

use leptos::prelude::*;

/// What the last tap said, and where: the place names the part of a screen drawn anew by the
/// change (a visit on the timeline, an archive section), so the line shows where the tap was.
#[derive(Clone)]
struct Said {
    at: Option<String>,
    outcome: Result<String, String>,
    /// Takes the stored change back (撤销), offered beside what it stored.
    undo: Option<Undo>,
}

/// What takes a tap back: kept by the line, not by the view it was made in (a row the change
/// redrew is gone, and a callback owned by it with it).
pub type Undo = std::sync::Arc<dyn Fn() + Send + Sync>;

#[derive(Clone, Copy)]
pub struct TapResult(RwSignal<Option<Said>>);

impl TapResult {
    /// Made by the component that outlives the tap's own view: a list redrawn by the change
    /// would take the line with it.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        TapResult(RwSignal::new(None))
    }

    /// Stores `write`'s change; says `done` once it is stored, or the reason it was not.
    pub fn run<E: Display>(
        self,
        done: String,
        write: impl Future<Output = Result<(), E>> + 'static,
    ) {
        self.start(None, done, write, None);
    }

    /// A change with 撤销 beside its line once stored: `write(true)` makes it, `write(false)`
    /// takes it back. A one-tap change made by mistake (完成 or 取消 on the wrong row) is taken
    /// back where it was made; said only by `line_at(at)` when `at` is given.
    pub fn run_reversible<E, Fut>(
        self,
        at: Option<String>,
        (done, undone): (String, String),
        write: impl Fn(bool) -> Fut + Send + Sync + 'static,
    ) where
        E: Display,
        Fut: Future<Output = Result<(), E>> + 'static,
    {
        let write = std::sync::Arc::new(write);
        let back = write.clone();
        let at_again = at.clone();
        let undo: Undo = std::sync::Arc::new(move || {
            self.start(at_again.clone(), undone.clone(), back(false), None)
        });
        self.start(at, done, write(true), Some(undo));
    }

    /// The same, said only by `line_at(at)`.
    pub fn run_at<E: Display>(
        self,
        at: String,
        done: String,
        write: impl Future<Output = Result<(), E>> + 'static,
    ) {
        self.start(Some(at), done, write, None);
    }

    fn start<E: Display>(
        self,
        at: Option<String>,
        done: String,
        write: impl Future<Output = Result<(), E>> + 'static,
        undo: Option<Undo>,
    ) {
        self.0.set(None);
        leptos::task::spawn_local(async move {
            let outcome = write.await.map(|()| done).map_err(|e| e.to_string());
            // The page may have been left meanwhile; the change is stored either way.
            let _ = self.0.try_set(Some(Said { at, outcome, undo }));
        });
    }

    /// Says why the tap did nothing (a choice missing).
    pub fn refuse(self, why: impl Into<String>) {
        self.0.set(Some(Said {
            at: None,
            outcome: Err(why.into()),
            undo: None,
        }));
    }

    /// The last tap's line, wherever it was made.
    pub fn line(self) -> impl IntoView {
        self.line_where(None)
    }

    /// The last tap's line if it was made at `at`.
    pub fn line_at(self, at: String) -> impl IntoView {
        self.line_where(Some(at))
    }

    fn line_where(self, at: Option<String>) -> impl IntoView {
        move || {
            let said = self.0.get()?;
            if at.is_some() && said.at != at {
                return None;
            }
            Some(match said.outcome {
                Ok(done) => view! {
                    <p class="status status-ok" role="status">
                        {done}
                        {said.undo.map(|undo| view! {
                            " "
                            <button type="button" on:click=move |_| undo()>"撤销"</button>
                        })}
                    </p>
                }
                .into_any(),
                Err(why) => {
                    view! { <p class="status status-error" role="alert">{why}</p> }.into_any()
                }
            })
        }
    }
}
