//! Who inside a school receives which document: the share policy of a school's repo. Isolation
//! between schools is structural (one repo per school, see `school_repo.rs`); within one school
//! the core's `access::audience` decides from the accounts (roles, active devices) and the
//! directory (duties): a document the server cannot classify reaches nobody, and a read-only
//! grant makes samod ignore every change the device sends for that document. Nothing is ever
//! announced: a device gets only what it asks for (SYNC-PROTOCOL §5).

use std::sync::Arc;

use samod::{DocumentId, PeerId, ShareConfig, SharePolicy};
use shouwang_core::access::{self, Access as Grant, DocClass};
use tokio::sync::watch;

use crate::accounts::Accounts;
use crate::school_index::Access;

const READ_WRITE: ShareConfig = ShareConfig::read_write().with_announce(false);
const READ_ONLY: ShareConfig = ShareConfig::read_only().with_announce(false);
const DENY: ShareConfig = ShareConfig::none().with_announce(false);

/// The policy of one school's repo. Decisions are streams that follow both the accounts file
/// (a revoked device loses access at once) and the documents (a new duty grants access).
#[derive(Clone)]
pub struct Policy {
    pub school: String,
    /// Set once the school's repo has found (or founded anew) its index.
    pub index: Arc<std::sync::OnceLock<String>>,
    /// Set once the school's repo has found (or made) its directory.
    pub directory: Arc<std::sync::OnceLock<String>>,
    pub accounts: watch::Receiver<Arc<Accounts>>,
    pub access: watch::Receiver<Arc<Access>>,
}

/// The decision for one document and one peer, given the current accounts and documents.
pub fn decide(
    policy: &Policy,
    accounts: &Accounts,
    access: &Access,
    doc: &str,
    peer: &str,
) -> ShareConfig {
    let Some((_, teacher)) = accounts.active_peer(peer) else {
        return DENY;
    };
    if teacher.school != policy.school {
        return DENY;
    }
    let (class, duties) = if policy.index.get().is_some_and(|i| i == doc) {
        (DocClass::Index, Default::default())
    } else if policy.directory.get().is_some_and(|d| d == doc) {
        (DocClass::Directory, Default::default())
    } else {
        match access.classify(doc) {
            Some((child, class)) => (
                class,
                access.duties(child, &teacher.id, crate::server::now()),
            ),
            None => return DENY,
        }
    };
    match access::audience(class, teacher.role, &duties) {
        Grant::ReadWrite => READ_WRITE,
        Grant::Read => READ_ONLY,
        Grant::None => DENY,
    }
}

impl SharePolicy for Policy {
    fn share(
        &self,
        doc_id: DocumentId,
        peer_id: PeerId,
    ) -> impl futures::Stream<Item = ShareConfig> + Send + 'static {
        let this = self.clone();
        let doc = doc_id.to_string();
        let peer = peer_id.as_str().to_string();
        futures::stream::unfold((true, this), move |(first, mut this)| {
            let (doc, peer) = (doc.clone(), peer.clone());
            async move {
                if !first {
                    // Either input changing re-decides; samod drops a decision equal to the last.
                    tokio::select! {
                        changed = this.accounts.changed() => changed.ok()?,
                        changed = this.access.changed() => changed.ok()?,
                    }
                }
                let decision = {
                    let accounts = this.accounts.borrow_and_update().clone();
                    let access = this.access.borrow_and_update().clone();
                    decide(&this, &accounts, &access, &doc, &peer)
                };
                Some((decision, (false, this)))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{Device, School, Teacher};
    use shouwang_core::schema::{self, directory, records};
    use shouwang_core::teachers::{Duty, Role};
    use shouwang_core::{ChangeMeta, DocId};

    fn accounts() -> Accounts {
        let teacher = |id: &str, school: &str, role| Teacher {
            id: id.into(),
            school: school.into(),
            name: id.into(),
            role,
            created: 0,
            left: None,
        };
        let device = |id: &str, teacher: &str, revoked| Device {
            id: id.into(),
            teacher: teacher.into(),
            name: String::new(),
            token_sha256: String::new(),
            created: 0,
            revoked,
            last_seen: None,
            told_to_erase: None,
        };
        let school = |id: &str| School {
            id: id.into(),
            name: id.into(),
            index_doc: format!("index-{id}"),
            directory_doc: Some(format!("directory-{id}")),
            retired_docs: Vec::new(),
            instance: None,
            created: 0,
        };
        Accounts {
            schools: vec![school("a"), school("b")],
            teachers: vec![
                teacher("assigned", "a", Role::Teacher),
                teacher("other", "a", Role::Teacher),
                teacher("lead", "a", Role::Lead),
                teacher("elsewhere", "b", Role::Lead),
            ],
            devices: vec![
                device("d1", "assigned", None),
                device("d2", "other", None),
                device("d3", "lead", None),
                device("d4", "elsewhere", None),
                device("d5", "assigned", Some(1)),
            ],
            ..Accounts::default()
        }
    }

    fn policy(access: Access) -> (Policy, Access) {
        let (_, accounts_rx) = watch::channel(Arc::new(Accounts::default()));
        let (_, access_rx) = watch::channel(Arc::new(access.clone()));
        let policy = Policy {
            school: "a".into(),
            index: Arc::new("index-a".to_string().into()),
            directory: Arc::new("directory-a".to_string().into()),
            accounts: accounts_rx,
            access: access_rx,
        };
        (policy, access)
    }

    #[test]
    fn each_document_reaches_only_its_audience() {
        let child = DocId::from_random([7; 16]);
        let index = crate::school_index::new_index(0).expect("index");
        let mut directory = crate::school_index::new_directory(0, None).expect("directory");
        schema::change(&mut directory, &ChangeMeta::new("t", "t", 0), |tx| {
            directory::register_child(tx, child, "lead", 0)?;
            directory::set_duty(tx, child, "assigned", Some(Duty::ClassTeacher))
        })
        .expect("duty");
        let (policy, access) = policy(Access::read(&index, &directory));
        let accounts = accounts();
        let talks = records::talks_id(child).to_string();
        let archive = child.to_string();
        let cases = [
            (talks.as_str(), "d1", READ_WRITE),
            (talks.as_str(), "d2", DENY),
            (talks.as_str(), "d3", READ_WRITE),
            (talks.as_str(), "d4", DENY),
            (talks.as_str(), "d5", DENY),
            (archive.as_str(), "d1", READ_WRITE),
            (archive.as_str(), "d2", DENY),
            (archive.as_str(), "d4", DENY),
            ("index-a", "d2", READ_WRITE),
            ("directory-a", "d2", READ_ONLY),
            ("directory-a", "d3", READ_WRITE),
            ("directory-a", "d4", DENY),
            ("unknown-document", "d3", DENY),
            (archive.as_str(), "stranger", DENY),
        ];
        for (doc, device, expected) in cases {
            let peer = format!("device-{device}");
            let got = decide(&policy, &accounts, &access, doc, &peer);
            assert_eq!(got, expected, "{doc} for {device}");
        }
    }
}
