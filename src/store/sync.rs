//! The store's side of sync: it starts the driver once the device is enrolled, hands it every
//! document it has committed, takes in what changed on the server (merged, persisted, shown),
//! and adopts the school's index as the device's roster without losing a local line.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use automerge::Automerge;
use leptos::prelude::*;
use shouwang_core::access;
use shouwang_core::schema;
use shouwang_core::teachers::Role;
use shouwang_core::DocId;
use shouwang_repo::Action;

use super::arriving::yield_to_browser;
use super::documents::{Damaged, Opened};
use super::{remove_lines, Joined, SaveError, Store, StoreError};
use crate::sync::api::{self, Enrolment};
use crate::sync::driver::Driver;

thread_local! {
    /// One driver per page, started once the device is enrolled.
    static DRIVER: RefCell<Option<Rc<Driver>>> = const { RefCell::new(None) };
    /// Children whose registration is on its way or the server has answered, in this page's life.
    static ASKED: RefCell<HashSet<DocId>> = RefCell::new(HashSet::new());
}

pub(super) fn driver() -> Option<Rc<Driver>> {
    DRIVER.with(|d| d.borrow().clone())
}

impl Store {
    /// Enrols this device with a one-time code; "me" becomes the enrolled teacher and sync
    /// starts. The error is the Chinese sentence to show at the field.
    pub async fn enrol(self, code: &str, device_name: &str) -> Result<Enrolment, String> {
        let enrolment = api::enrol(code, device_name)
            .await
            .map_err(|e| e.to_string())?;
        crate::prefs::keep_token(&enrolment.token)
            .await
            .and_then(|()| crate::prefs::set_enrolment(&enrolment))
            .and_then(|()| {
                crate::prefs::set_me(&enrolment.me.teacher.id, &enrolment.me.teacher.name)
            })
            .map_err(|e| format!("登记成功，但本机无法保存登记信息（{e}），请重新输入登记码"))?;
        self.sync.enrolment.set(Some(enrolment.clone()));
        self.start_sync();
        Ok(enrolment)
    }

    /// Connects now (the 立即同步 button); a failure shown is tried again, so it is cleared.
    pub fn sync_now(self) {
        self.sync.failure.set(None);
        if let Some(driver) = driver() {
            driver.sync_now();
        }
    }

    /// Starts syncing if the device is enrolled: every document on the device is offered, the
    /// school's index and the documents it lists are asked for, then the socket opens.
    pub(super) fn start_sync(self) {
        let Some(enrolment) = crate::prefs::enrolment() else {
            return;
        };
        if driver().is_some() {
            return;
        }
        let on_remote = Box::new(move |ids: Vec<DocId>| self.arrived(ids));
        let storage_id = crate::prefs::actor().to_hex_string();
        let repo = self.inner.with_value(|inner| inner.repo.clone());
        let driver = Driver::new(enrolment.clone(), storage_id, repo, self.sync, on_remote);
        // The school founds its index and directory anew after an erasure and closes every
        // socket: the next connection asks for the new ones.
        driver.on_me(Box::new(move |me| {
            leptos::task::spawn_local(async move {
                let Some((driver, enrolment)) = self::driver().zip(crate::prefs::enrolment())
                else {
                    return;
                };
                let now = self.apply_me(enrolment.clone(), me);
                if now != enrolment {
                    if let Err(err) = self.offer_all(&driver, &now).await {
                        self.sync.failure.set(Some(err.to_string()));
                    }
                }
            });
        }));
        DRIVER.with(|d| *d.borrow_mut() = Some(driver.clone()));
        leptos::task::spawn_local(async move {
            let enrolment = self.refresh_enrolment(enrolment).await;
            if let Err(err) = self.offer_all(&driver, &enrolment).await {
                self.sync.failure.set(Some(err.to_string()));
            }
            driver.connect();
        });
    }

    /// Learns from the server who this device is now (the lead may have changed the teacher's
    /// role) and where the school's directory is; offline, the enrolment stays as it was.
    async fn refresh_enrolment(self, enrolment: Enrolment) -> Enrolment {
        match api::me(&enrolment.token).await {
            Ok(me) => self.apply_me(enrolment, me),
            Err(_) => enrolment,
        }
    }

