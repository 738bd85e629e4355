//! `import-state`: moves a server that kept its state in the data directory onto the bucket
//! (`--state-in-bucket`). Everything the data directory holds of it is copied as it is — the
//! server key, recovery deposits, figures, quotas, each school's audit log as one segment — and
//! the accounts last, so that an import cut short leaves the bucket without accounts and may
//! simply be run again. Refused once the bucket has accounts: it never mixes two servers' state.

use std::path::Path;

use crate::accounts_file::AccountsFile;
use crate::accounts_store::AccountsStore;
use crate::error::Error;
use crate::secret::KEY_FILE;
use crate::state_store::StateStore;

/// The directories of the data directory copied key by key.
const COPIED: [&str; 3] = ["recovery", "figures", "quota"];

/// How many keys were copied, the accounts included.
pub fn import(data_dir: &Path, state: &StateStore) -> Result<usize, Error> {
    if !state.is_bucket() {
        return Err(Error::BadInput(
            "import-state copies into the bucket: give --state-in-bucket and the bucket's \
             options"
                .into(),
        ));
    }
    let accounts = AccountsStore::new(state);
    if accounts.stamp().is_some() {
        return Err(Error::BadInput(
            "the bucket already has accounts: nothing imported".into(),
        ));
    }
    let file = AccountsFile::in_dir(data_dir);
    if file.stamp().is_none() {
        return Err(Error::BadInput(format!(
            "{} has no accounts.json: nothing to import",
            data_dir.display()
        )));
    }
    let from = StateStore::Dir(data_dir.to_path_buf());
    let copy = |from_key: &str, to_key: &str| -> Result<(), Error> {
        let failed = || format!("importing {}", from.describe(from_key));
        if let Some(bytes) = from.read(from_key).map_err(Error::io(failed()))? {
            state.write(to_key, &bytes).map_err(Error::io(failed()))?;
        }
        Ok(())
    };
    let mut copied = 0;
    copy(KEY_FILE, KEY_FILE)?;
    copied += 1;
    for dir in COPIED {
        let listed = from
            .list(dir)
            .map_err(Error::io(format!("reading {}", from.describe(dir))))?;
        for listed in listed {
            let key = format!("{dir}/{}", listed.name);
            copy(&key, &key)?;
            copied += 1;
        }
    }
    let logs = from
        .list("audit")
        .map_err(Error::io(format!("reading {}", from.describe("audit"))))?;
    for log in logs {
        if let Some(school) = log.name.strip_suffix(".jsonl") {
            // Named as the oldest segment there can be: it holds everything before the move.
            copy(
                &format!("audit/{}", log.name),
                &format!("audit/{school}/0000000000000-imported.jsonl"),
            )?;
            copied += 1;
        }
    }
    let whole = file.load()?;
    accounts.update(|a| {
        *a = whole;
        Ok(())
    })?;
    Ok(copied + 1)
}
