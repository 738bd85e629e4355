//! The files worker from the app's side: spreadsheets and Word files are made and read by
//! crates/files in a Web Worker, so the app's first download carries none of that code. The
//! worker starts on the first job; its file names come from index.html (written by
//! .ci/worker-names.sh), so a page always talks to the worker of its own version.

use shouwang_core::files::{Job, Reply, READY};
use shouwang_core::import;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/src/files.js")]
extern "C" {
    #[wasm_bindgen(js_name = runJob, catch)]
    async fn run_job(
        loader: &str,
        ready: &str,
        job: &str,
        input: &[u8],
    ) -> Result<JsValue, JsValue>;
}

/// The worker could not start with the network gone: on a teacher's phone it is kept for offline
/// use from its first use on (a care lead's phone asks for it once its sync is done).
const NOT_KEPT: &str = "表格组件还没有下载到本机，现在又没有网络。请连上网络后再试一次，之后没有网络也能导出和导入。本机的记录不受影响。";

/// What a teacher reads when the worker itself failed, with the browser's reason.
fn not_started(reason: &str) -> String {
    format!("表格组件无法启动（{reason}）。请联网后刷新页面再试；仍不行请把此信息告诉管理员。")
}

/// Makes the file of `job` (.xlsx or .docx) and hands it to the browser as the download `name`;
/// or the Chinese reason it was not made.
pub async fn download(job: &Job, name: &str) -> Result<(), String> {
    let bytes = make(job).await?;
    crate::js::download_bytes(name, &bytes);
    Ok(())
}

/// Writes `tables` as the workbook `title` and hands it to the browser as `file`, the school's
/// name put first; a failure is set into `problem`, which the screen says where the button is.
pub fn export_workbook(
    tables: Vec<shouwang_core::report::Table>,
    title: &str,
    today: chrono::NaiveDate,
    file: &str,
    problem: leptos::prelude::RwSignal<Option<String>>,
) {
    use leptos::prelude::Set;
    let job = Job::Workbook {
        tables,
        title: title.to_string(),
        today,
    };
    let name = crate::prefs::school_file_name(file);
    leptos::task::spawn_local(async move {
        problem.set(download(&job, &name).await.err());
    });
}

async fn make(job: &Job) -> Result<Vec<u8>, String> {
    match run(job, &[]).await? {
        (Reply::File, bytes) => Ok(bytes),
        (Reply::Failed(message), _) => Err(message),
        (Reply::Sheet(_), _) => Err(not_started("答复与请求不符")),
    }
}

/// The class list in an .xlsx file, or the Chinese reason it could not be read.
pub async fn read_xlsx(bytes: &[u8]) -> Result<import::Table, String> {
    match run(&Job::ReadXlsx, bytes).await? {
        (Reply::Sheet(table), _) => Ok(table),
        (Reply::Failed(message), _) => Err(message),
        (Reply::File, _) => Err(not_started("答复与请求不符")),
    }
}

async fn run(job: &Job, input: &[u8]) -> Result<(Reply, Vec<u8>), String> {
    let loader = loader().ok_or_else(|| not_started("页面缺少组件地址"))?;
    let job = serde_json::to_string(job).expect("a job is plain data");
    let answer = run_job(&loader, READY, &job, input).await.map_err(|e| {
        // A teacher's phone keeps the worker only once it was used (sw.js, LATER).
        if !crate::js::online() {
            NOT_KEPT.to_string()
        } else {
            not_started(&reason(&e))
        }
    })?;
    let answer = js_sys::Array::from(&answer);
    let reply = answer.get(0).as_string().unwrap_or_default();
    let reply = serde_json::from_str(&reply).map_err(|e| not_started(&e.to_string()))?;
    let bytes = js_sys::Uint8Array::new(&answer.get(1)).to_vec();
    Ok((reply, bytes))
}

/// The worker's loader as this page's index.html names it.
fn loader() -> Option<String> {
    let meta = web_sys::window()?
        .document()?
        .query_selector("meta[name=shouwang-files]")
        .ok()??;
    let href = meta.get_attribute("content")?;
    // An unfilled placeholder means the build's hook did not run.
    href.starts_with('/').then_some(href)
}

fn reason(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "未知原因".to_string())
}