    /// Keeps what the server says of this device: its teacher's role, its school's documents.
    fn apply_me(self, mut enrolment: Enrolment, me: api::Me) -> Enrolment {
        let index_url = me.index_url;
        if me.teacher == enrolment.me.teacher
            && me.directory_url == enrolment.me.directory_url
            && index_url == enrolment.me.index_url
        {
            return enrolment;
        }
        enrolment.me.teacher = me.teacher;
        // What the school replaced is remembered before the new ids are kept, so no reload in
        // between leaves the old documents (whose histories may hold what was erased) behind.
        let old_directory = enrolment.me.directory_url.clone();
        let replaced = [
            (
                Some(enrolment.me.index_url.clone()),
                Some(index_url.clone()),
            ),
            (old_directory, me.directory_url.clone()),
        ];
        for (old, new) in replaced {
            if let Some(old) = old.filter(|old| Some(old) != new.as_ref()) {
                if !enrolment.retired.contains(&old) {
                    enrolment.retired.push(old);
                }
            }
        }
        enrolment.me.directory_url = me.directory_url;
        enrolment.me.index_url = index_url;
        // Losing this only means asking again next time.
        let _ = crate::prefs::set_enrolment(&enrolment);
        self.sync.enrolment.set(Some(enrolment.clone()));
        enrolment
    }

    async fn offer_all(self, driver: &Driver, enrolment: &Enrolment) -> Result<(), StoreError> {
        let index_id = self.inner.with_value(|inner| inner.lists.index);
        let school_directory = enrolment.directory_id();
        let documents = self.documents()?;
        // Every document on the device is open from here on: sync works on each where it is.
        for id in documents.ids().await? {
            if self
                .inner
                .with_value(|inner| inner.repo.borrow().is_kept(&id))
            {
                continue;
            }
            // A damaged document stays out of sync; the screens already report it.
            if let Opened::Ready(loaded) = documents.load(id).await? {
                self.inner
                    .try_update_value(|inner| inner.open(id, *loaded))
                    .unwrap_or(Err(StoreError::Unavailable))?;
            }
        }
        let mut offered: Vec<DocId> = self.inner.with_value(|inner| {
            let repo = inner.repo.borrow();
            repo.ids()
                .filter(|id| repo.is_kept(id))
                .filter(|id| {
                    repo.doc(id)
                        .is_some_and(|doc| is_shared(enrolment, **id, doc))
                })
                .copied()
                .collect()
        });
        self.register_new(enrolment, &offered).await;
        // Dropped here, the directory is asked for again below.
        self.drop_refused_directory_changes(driver).await?;
        // A lead's phone takes focus reasons out of the directory every teacher reads; what it
        // writes is offered with every other save.
        if let Err(err) = self.move_focus_reasons().await {
            self.save_status.set(super::SaveStatus::Failed(err.into()));
        }
        // What the server already has of a child this teacher no longer works with leaves first.
        self.prune(driver).await?;
        self.drop_retired(driver).await?;
        // What left the phone meanwhile (pruned, erased, retired, refused) left the repository
        // with it: no second listing of storage.
        self.inner.with_value(|inner| {
            let repo = inner.repo.borrow();
            offered.retain(|id| repo.contains(id));
        });
        driver.share(&offered);
        if let Some(index) = enrolment.index_id() {
            if index_id != Some(index) {
                driver.request([index]);
            }
        }
        let directory_id = self.inner.with_value(|inner| inner.lists.directory);
        if let Some(school) = school_directory {
            if directory_id != Some(school) {
                driver.request([school]);
            }
        }
        self.request_listed(driver);
        Ok(())
    }

    /// Names the children among these documents that the school does not know yet, before any of
    /// them is sent: the server gives a child's documents only to those it knows are responsible,
    /// and a teacher who brings a child becomes its 班主任. Unreachable: the socket will not open
    /// either, and the next connection tries again.
    async fn register_new(self, enrolment: &Enrolment, docs: &[DocId]) {
        let known = self
            .read_directory(schema::directory::known_children)
            .unwrap_or_default();
        let new: Vec<DocId> = self.inner.with_value(|inner| {
            docs.iter()
                .filter(|id| {
                    !known.contains(id)
                        && !ASKED.with(|asked| asked.borrow().contains(id))
                        && inner
                            .doc(id)
                            .is_some_and(|doc| schema::read_child(&*doc).is_ok())
                })
                .copied()
                .collect()
        });
        if new.is_empty() {
            return;
        }
        // Marked before the request: two saves in quick succession (an import's batches) would
        // otherwise both send the same children while the first answer is on its way.
        ASKED.with(|asked| asked.borrow_mut().extend(new.iter().copied()));
        if api::register(&enrolment.token, &new).await.is_err() {
            ASKED.with(|asked| {
                let mut asked = asked.borrow_mut();
                for id in &new {
                    asked.remove(id);
                }
            });
        }
    }

