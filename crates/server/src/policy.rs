//! Who inside a school receives which document: the share policy of a school's repo. Isolation
//! between schools is structural (one repo per school, see `school_repo.rs`); this decides within
//! one school: talk cards only to their child's assigned teachers and to leads, everything else to
//! every active device of the school. Nothing is ever announced: a device gets only what it asks
//! for (SYNC-PROTOCOL §5).

use std::sync::Arc;

use samod::{DocumentId, PeerId, ShareConfig, SharePolicy};
use tokio::sync::watch;

use crate::accounts::{Accounts, Role};
use crate::school_index::Access;

const ALLOW: ShareConfig = ShareConfig::read_write().with_announce(false);
const DENY: ShareConfig = ShareConfig::none().with_announce(false);

/// The policy of one school's repo. Decisions are streams that follow both the accounts file
/// (a revoked device loses access at once) and the index (a new assignment grants access).
#[derive(Clone)]
pub struct Policy {
    pub school: String,
    pub index: String,
    pub accounts: watch::Receiver<Arc<Accounts>>,
    pub access: watch::Receiver<Arc<Access>>,
}

/// The decision for one document and one peer, given the current accounts and index.
pub fn decide(
    school: &str,
    index: &str,
    accounts: &Accounts,
    access: &Access,
    doc: &str,
    peer: &str,
) -> ShareConfig {
    let Some((_, teacher)) = accounts.active_peer(peer) else {
        return DENY;
    };
    if teacher.school != school {
        return DENY;
    }
    if doc == index || teacher.role == Role::Lead {
        return ALLOW;
    }
    match access.talks_child(doc) {
        Some(child) if !access.is_assigned(child, &teacher.id) => DENY,
        _ => ALLOW,
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
                    let accounts = this.accounts.borrow_and_update();
                    let access = this.access.borrow_and_update();
                    decide(&this.school, &this.index, &accounts, &access, &doc, &peer)
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

    fn accounts() -> Accounts {
        let teacher = |id: &str, school: &str, role| Teacher {
            id: id.into(),
            school: school.into(),
            name: id.into(),
            role,
            created: 0,
        };
        let device = |id: &str, teacher: &str, revoked| Device {
            id: id.into(),
            teacher: teacher.into(),
            name: String::new(),
            token_sha256: String::new(),
            created: 0,
            revoked,
        };
        let school = |id: &str| School {
            id: id.into(),
            name: id.into(),
            index_doc: format!("index-{id}"),
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
            codes: vec![],
        }
    }

    #[test]
    fn talk_cards_reach_assigned_teachers_and_leads_only() {
        let accounts = accounts();
        let mut access = Access::default();
        access.talks.insert("talks".into(), "child".into());
        access
            .assigned
            .insert("child".into(), ["assigned".to_string()].into());
        let cases = [
            ("talks", "d1", ALLOW),
            ("talks", "d2", DENY),
            ("talks", "d3", ALLOW),
            ("talks", "d4", DENY),
            ("talks", "d5", DENY),
            ("record", "d2", ALLOW),
            ("record", "d4", DENY),
            ("record", "d5", DENY),
            ("index-a", "d2", ALLOW),
            ("record", "stranger", DENY),
        ];
        for (doc, device, expected) in cases {
            let peer = format!("device-{device}");
            let got = decide("a", "index-a", &accounts, &access, doc, &peer);
            assert_eq!(got, expected, "{doc} for {device}");
        }
    }
}
