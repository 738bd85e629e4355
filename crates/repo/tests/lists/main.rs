//! The phone's lists natively, one module per rule: a child's save (`save`), what arrived from the
//! server or a backup kept (`absorb`), the roster rebuilt, listed and chosen at start (`roster`),
//! the directory founded and adopted (`directory`), children imported (`import`). Every check
//! reads storage back, as the next start would.

mod absorb;
mod directory;
mod import;
mod phone;
mod roster;
mod save;
#[path = "../support/stored.rs"]
mod stored;
