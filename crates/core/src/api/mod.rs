//! The school server's HTTP API as it travels: the request and response bodies of `/api/…`, one
//! concept per file, pure serde. The server writes them and the app reads them (and keeps an
//! `Enrolment`), so a field's name, casing and optionality are decided once, here. Phones in the
//! field keep an enrolment in storage and talk to servers of their own version: a change here is
//! a change of the wire format (`wire_tests.rs` pins it).

pub mod audit;
pub mod children;
pub mod county;
pub mod enrolment;
pub mod error_body;
pub mod quota;
pub mod recovery;
pub mod staff;

#[cfg(test)]
mod wire_tests;

use serde::{Deserialize, Serialize};

/// A school, a teacher or a device as the API names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

impl Named {
    pub fn of(id: &str, name: &str) -> Named {
        Named {
            id: id.to_string(),
            name: name.to_string(),
        }
    }
}