    /// Whether this phone's teacher may see the child's archive (always, before enrolment).
    pub fn may_read(self, child: DocId) -> bool {
        self.sync.enrolment.with_untracked(Option::is_none) || self.readable().contains(&child)
    }

    /// The documents of listed children this device's teacher may see: the core's need-to-know
    /// rule, the one the server enforces.
    fn readable(self) -> HashSet<DocId> {
        let role = self
            .sync
            .enrolment
            .with_untracked(|e| e.as_ref().map(Enrolment::role))
            .unwrap_or(Role::Teacher);
        let me = crate::prefs::me_id();
        let assignments = self.assignments.get_untracked();
        let children = self.school_children();
        access::readable_documents(children, role, |child| assignments.held_by(&child, &me))
            .collect()
    }

    /// Every child of the school: on the roster, not attending (休学, 疑似辍学), or departed (its
    /// records kept for history, as on the server).
    fn school_children(self) -> Vec<DocId> {
        let mut children: Vec<DocId> = self
            .roster
            .with_untracked(|entries| entries.iter().map(|e| e.id).collect());
        self.others
            .with_untracked(|all| children.extend(all.iter().map(|l| l.id)));
        self.departed
            .with_untracked(|all| children.extend(all.iter().map(|(e, _)| e.id)));
        self.paused
            .with_untracked(|all| children.extend(all.iter().map(|(e, _)| e.id)));
        children
    }

    /// A child's documents this teacher may no longer see leave the device — each once the
    /// server has confirmed every change of it, so unsent work is delivered first and nothing
    /// is lost. A lead sees every child; a phone on its own keeps everything.
    async fn prune(self, driver: &Driver) -> Result<(), StoreError> {
        // An erased child leaves every phone, a lead's too, unsent work or not.
        for id in self.drop_erased().await? {
            driver.forget(&id);
        }
        let enrolled = self
            .sync
            .enrolment
            .with_untracked(|e| e.as_ref().map(Enrolment::role));
        if enrolled != Some(Role::Teacher) {
            return Ok(());
        }
        // Duties are read from the school's directory only, never from the phone's own.
        let school = self
            .sync
            .enrolment
            .with_untracked(|e| e.as_ref().and_then(Enrolment::directory_id));
        if school.is_none() || school != self.inner.with_value(|inner| inner.lists.directory) {
            return Ok(());
        }
        // The school's duties as they stand: what is new to her is said on her roster.
        self.note_given().await;
        let readable = self.readable();
        let documents = self.documents()?;
        let mut gone = Vec::new();
        let listed: HashSet<DocId> = self
            .school_children()
            .into_iter()
            .flat_map(access::child_documents)
            .map(|(id, _)| id)
            .collect();
        for id in documents.ids().await? {
            if !listed.contains(&id) || readable.contains(&id) {
                continue;
            }
            let heads = match self
                .inner
                .with_value(|inner| inner.repo.borrow().heads(&id))
            {
                Some(heads) => heads,
                None => match documents.load(id).await? {
                    Opened::Ready(stored) => stored.doc.get_heads(),
                    _ => continue,
                },
            };
            if !driver.delivered(&id, &heads) {
                continue;
            }
            self.forget_document(driver, id).await?;
            gone.push(id);
        }
        // Named before its line goes: the teacher is told who left her list, and that her work
        // on them reached the school.
        let names: Vec<String> = self.roster.with_untracked(|all| {
            all.iter()
                .filter(|line| gone.contains(&line.id))
                .map(|line| line.basic.name.clone())
                .collect()
        });
        self.note_handed_over(names).await;
        // A child whose archive left takes its full line (family facts, category) with it.
        let removed = self
            .inner
            .try_update_value(|inner| remove_lines(inner, &gone))
            .unwrap_or(Ok(false))?;
        if removed {
            self.refresh_roster();
            self.flush().await?;
        }
        Ok(())
    }

