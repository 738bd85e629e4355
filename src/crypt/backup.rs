//! The backup file's format: `SWBAK1`, a salt, the PBKDF2 rounds, then one AES-GCM sealed body
//! under a key derived from the teacher's passphrase. The body names the school (so a backup
//! from another school is refused), holds every document's full bytes, and then names the
//! enrolled teacher whose phone made it (files made before that end with the documents).

use super::cipher::{random, Cipher, CryptError};
use super::vault::ITERATIONS;

const MAGIC: &[u8] = b"SWBAK1";
const SALT_LEN: usize = 16;
const PURPOSE: &str = "shouwang:backup";

/// What a backup carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    /// The enrolled school's id, if the phone was enrolled.
    pub school: Option<String>,
    /// The enrolled teacher's `(id, name)`, if the phone was enrolled.
    pub teacher: Option<(String, String)>,
    /// `(document id, the document saved whole)`.
    pub docs: Vec<(String, Vec<u8>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    #[error("这不是守望的备份文件")]
    NotBackup,
    #[error("备份口令不正确，或备份文件已损坏。未导入任何内容。")]
    WrongPassphrase,
    #[error("备份文件已损坏，未导入任何内容")]
    Corrupt,
    #[error("{0}")]
    Crypt(CryptError),
}

pub async fn seal(contents: &Contents, passphrase: &str) -> Result<Vec<u8>, BackupError> {
    let salt = random(SALT_LEN).map_err(BackupError::Crypt)?;
    let key = Cipher::derive(passphrase, &salt, ITERATIONS)
        .await
        .map_err(BackupError::Crypt)?;
    let sealed = key
        .seal(PURPOSE, &encode(contents))
        .await
        .map_err(BackupError::Crypt)?;
    let mut file = Vec::with_capacity(MAGIC.len() + SALT_LEN + 4 + sealed.len());
    file.extend_from_slice(MAGIC);
    file.extend_from_slice(&salt);
    file.extend_from_slice(&ITERATIONS.to_le_bytes());
    file.extend_from_slice(&sealed);
    Ok(file)
}

pub async fn open(file: &[u8], passphrase: &str) -> Result<Contents, BackupError> {
    let rest = file.strip_prefix(MAGIC).ok_or(BackupError::NotBackup)?;
    if rest.len() < SALT_LEN + 4 {
        return Err(BackupError::Corrupt);
    }
    let (salt, rest) = rest.split_at(SALT_LEN);
    let (rounds, sealed) = rest.split_at(4);
    let rounds = u32::from_le_bytes([rounds[0], rounds[1], rounds[2], rounds[3]]);
    // A file cannot ask for fewer rounds than this app makes, nor for hours of work.
    if !(ITERATIONS..=10 * ITERATIONS).contains(&rounds) {
        return Err(BackupError::Corrupt);
    }
    let key = Cipher::derive(passphrase, salt, rounds)
        .await
        .map_err(BackupError::Crypt)?;
    let body = key.open(PURPOSE, sealed).await.map_err(|e| match e {
        CryptError::Damaged => BackupError::WrongPassphrase,
        other => BackupError::Crypt(other),
    })?;
    decode(&body).ok_or(BackupError::Corrupt)
}

fn encode(contents: &Contents) -> Vec<u8> {
    let mut out = Vec::new();
    put(
        &mut out,
        contents.school.as_deref().unwrap_or("").as_bytes(),
    );
    out.extend_from_slice(&(contents.docs.len() as u32).to_le_bytes());
    for (id, bytes) in &contents.docs {
        put(&mut out, id.as_bytes());
        put(&mut out, bytes);
    }
    if let Some((id, name)) = &contents.teacher {
        put(&mut out, id.as_bytes());
        put(&mut out, name.as_bytes());
    }
    out
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn decode(mut body: &[u8]) -> Option<Contents> {
    let school = String::from_utf8(take(&mut body)?.to_vec()).ok()?;
    let count = u32::from_le_bytes(take_n(&mut body, 4)?.try_into().ok()?);
    let mut docs = Vec::new();
    for _ in 0..count {
        let id = String::from_utf8(take(&mut body)?.to_vec()).ok()?;
        docs.push((id, take(&mut body)?.to_vec()));
    }
    let teacher = if body.is_empty() {
        None
    } else {
        let id = String::from_utf8(take(&mut body)?.to_vec()).ok()?;
        let name = String::from_utf8(take(&mut body)?.to_vec()).ok()?;
        Some((id, name))
    };
    body.is_empty().then_some(Contents {
        school: (!school.is_empty()).then_some(school),
        teacher,
        docs,
    })
}

fn take<'a>(body: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = u32::from_le_bytes(take_n(body, 4)?.try_into().ok()?) as usize;
    take_n(body, len)
}

fn take_n<'a>(body: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if body.len() < n {
        return None;
    }
    let (head, rest) = body.split_at(n);
    *body = rest;
    Some(head)
}
