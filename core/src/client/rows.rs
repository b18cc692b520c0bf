//! Turning an answer's body into rows: JSON values by default, or a row type
//! of a binding's own (one that keeps the body and reads a field only when it is
//! asked for, say), through the same paging, errors and retries.

use std::marker::PhantomData;

use bytes::Bytes;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::description::ResourceSpec;
use crate::{Resource, Result};

/// Decodes the body of a list answer (a JSON array of objects) into rows.
pub trait RowDecoder: Clone + Send + Sync + 'static {
    /// One row.
    type Row: Send + 'static;

    /// The rows of one answer. `body` is the whole answer, shared: a row may
    /// keep it. A decode error gets an excerpt of the body added by the caller.
    fn decode_rows(&self, spec: &'static ResourceSpec, body: Bytes) -> Result<Vec<Self::Row>>;

    /// The one object of an answer (a get, a create, an update).
    fn decode_row(&self, spec: &'static ResourceSpec, body: Bytes) -> Result<Self::Row>;
}

/// Rows as `serde_json::Value`, what [`super::RawHandle::list`] gives.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonRows;

impl RowDecoder for JsonRows {
    type Row = Value;

    fn decode_rows(&self, spec: &'static ResourceSpec, body: Bytes) -> Result<Vec<Value>> {
        crate::decode(spec.name, &body)
    }

    fn decode_row(&self, spec: &'static ResourceSpec, body: Bytes) -> Result<Value> {
        crate::decode(spec.name, &body)
    }
}

/// Rows as their JSON text, checked (valid JSON, each row an object) but not
/// decoded: for a binding whose language parses JSON text faster than it can
/// be handed a tree (Node's `JSON.parse`). [`json_array`] joins them.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonTextRows;

impl RowDecoder for JsonTextRows {
    type Row = Box<RawValue>;

    fn decode_rows(&self, spec: &'static ResourceSpec, body: Bytes) -> Result<Vec<Box<RawValue>>> {
        let rows: Vec<Box<RawValue>> = crate::decode(spec.name, &body)?;
        if let Some(i) = rows.iter().position(|row| !is_object(row)) {
            return Err(not_an_object(spec, &format!("[{i}]")));
        }
        Ok(rows)
    }

    fn decode_row(&self, spec: &'static ResourceSpec, body: Bytes) -> Result<Box<RawValue>> {
        let row: Box<RawValue> = crate::decode(spec.name, &body)?;
        if !is_object(&row) {
            return Err(not_an_object(spec, ""));
        }
        Ok(row)
    }
}

/// Whether a row's text is an object (the decoder has checked that it is JSON
/// and trimmed it).
fn is_object(row: &RawValue) -> bool {
    row.get().starts_with('{')
}

fn not_an_object(spec: &'static ResourceSpec, path: &str) -> crate::Error {
    crate::Error::Decode {
        model: spec.name,
        path: path.to_owned(),
        message: "expected an object".to_owned(),
    }
}

/// Rows' JSON text as one JSON array.
///
/// ```
/// use serde_json::value::RawValue;
/// let rows: Vec<Box<RawValue>> = serde_json::from_str(r#"[{"a": 1}, {"b": [2]}]"#).unwrap();
/// assert_eq!(pigello::client::json_array(&rows), r#"[{"a": 1},{"b": [2]}]"#);
/// ```
pub fn json_array(rows: &[Box<RawValue>]) -> String {
    let mut out = String::with_capacity(2 + rows.iter().map(|r| r.get().len() + 1).sum::<usize>());
    out.push('[');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(row.get());
    }
    out.push(']');
    out
}

/// Rows decoded straight from the body into a resource's model (what
/// [`super::Handle`] gives): each byte is read once, with no JSON tree between.
pub struct TypedRows<R>(PhantomData<fn() -> R>);

impl<R> TypedRows<R> {
    /// The decoder.
    pub fn new() -> Self {
        TypedRows(PhantomData)
    }
}

impl<R> Default for TypedRows<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R> Clone for TypedRows<R> {
    fn clone(&self) -> Self {
        Self::new()
    }
}

impl<R: Resource> RowDecoder for TypedRows<R> {
    type Row = R;

    fn decode_rows(&self, spec: &'static ResourceSpec, body: Bytes) -> Result<Vec<R>> {
        crate::decode(spec.name, &body)
    }

    fn decode_row(&self, spec: &'static ResourceSpec, body: Bytes) -> Result<R> {
        crate::decode(spec.name, &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::TENANT;

    #[test]
    fn json_text_rows_keep_the_api_text_and_refuse_what_is_not_an_object() {
        let body = Bytes::from_static(br#" [ {"b": 1, "a": "\u00e5"} , {} ] "#);
        let rows = JsonTextRows.decode_rows(&TENANT, body).expect("rows");
        assert_eq!(json_array(&rows), r#"[{"b": 1, "a": "\u00e5"},{}]"#);

        let refused = JsonTextRows
            .decode_rows(&TENANT, Bytes::from_static(b"[{}, 2]"))
            .expect_err("not an object");
        assert_eq!(refused.code(), "decode_error");
        assert!(refused.to_string().contains("[1]"), "{refused}");
        let refused = JsonTextRows
            .decode_row(&TENANT, Bytes::from_static(b"[{}]"))
            .expect_err("a list");
        assert_eq!(refused.code(), "decode_error");
        assert!(
            JsonTextRows
                .decode_rows(&TENANT, Bytes::from_static(b"[{]"))
                .is_err()
        );
    }
}
