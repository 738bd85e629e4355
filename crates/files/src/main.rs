//! The files worker: a Web Worker that answers the app's spreadsheet and Word jobs
//! (`shouwang_core::files`), started by the app the first time a teacher imports or downloads a
//! file (src/files.rs). A message is `[id, job as JSON, bytes]`, an answer
//! `[id, reply as JSON, bytes]`; the work itself is the core's.

use js_sys::{Array, Uint8Array};
use shouwang_core::files::{answer, READY};
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let message = Array::from(&event.data());
        let job = message.get(1).as_string().unwrap_or_default();
        let input = Uint8Array::new(&message.get(2)).to_vec();
        let (reply, bytes) = answer(&job, &input);
        let reply = serde_json::to_string(&reply).expect("a reply is plain data");
        let bytes = Uint8Array::from(bytes.as_slice());
        let answer = Array::of3(&message.get(0), &JsValue::from_str(&reply), &bytes);
        // Transferred, not copied: a workbook can be megabytes.
        let moved = Array::of1(&bytes.buffer());
        replies
            .post_message_with_transfer(&answer, &moved)
            .expect("the app's end of the worker is open");
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker answers for as long as it lives.
    on_message.forget();
    scope
        .post_message(&JsValue::from_str(READY))
        .expect("the app's end of the worker is open");
}
