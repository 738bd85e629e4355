//! The registration form's children: every child on this phone's roster whom the official
//! definition counts 留守, read whole (basics and archive) for the 登记表. Documents not already
//! open are loaded, read and dropped again, as the school's figures are gathered.

use automerge::Automerge;
use leptos::prelude::*;
use shouwang_core::family::Category;
use shouwang_core::register_form::FormChild;
use shouwang_core::roster::sort_for_list;
use shouwang_core::schema::{self, SchemaError};

use super::documents::Opened;
use super::{SaveError, Store};

/// The children the form lists, in register order, and how many archives could not be read.
pub struct FormChildren {
    pub children: Vec<FormChild>,
    pub unreadable: usize,
}

impl Store {
    /// Reads the archives of the children the roster's flags call 留守 (officially), telling
    /// `progress` (read, to read) as it goes. Measured as `shouwang:register-data`.
    pub async fn form_children(
        self,
        progress: impl Fn(usize, usize),
    ) -> Result<FormChildren, SaveError> {
        let started = crate::js::now_ms();
        let documents = self.documents()?;
        // Every child on the books: one 休学 or 疑似辍学 is still on the bureau's list.
        let mut roster: Vec<_> = leptos::prelude::untrack(|| self.on_books())
            .into_iter()
            .filter(|e| e.flags.category.is_some_and(Category::is_left_behind))
            .collect();
        sort_for_list(&mut roster);
        let today = chrono::Local::now().date_naive();
        let (mut children, mut unreadable) = (Vec::with_capacity(roster.len()), 0);
        for (n, entry) in roster.iter().enumerate() {
            if n % 25 == 0 {
                progress(n, roster.len());
            }
            let open = self
                .inner
                .with_value(|inner| inner.doc(&entry.id).map(|doc| read(&doc)));
            let found = match open {
                Some(found) => found.ok(),
                None => match documents.load(entry.id).await? {
                    Opened::Ready(stored) => read(&stored.doc).ok(),
                    Opened::Missing | Opened::Damaged(_) => None,
                },
            };
            match found {
                // The roster's flag is as of the last save; the form asks the archive today.
                Some(child) if child.on_form(today) => children.push(child),
                Some(_) => {}
                None => unreadable += 1,
            }
        }
        crate::js::record_measure("shouwang:register-data", started, crate::js::now_ms());
        Ok(FormChildren {
            children,
            unreadable,
        })
    }
}

fn read(doc: &Automerge) -> Result<FormChild, SchemaError> {
    Ok(FormChild {
        basic: schema::read_child(doc)?.basic,
        archive: schema::archive::read_archive(doc)?,
    })
}