    /// The index and directory the school replaced leave the phone once it holds their
    /// successors; a lead's unsent directory edits were carried across when it took the new one.
    async fn drop_retired(self, driver: &Driver) -> Result<(), StoreError> {
        let Some(mut enrolment) = self.sync.enrolment.get_untracked() else {
            return Ok(());
        };
        if enrolment.retired.is_empty() {
            return Ok(());
        }
        let in_use = self
            .inner
            .with_value(|inner| [inner.lists.index, inner.lists.directory]);
        let held = self.documents()?.ids().await?;
        let mut kept = Vec::new();
        for url in std::mem::take(&mut enrolment.retired) {
            let Ok(id) = DocId::parse(&url) else {
                continue;
            };
            if in_use.contains(&Some(id)) {
                kept.push(url);
            } else if held.contains(&id) {
                self.forget_document(driver, id).await?;
            }
        }
        enrolment.retired = kept;
        // Kept in memory either way; a failed write only means sweeping again next time.
        let _ = crate::prefs::set_enrolment(&enrolment);
        self.sync.enrolment.set(Some(enrolment));
        Ok(())
    }

    /// A document leaves the phone: IndexedDB, memory, and the documents sync follows.
    pub(super) async fn forget_document(
        self,
        driver: &Driver,
        id: DocId,
    ) -> Result<(), StoreError> {
        self.documents()?.remove(id).await?;
        self.inner.update_value(|inner| {
            inner.repo.borrow_mut().remove(&id);
        });
        driver.forget(&id);
        self.changed(&[id]);
        Ok(())
    }

    /// Asks for the documents of every listed child that this device's teacher may see:
    /// records, talk cards and plans only where the teacher is responsible.
    pub(super) fn request_listed(self, driver: &Driver) {
        // What the phone holds goes out with its saves (a new child only after it is
        // registered); asking for it first would have the server turn it away as unknown. A
        // document only started in memory (a child's records opened before any record was
        // written) is asked for: another phone may write it first, and the server sends it on
        // only to a phone that asked.
        let ids: Vec<DocId> = self.inner.with_value(|inner| {
            let repo = inner.repo.borrow();
            self.readable()
                .into_iter()
                .filter(|id| !repo.is_kept(id))
                .collect()
        });
        driver.request(ids);
    }

    /// After a commit: the written documents' changes may go to the server now that they are
    /// stored (`Repo::written`); the school's documents new to sync (a child just added) join it
    /// once the server knows the child. Only what is safely on the device is ever sent.
    pub(super) fn offer_saved(self, ids: &[DocId]) {
        let release = move |ids: &[DocId]| -> Vec<Action> {
            self.inner
                .with_value(|inner| inner.repo.borrow_mut().written(ids))
        };
        let Some(driver) = driver() else {
            release(ids);
            return;
        };
        driver.touch(ids);
        let Some(enrolment) = self.sync.enrolment.get_untracked() else {
            driver.perform(release(ids));
            return;
        };
        let new: Vec<DocId> = self.inner.with_value(|inner| {
            let repo = inner.repo.borrow();
            ids.iter()
                .filter(|id| !repo.is_shared(id))
                .filter(|id| {
                    repo.doc(id)
                        .is_some_and(|doc| is_shared(&enrolment, **id, doc))
                })
                .copied()
                .collect()
        });
        if new.is_empty() {
            driver.perform(release(ids));
            return;
        }
        // The save's other documents (the index line naming the new child) wait for the
        // registration: a phone that learns of the child asks the server for it, and the server
        // answers that while it checks whether the child is new, which holds the registration up.
        let ids = ids.to_vec();
        leptos::task::spawn_local(async move {
            self.register_new(&enrolment, &new).await;
            driver.perform(release(&ids));
            driver.share(&new);
        });
    }

    /// What the phone stored of a document that arrived does not open: what arrived is not
    /// merged and the damaged copy not written over; the screens keep showing it, not the
    /// server's in its place.
    pub(super) fn set_aside(self, id: DocId, damaged: Damaged) -> SaveError {
        self.inner.update_value(|inner| {
            inner.repo.borrow_mut().remove(&id);
        });
        SaveError::KeptDamaged {
            what: self.described(id),
            reason: damaged.reason,
        }
    }

