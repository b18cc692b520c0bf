//! Turning an answer's body into rows: JSON values by default, or a row type
//! of a binding's own (one that keeps the body and reads a field only when it is
//! asked for, say), through the same paging, errors and retries.

use std::marker::PhantomData;

use bytes::Bytes;
use serde_json::Value;

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
