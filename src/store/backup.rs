//! The backup file, on the store's side: every readable document on the phone goes into one
//! file sealed with a passphrase; importing one on another phone merges each document into the
//! one there (Automerge merges, nothing is overwritten) and puts its children on the roster.
//! For a phone that cannot reach the school for weeks, or one about to be replaced. A phone on
//! its own also backs up its directory (teachers, duties, pairing, settings), which a phone on
//! its own restoring the file takes into its own; an enrolled phone's comes from the school.

use automerge::Automerge;
use leptos::prelude::*;
use shouwang_core::teachers::Role;
use shouwang_core::{ChangeMeta, DocId};

use super::directory::is_directory;
use super::documents::{chunk_ops, Opened};
use super::{absorb, now_secs, SaveError, Store, StoreError};
use crate::crypt::backup::{self, Contents};

impl Store {
    /// Every document on the phone, as one file sealed with `passphrase`.
    pub async fn export_backup(self, passphrase: &str) -> Result<Vec<u8>, String> {
        shouwang_core::pin::check_passphrase(passphrase).map_err(|e| e.to_string())?;
        // What is queued goes to storage first, so the file holds what the screens show.
        self.flush().await.map_err(|e| e.to_string())?;
        let mut docs = Vec::new();
        // An enrolled phone's directory is the school's, on the server; a phone on its own has
        // nowhere else to keep its teachers and duties. Any other directory on the phone (its
        // own from before it joined the school) is no one's now.
        let enrolled = self.sync.enrolment.with_untracked(Option::is_some);
        let (lists, directory) = self.inner.with_value(|inner| {
            (
                [inner.lists.roster, inner.lists.index],
                inner.lists.directory.filter(|_| !enrolled),
            )
        });
        for (id, opened) in self
            .documents()
            .map_err(|e| e.to_string())?
            .load_all()
            .await
            .map_err(|e| e.to_string())?
        {
            // The phone's own lists are made again on the phone that imports; a damaged
            // document stays here, reported on its screen.
            if lists.contains(&Some(id)) {
                continue;
            }
            if let Opened::Ready(stored) = opened {
                if is_directory(&stored.doc) && directory != Some(id) {
                    continue;
                }
                docs.push((id.to_string(), stored.doc.save()));
            }
        }
        let (school, teacher) = self.sync.enrolment.with_untracked(|e| match e {
            Some(e) => (
                Some(e.me.school.id.clone()),
                Some((e.me.teacher.id.clone(), e.me.teacher.name.clone())),
            ),
            None => (None, None),
        });
        let contents = Contents {
            school,
            teacher,
            docs,
        };
        backup::seal(&contents, passphrase)
            .await
            .map_err(|e| e.to_string())
    }

    /// Merges a backup into this phone; returns what it brought. Anything wrong (passphrase,
    /// another school, a damaged file) writes nothing.
    pub async fn import_backup(self, file: &[u8], passphrase: &str) -> Result<Restored, String> {
        // Nothing typed is not a wrong passphrase: say what is missing.
        if passphrase.trim().is_empty() {
            return Err("请输入备份口令（做备份时设置的那一句）。未导入任何内容。".into());
        }
        let contents = backup::open(file, passphrase)
            .await
            .map_err(|e| e.to_string())?;
        let here = self.sync.enrolment.with_untracked(|e| {
            e.as_ref().map(|e| {
                (
                    e.me.school.id.clone(),
                    e.me.teacher.id.clone(),
                    e.role() == Role::Lead,
                )
            })
        });
        if let (Some(theirs), Some((ours, _, _))) = (&contents.school, &here) {
            if theirs != ours {
                return Err("此备份来自另一所学校的手机，不能导入本机。未导入任何内容。".into());
            }
        }
        // Another teacher's phone holds children this one does not work with: the school's
        // server would not share them here, and neither may a file. A care lead sees every
        // child, and may take in a leaving teacher's unsent work this way.
        if let (Some((theirs, name)), Some((_, me, false))) = (&contents.teacher, &here) {
            if theirs != me {
                return Err(format!(
                    "此备份来自{name}的手机，只能导入{name}本人的手机、关爱负责人的手机，或尚未登记的新手机。未导入任何内容。"
                ));
            }
        }
        // Every document is read before anything is merged: a bad one stops the whole import.
        let mut incoming = Vec::with_capacity(contents.docs.len());
        let mut directories = Vec::new();
        for (id, bytes) in &contents.docs {
            let id = DocId::parse(id).map_err(|_| backup::BackupError::Corrupt.to_string())?;
            let doc =
                Automerge::load(bytes).map_err(|_| backup::BackupError::Corrupt.to_string())?;
            // A directory is never merged as a document of its own: it is the phone's.
            if is_directory(&doc) {
                directories.push(doc);
            } else {
                incoming.push((id, doc));
            }
        }
        let directory = match (directories.is_empty(), here.is_some()) {
            (true, _) => DirectoryRestored::NotInBackup,
            (false, true) => DirectoryRestored::SchoolKeeps,
            (false, false) => DirectoryRestored::Restored,
        };
        if here.is_some() {
            directories.clear();
        }
        for (id, _) in &incoming {
            self.open_or_start(*id, &format!("本机的档案 {id} "), &|| {
                Ok(Automerge::new())
            })
            .await
            .map_err(|e| format!("{e}，未导入备份"))?;
        }
        let meta = ChangeMeta::new(crate::prefs::me(), "导入备份", now_secs());
        let today = chrono::Local::now().date_naive();
        let arrived = incoming
            .into_iter()
            .map(|(id, theirs)| (id, Some(theirs)))
            .collect();
        let children = self
            .inner
            .try_update_value(|inner| -> Result<usize, SaveError> {
                // The directory first: it says which children were erased, and the roster's
                // lines read it.
                for from in &directories {
                    let writes =
                        inner
                            .lists
                            .restore_directory(&mut inner.repo.borrow_mut(), from, &meta)?;
                    inner.pending.extend(chunk_ops(writes));
                }
                Ok(absorb(inner, arrived, &meta, today)?.len())
            })
            .unwrap_or(Err(SaveError::Store(StoreError::Unavailable)))
            .map_err(|e| e.to_string())?;
        self.refresh_roster();
        self.flush().await.map_err(|e| e.to_string())?;
        Ok(Restored {
            children,
            directory,
        })
    }
}

/// What importing a backup brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restored {
    /// How many children it put on the roster.
    pub children: usize,
    pub directory: DirectoryRestored,
}

/// What became of the backed-up phone's directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryRestored {
    /// The backup came from an enrolled phone: its directory is the school's, on the server.
    NotInBackup,
    /// Taken into this phone's own.
    Restored,
    /// This phone is enrolled: its directory is the school's, not the backup's.
    SchoolKeeps,
}