    /// A document as the teacher knows it: which of a listed child's documents it is (张小兰的档案,
    /// 张小兰的记录), or its id when the phone lists no such child.
    fn described(self, id: DocId) -> String {
        let mut children: Vec<(DocId, String)> = self
            .roster
            .with_untracked(|r| r.iter().map(|e| (e.id, e.basic.name.clone())).collect());
        self.others
            .with_untracked(|o| children.extend(o.iter().map(|l| (l.id, l.name.clone()))));
        children
            .into_iter()
            .find_map(|(child, name)| {
                let (_, class) = access::child_documents(child)
                    .into_iter()
                    .find(|(of, _)| *of == id)?;
                let what = match class {
                    access::DocClass::Records => "记录",
                    access::DocClass::Talks => "谈心记录",
                    access::DocClass::Plans => "个别教育方案与帮扶计划",
                    _ => "档案",
                };
                Some(format!("{name}的{what}"))
            })
            .unwrap_or_else(|| format!("档案 {id}"))
    }

    /// The school's lists as this phone knows them: the index and directory its enrolment
    /// names, and those it has open (older ones, until the new ones are adopted).
    pub(super) fn list_ids(self) -> [Option<DocId>; 4] {
        let (index, directory) = self.sync.enrolment.with_untracked(|e| {
            e.as_ref()
                .map(|e| (e.index_id(), e.directory_id()))
                .unwrap_or_default()
        });
        let open = self.inner.with_value(|inner| inner.lists);
        [index, directory, open.index, open.directory]
    }

    /// One of the school's lists changed on the server (`arriving.rs` takes in the rest): a new
    /// index or directory is adopted; otherwise merged with what the phone stored, persisted,
    /// read at once, and what it lists asked for.
    pub(super) async fn absorb_list(self, driver: &Driver, id: DocId) -> Result<(), SaveError> {
        if !self.inner.with_value(|inner| inner.has(&id)) {
            return Ok(());
        }
        let index = self
            .sync
            .enrolment
            .with_untracked(|e| e.as_ref().and_then(Enrolment::index_id));
        let index_id = self.inner.with_value(|inner| inner.lists.index);
        if Some(id) == index && index_id != index {
            self.adopt_index(driver, id).await?;
            return Ok(self.drop_retired(driver).await?);
        }
        let (school_directory, lead) = self.sync.enrolment.with_untracked(|e| {
            e.as_ref()
                .map(|e| (e.directory_id(), e.role() == Role::Lead))
                .unwrap_or_default()
        });
        let directory_id = self.inner.with_value(|inner| inner.lists.directory);
        if Some(id) == school_directory && directory_id != school_directory {
            self.adopt_directory(driver, id, lead).await?;
            // Her duties when the school's directory first reaches the phone are hers from the
            // start: seen now, so that only what the lead gives later is news.
            if !lead {
                self.note_given().await;
            }
            self.drop_retired(driver).await?;
            yield_to_browser().await;
            self.request_listed(driver);
            return Ok(());
        }
        if let Joined::Damaged(damaged) = self.join_stored(id).await? {
            return Err(self.set_aside(id, damaged));
        }
        // A school's list is hundreds of lines: opening it, merging it, listing it and asking
        // for what it lists each take their own task of the page. The phone shows it is still
        // syncing meanwhile (`Driver::taking_in`).
        yield_to_browser().await;
        self.take_in(vec![id])?;
        yield_to_browser().await;
        // The school's lists decide what is asked for next, so they are read at once.
        self.refresh_roster();
        yield_to_browser().await;
        self.request_listed(driver);
        if Some(id) == directory_id {
            self.prune(driver).await?;
        }
        self.flush().await?;
        self.keep_class_duties().await?;
        Ok(())
    }
}

/// Whether a document of this phone goes to the school: not the phone's own roster or directory
/// (kept on the phone, nobody else's: the school has its own), everything else. Told apart from
/// the school's index and directory by kind and id alone: this runs for every save's documents,
/// and the phone's roster of a school is hundreds of lines.
fn is_shared(enrolment: &Enrolment, id: DocId, doc: &Automerge) -> bool {
    if schema::is_kind(doc, schema::DocKind::Roster) {
        return Some(id) == enrolment.index_id();
    }
    if schema::is_kind(doc, schema::DocKind::Directory) {
        return Some(id) == enrolment.directory_id();
    }
    true
}
