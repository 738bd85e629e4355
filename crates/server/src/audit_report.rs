//! `shouwang-server audit`: reads the schools' audit logs (`audit.rs`) and answers "who has
//! received this child's talk cards" — entries filtered by a child's documents (its archive and
//! the records, talks and plans documents derived from it), a device and a start time, with the
//! teacher's name from the accounts file and each document's kind. Dates and times are Beijing
//! time (UTC+8), the schools' own clock.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use serde_json::{json, Value};
use shouwang_core::{access, DocId};

use crate::accounts::Accounts;
use crate::audit::{self, Direction, Entry};
use crate::cli::Output;
use crate::error::Error;
use crate::state_store::StateStore;

/// China Standard Time, checked when compiling.
pub(crate) const BEIJING: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// What the admin asked for; every filter is optional.
#[derive(Debug, Default)]
pub struct Query<'a> {
    pub school: Option<&'a str>,
    pub child: Option<&'a str>,
    pub device: Option<&'a str>,
    pub since: Option<&'a str>,
}

/// One entry as reported: the log line with names and the document's kind resolved.
struct Row<'a> {
    school: &'a str,
    entry: Entry,
    kind: Option<&'static str>,
}

pub fn report(state: &StateStore, accounts: &Accounts, query: &Query) -> Result<Output, Error> {
    let schools = match query.school {
        Some(school) => vec![accounts.school(school)?],
        None => accounts.schools.iter().collect(),
    };
    let child = query.child.map(child_docs).transpose()?;
    let since = query.since.map(since).transpose()?;
    let mut rows = Vec::new();
    for school in schools {
        // The school's own documents, named without asking for a child.
        let school_docs = [
            (
                Some(school.index_doc.as_str()),
                access::DocClass::Index.label_zh(),
            ),
            (
                school.directory_doc.as_deref(),
                access::DocClass::Directory.label_zh(),
            ),
        ];
        let unreadable = audit::read(state, &school.id, |entry| {
            let kind = entry.doc.as_deref().and_then(|doc| match &child {
                Some(docs) => docs.get(doc).copied(),
                None => school_docs
                    .iter()
                    .find(|(id, _)| *id == Some(doc))
                    .map(|(_, kind)| *kind),
            });
            let wanted = child.is_none() || kind.is_some();
            let device = query.device.is_none_or(|d| d == entry.device);
            if wanted && device && since.is_none_or(|s| entry.at >= s) {
                rows.push(Row {
                    school: &school.id,
                    entry,
                    kind,
                });
            }
        })?;
        if unreadable > 0 {
            eprintln!(
                "audit log of {} has {unreadable} unreadable line(s), skipped",
                school.id
            );
        }
    }
    rows.sort_by_key(|r| r.entry.at);
    Ok(Output {
        json: Value::Array(rows.iter().map(|r| row_json(accounts, r)).collect()),
        text: table(accounts, &rows),
    })
}

/// A child's own document and the three derived from it, each with its kind.
fn child_docs(child: &str) -> Result<HashMap<String, &'static str>, Error> {
    let id = DocId::parse(child)
        .map_err(|e| Error::BadInput(format!("--child {child} is not a document id: {e}")))?;
    Ok(access::child_documents(id)
        .into_iter()
        .map(|(doc, class)| (doc.to_string(), class.label_zh()))
        .collect())
}

/// `--since`: unix seconds, or a day (from its first second, Beijing time).
fn since(text: &str) -> Result<i64, Error> {
    if let Ok(seconds) = text.parse::<i64>() {
        return Ok(seconds);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|day| {
            day.and_time(NaiveTime::MIN)
                .and_local_timezone(BEIJING)
                .single()
        })
        .map(|start| start.timestamp())
        .ok_or_else(|| {
            Error::BadInput(format!(
                "--since {text}: give a day as YYYY-MM-DD or unix seconds"
            ))
        })
}

fn time(at: i64) -> String {
    DateTime::from_timestamp(at, 0)
        .map(|t| {
            t.with_timezone(&BEIJING)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|| at.to_string())
}

fn direction(direction: Direction) -> &'static str {
    match direction {
        Direction::Connected => "连接",
        Direction::Disconnected => "断开",
        Direction::Received => "接收",
        Direction::Sent => "发送",
        Direction::Erased => "永久删除",
    }
}

fn teacher_name<'a>(accounts: &'a Accounts, id: &str) -> &'a str {
    accounts.teacher(id).map(|t| t.name.as_str()).unwrap_or("")
}

fn device_name<'a>(accounts: &'a Accounts, id: &str) -> &'a str {
    accounts
        .devices
        .iter()
        .find(|d| d.id == id)
        .map(|d| d.name.as_str())
        .unwrap_or("")
}

fn row_json(accounts: &Accounts, row: &Row) -> Value {
    let e = &row.entry;
    json!({
        "at": e.at,
        "time": time(e.at),
        "school": row.school,
        "device": e.device,
        "deviceName": device_name(accounts, &e.device),
        "teacher": e.teacher,
        "teacherName": teacher_name(accounts, &e.teacher),
        "direction": e.direction,
        "doc": e.doc,
        "kind": row.kind,
        "changes": e.changes,
        "bytes": e.bytes,
        "whole": e.whole,
    })
}

/// A table for a terminal: 发送 is server → device (the device received the document), 接收 is
/// device → server.
fn table(accounts: &Accounts, rows: &[Row]) -> String {
    let header = ["时间", "设备", "教师", "方向", "文档", "种类"].map(String::from);
    let lines: Vec<[String; 6]> = rows
        .iter()
        .map(|row| {
            let e = &row.entry;
            [
                time(e.at),
                format!("{} {}", e.device, device_name(accounts, &e.device)),
                teacher_name(accounts, &e.teacher).to_string(),
                direction(e.direction).to_string(),
                e.doc.clone().unwrap_or_default(),
                row.kind.unwrap_or("").to_string(),
            ]
        })
        .collect();
    let mut widths = [0; 6];
    for line in std::iter::once(&header).chain(&lines) {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out: Vec<String> = std::iter::once(&header)
        .chain(&lines)
        .map(|line| {
            let cells: Vec<String> = line
                .iter()
                .zip(widths)
                .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - width(cell))))
                .collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect();
    out.push(format!("共 {} 条", rows.len()));
    out.join("\n")
}

/// Columns a terminal gives the text: Chinese characters take two.
fn width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}
