//! The phone's lists natively, one module per rule: a child's save (`save`), the roster rebuilt
//! and listed (`roster`), the directory founded and adopted (`directory`), children imported
//! (`import`). Every check reads storage back, as the next start would.

mod directory;
mod import;
mod phone;
mod roster;
mod save;
