//! The spreadsheet and Word work the app hands to its files worker (crates/files), as messages:
//! what to make or read, and what came of it. The readers and writers (calamine,
//! rust_xlsxwriter, zip) are only compiled with the feature `files`, so the app's first download
//! carries the messages but not the code that answers them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::register_form::{FormChild, SignOff};
use crate::report::Table;
use crate::summary::Paragraph;

/// One piece of work. A file to read travels beside the message as bytes, not inside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// The bureau workbook (`export::titled_workbook`); its title is `report::TITLE` unless the
    /// tables have their own (the monthly 控辍保学 report).
    Workbook {
        tables: Vec<Table>,
        title: String,
        today: NaiveDate,
    },
    /// The registration form (`register_form::sheet::workbook`).
    RegisterForm {
        children: Vec<FormChild>,
        sign: SignOff,
        today: NaiveDate,
    },
    /// The term summary as a Word file (`summary::docx::summary_docx`).
    SummaryDocx {
        title: String,
        paragraphs: Vec<Paragraph>,
        /// Signed under the text, over the date; empty on a phone that knows no school name.
        #[serde(default)]
        school: String,
        today: NaiveDate,
    },
    /// The class list in the .xlsx beside the message (`import::parse_xlsx`).
    ReadXlsx,
}

/// What came of a job, as the worker answers it. A file made travels beside the answer as bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    File,
    Sheet(crate::import::Table),
    Failed(String),
}

/// The worker's first message: it is listening (a message posted before would be lost).
pub const READY: &str = "ready";

/// The answer to the job in `job` (JSON), with `input` the file to read: the reply and the
/// bytes of the file made (none for a sheet read or a failure).
#[cfg(feature = "files")]
pub fn answer(job: &str, input: &[u8]) -> (Reply, Vec<u8>) {
    serde_json::from_str::<Job>(job)
        .map_err(|e| format!("表格组件收到无法识别的请求（{e}），请刷新页面后重试"))
        .and_then(|job| job.run(input))
        .unwrap_or_else(|message| (Reply::Failed(message), Vec::new()))
}

#[cfg(feature = "files")]
impl Job {
    /// Does the job; a failure is the Chinese message the core's own error carries.
    fn run(self, input: &[u8]) -> Result<(Reply, Vec<u8>), String> {
        use crate::{export, import, register_form::sheet, summary::docx};
        let file = |bytes| (Reply::File, bytes);
        match self {
            Job::Workbook {
                tables,
                title,
                today,
            } => export::titled_workbook(&tables, &title, today)
                .map(file)
                .map_err(|e| e.to_string()),
            Job::RegisterForm {
                children,
                sign,
                today,
            } => sheet::workbook(&children, &sign, today)
                .map(file)
                .map_err(|e| e.to_string()),
            Job::SummaryDocx {
                title,
                paragraphs,
                school,
                today,
            } => docx::summary_docx(&title, &paragraphs, &school, today)
                .map(file)
                .map_err(|e| e.to_string()),
            Job::ReadXlsx => import::parse_xlsx(input)
                .map(|table| (Reply::Sheet(table), Vec::new()))
                .map_err(|e| e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Cell;

    fn json(job: &Job) -> String {
        serde_json::to_string(job).expect("a job is plain data")
    }

    #[test]
    fn a_workbook_sent_as_a_message_reads_back_as_its_table() {
        let table = Table {
            name: "留守儿童名册".into(),
            headers: vec!["姓名".to_string(), "年级".to_string()],
            rows: vec![vec![Cell::from("李小明"), Cell::from(3u32)]],
        };
        let job = Job::Workbook {
            tables: vec![table],
            title: crate::report::TITLE.to_string(),
            today: NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date"),
        };
        let (reply, bytes) = answer(&json(&job), &[]);
        assert_eq!(reply, Reply::File);
        let (reply, rest) = answer(&json(&Job::ReadXlsx), &bytes);
        let Reply::Sheet(sheet) = reply else {
            panic!("not a sheet: {reply:?}");
        };
        assert!(rest.is_empty());
        assert_eq!(sheet.headers, ["姓名", "年级"]);
        assert_eq!(
            sheet.rows,
            [(2, vec!["李小明".to_string(), "3".to_string()])]
        );
    }

    #[test]
    fn what_cannot_be_done_is_said_in_chinese() {
        let cases = [
            ("not json", &b""[..], "表格组件收到无法识别的请求"),
            (
                r#""ReadXlsx""#,
                &b"not a zip"[..],
                "无法读取这个 Excel 文件",
            ),
        ];
        for (job, input, expected) in cases {
            let (reply, bytes) = answer(job, input);
            let Reply::Failed(message) = reply else {
                panic!("{job}: not a failure: {reply:?}");
            };
            assert!(message.starts_with(expected), "{job}: {message}");
            assert!(bytes.is_empty());
        }
    }
}
