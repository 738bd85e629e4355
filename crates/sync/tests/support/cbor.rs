//! Hand-built CBOR frames, written the way another implementation (cbor-x) might write them.

use minicbor::Encoder;

/// A CBOR value, just rich enough for protocol frames.
pub enum Value<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
    Uint(u64),
    Float(f64),
    Bool(bool),
    Undefined,
    Null,
    Array(Vec<Value<'a>>),
    Map(Vec<(&'a str, Value<'a>)>),
}

/// One frame: a definite-length map of these entries.
pub fn frame(entries: Vec<(&str, Value<'_>)>) -> Vec<u8> {
    let mut encoder = Encoder::new(Vec::new());
    write(&mut encoder, &Value::Map(entries));
    encoder.into_writer()
}

/// A frame with `type`, `senderId`, `targetId` and `documentId` (text), then `rest`.
pub fn addressed<'a>(
    message_type: &'a str,
    document_id: &'a str,
    rest: Vec<(&'a str, Value<'a>)>,
) -> Vec<u8> {
    let mut entries = vec![
        ("type", Value::Text(message_type)),
        ("senderId", Value::Text("srv")),
        ("targetId", Value::Text("a")),
        ("documentId", Value::Text(document_id)),
    ];
    entries.extend(rest);
    frame(entries)
}

fn write(e: &mut Encoder<Vec<u8>>, value: &Value<'_>) {
    const INFALLIBLE: &str = "writing into a Vec";
    match value {
        Value::Array(items) => {
            e.array(items.len() as u64).expect(INFALLIBLE);
            items.iter().for_each(|item| write(e, item));
        }
        Value::Map(entries) => {
            e.map(entries.len() as u64).expect(INFALLIBLE);
            for (key, item) in entries {
                e.str(key).expect(INFALLIBLE);
                write(e, item);
            }
        }
        Value::Text(text) => drop(e.str(text).expect(INFALLIBLE)),
        Value::Bytes(bytes) => drop(e.bytes(bytes).expect(INFALLIBLE)),
        Value::Uint(uint) => drop(e.u64(*uint).expect(INFALLIBLE)),
        Value::Float(float) => drop(e.f64(*float).expect(INFALLIBLE)),
        Value::Bool(bool) => drop(e.bool(*bool).expect(INFALLIBLE)),
        Value::Undefined => drop(e.undefined().expect(INFALLIBLE)),
        Value::Null => drop(e.null().expect(INFALLIBLE)),
    }
}
