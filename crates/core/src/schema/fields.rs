//! A map read in one pass. Reading a map key by key seeks through the document's operations
//! once per key: a roster of 600 lines of a dozen keys each spent half a second of a throttled
//! phone's start that way (a CPU profile of the unlock), where one pass over the list of lines and
//! one per line read the same values.

use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, ValueRef};

/// A map's scalar values, each key's winning value (the one `get` reads).
pub(crate) struct Fields(Vec<(String, ScalarValue)>);

impl Fields {
    pub(crate) fn of(doc: &impl ReadDoc, obj: &ObjId) -> Fields {
        let mut fields: Vec<(String, ScalarValue)> = doc
            .map_range(obj, ..)
            .filter_map(|item| match item.value {
                ValueRef::Scalar(value) => Some((item.key.into_owned(), value.into())),
                ValueRef::Object(_) => None,
            })
            .collect();
        crate::sort::sort_by(&mut fields, |a, b| a.0.cmp(&b.0));
        Fields(fields)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&ScalarValue> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|at| &self.0[at].1)
    }

    /// A text value.
    pub(crate) fn text(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(ScalarValue::Str(text)) => Some(text.as_str()),
            _ => None,
        }
    }

    /// A whole number that fits a `u32`.
    pub(crate) fn number(&self, key: &str) -> Option<u32> {
        match self.get(key) {
            Some(ScalarValue::Int(n)) => u32::try_from(*n).ok(),
            Some(ScalarValue::Uint(n)) => u32::try_from(*n).ok(),
            _ => None,
        }
    }
}

/// Every key of `obj` with the map it holds (`None` when the value is not a map), in one pass.
pub(crate) fn maps(doc: &impl ReadDoc, obj: &ObjId) -> Vec<(String, Option<ObjId>)> {
    doc.map_range(obj, ..)
        .map(|item| {
            let map = matches!(item.value, ValueRef::Object(ObjType::Map)).then(|| item.id());
            (item.key.into_owned(), map)
        })
        .collect()
}
