//! One WebSocket to the school's server: binary frames as `ArrayBuffer`, and open / frame / close
//! reported to one handler. The handlers live exactly as long as the [`Socket`].

use std::rc::Rc;

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

pub enum SocketEvent {
    Open,
    Frame(Vec<u8>),
    /// Closed by either side or never opened (a refused upgrade looks the same to a browser).
    /// `replaced`: the server closed it because this device opened a newer socket (another
    /// window or tab of the app on the same phone).
    Closed {
        replaced: bool,
    },
}

pub struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    pub fn open(url: &str, handler: Rc<dyn Fn(SocketEvent)>) -> Result<Socket, JsValue> {
        let ws = WebSocket::new(url)?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let on_open = {
            let handler = handler.clone();
            Closure::<dyn FnMut()>::new(move || handler(SocketEvent::Open))
        };
        let on_message = {
            let handler = handler.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                // The protocol is binary only; a text frame carries nothing for us.
                if let Ok(buffer) = event.data().dyn_into::<ArrayBuffer>() {
                    handler(SocketEvent::Frame(Uint8Array::new(&buffer).to_vec()));
                }
            })
        };
        // `error` is always followed by `close`, so `close` alone reports the end.
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            let replaced = event.code() == 1000 && event.reason().starts_with("replaced");
            handler(SocketEvent::Closed { replaced })
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    /// Sends one frame; false when the socket is not open (the frame is then lost, and the next
    /// connection resends whatever the server still lacks).
    pub fn send(&self, frame: &[u8]) -> bool {
        self.ws.ready_state() == WebSocket::OPEN && self.ws.send_with_u8_array(frame).is_ok()
    }

    pub fn close(&self) {
        let _ = self.ws.close();
    }
}

impl Drop for Socket {
    /// A replaced socket must not report anything more: its handlers are about to be freed.
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}
