//! `POST /api/children`: a phone names the children it created before it sends their documents,
//! and learns what became of each.

use serde::{Deserialize, Serialize};

/// The body: the new children's ids (`automerge:<id>` or bare).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    pub children: Vec<String>,
}

/// One child's registration, as the server answered it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registered {
    pub child: String,
    pub outcome: Registration,
}

/// What became of a child a phone asked to register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Registration {
    /// New to the school: noted, and a teacher who brought it became its 班主任.
    Registered,
    /// Already in the directory: nothing to do.
    Known,
    /// The school already holds a document with this id that nobody registered: refused, so a
    /// device cannot claim a child it did not create.
    Refused,
}
