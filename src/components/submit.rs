//! The save path every form shares: check the draft, show the problems at their fields, save
//! once (a second tap while saving does nothing), then return to the child's records saying what
//! was saved (a care record) or say it beside the button (a form among others on one page, the
//! plans) — or say, in Chinese, why nothing was saved.

use std::future::Future;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use shouwang_core::input::InputError;

use crate::components::input_error::{self, Errors};
use crate::components::notice::Flash;
use crate::components::save_status::SaveStatusLine;
use crate::store::SaveError;

/// Goes to an address inside the app.
type Go = Box<dyn Fn(&str)>;

#[derive(Clone, Copy)]
pub struct Submit {
    pub saving: RwSignal<bool>,
    pub failure: RwSignal<Option<String>>,
    /// What the last save did, for a form that stays on screen (`run_here`).
    saved: RwSignal<Option<String>>,
    navigate: StoredValue<Go, LocalStorage>,
    flash: Flash,
}

impl Submit {
    /// Made inside a component (it needs the router and the flash).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let navigate = use_navigate();
        Submit {
            saving: RwSignal::new(false),
            failure: RwSignal::new(None),
            saved: RwSignal::new(None),
            navigate: StoredValue::new_local(Box::new(move |to: &str| {
                navigate(to, NavigateOptions::default())
            }) as Go),
            flash: expect_context::<Flash>(),
        }
    }

    /// Saves what `checked` holds, or shows its errors. After a save, shows `done` on `to`.
    pub fn run<T, Fut>(
        self,
        checked: Result<T, Vec<InputError>>,
        errors: Errors,
        save: impl FnOnce(T) -> Fut + 'static,
        done: String,
        to: String,
    ) where
        T: 'static,
        Fut: Future<Output = Result<(), SaveError>> + 'static,
    {
        self.save(checked, errors, save, move |s, queued| {
            match queued {
                // 已保存：成长日记 → 成长日记已记下，但还没有存入手机：…, until 重试 stores it.
                Some(warning) => {
                    let what = done.strip_prefix("已保存：").unwrap_or(&done);
                    s.flash
                        .show_queued(format!("{what}{warning}"), done.clone());
                }
                None => s.flash.show(done),
            }
            s.navigate.with_value(|go| go(&to));
        });
    }

    /// The same for a form that stays on screen after a save (a page of several forms): `done`
    /// is said beside its button (`inline_footer`).
    pub fn run_here<T, Fut>(
        self,
        checked: Result<T, Vec<InputError>>,
        errors: Errors,
        save: impl FnOnce(T) -> Fut + 'static,
        done: String,
    ) where
        T: 'static,
        Fut: Future<Output = Result<(), SaveError>> + 'static,
    {
        self.save(checked, errors, save, move |s, queued| {
            s.saved.set(Some(done));
            s.failure.set(queued);
        });
    }

    /// `run_here` for an edit of what the screen showed: `save(value, shown)` writes only what
    /// the user changed from `shown`, and after a save what was saved is what the screen shows
    /// (`kept(&value)`), so a second save compares with it and not with the first.
    pub fn run_edit_here<T, S, Fut>(
        self,
        checked: Result<T, Vec<InputError>>,
        errors: Errors,
        shown: StoredValue<S>,
        save: impl FnOnce(T, S) -> Fut + 'static,
        kept: impl FnOnce(&T) -> S + 'static,
        done: String,
    ) where
        T: 'static,
        S: Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<(), SaveError>> + 'static,
    {
        let edit = move |value: T| {
            let now = kept(&value);
            let saved = save(value, shown.get_value());
            async move {
                let saved = saved.await;
                if saved.is_ok() {
                    shown.set_value(now);
                }
                saved
            }
        };
        self.run_here(checked, errors, edit, done);
    }

    fn save<T, Fut>(
        self,
        checked: Result<T, Vec<InputError>>,
        errors: Errors,
        save: impl FnOnce(T) -> Fut + 'static,
        then: impl FnOnce(Self, Option<String>) + 'static,
    ) where
        T: 'static,
        Fut: Future<Output = Result<(), SaveError>> + 'static,
    {
        if self.saving.get_untracked() {
            return;
        }
        self.saved.set(None);
        let value = match checked {
            Ok(value) => value,
            Err(found) => {
                errors.set(found);
                self.failure.set(Some("请按红字提示改正后再保存。".into()));
                input_error::reveal_first();
                return;
            }
        };
        errors.set(Vec::new());
        self.failure.set(None);
        self.saving.set(true);
        leptos::task::spawn_local(async move {
            let result = save(value).await;
            let _ = self.saving.try_set(false);
            match result {
                Ok(()) => then(self, None),
                // Made on the phone and queued for 重试: gone on with as saved, the warning said,
                // since a second 保存 would make it twice.
                Err(err @ SaveError::Queued(_)) => then(self, Some(err.to_string())),
                Err(err) => {
                    let _ = self.failure.try_set(Some(err.to_string()));
                }
            }
        });
    }

    /// The end of a form that stays on screen: what the last save did, and the save button.
    pub fn inline_footer(self, label: &'static str) -> impl IntoView {
        self.lines_and_button(label, "primary")
    }

    /// The bottom of the form: storage state, what the last save did or why it failed, and the
    /// save button.
    pub fn footer(self, label: &'static str) -> impl IntoView {
        view! {
            <div class="actions sticky-actions">
                <SaveStatusLine/>
                {self.lines_and_button(label, "primary wide")}
            </div>
        }
    }

    /// What the last save did or why it failed, and the button, which says 正在保存… meanwhile.
    fn lines_and_button(self, label: &'static str, class: &'static str) -> impl IntoView {
        let Submit {
            saving,
            failure,
            saved,
            ..
        } = self;
        view! {
            {move || saved.get().map(|m| view! { <p class="status status-ok" role="status">{m}</p> })}
            {move || failure.get().map(|m| view! { <p class="status status-error" role="alert">{m}</p> })}
            <button type="submit" class=class disabled=move || saving.get()>
                {move || if saving.get() { "正在保存…" } else { label }}
            </button>
        }
    }
}
