//! Bulk writes in chunks, with an exact account of what was written when a
//! chunk fails.

use std::fmt;

use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;

use super::Client;
use super::api_error::BulkError;
use super::body::decode_body;
use super::transport::Call;
use crate::description::ResourceSpec;
use crate::validate::{Path, Rule, Violation};
use crate::{Error, Resource, Result};

/// What a bulk item is made of: a resource's typed inputs, or JSON values.
pub trait BulkModel {
    /// A create body.
    type Create;
    /// A patch body.
    type Patch;
}

impl<R: Resource> BulkModel for R {
    type Create = R::Create;
    type Patch = R::Patch;
}

impl BulkModel for Value {
    type Create = Value;
    type Patch = Value;
}

/// One item of a bulk write: a new object, or a patch of a stored one (sent
/// with its `id`, which is how the API tells the two apart).
pub enum BulkItem<M: BulkModel> {
    /// Create an object.
    Create(M::Create),
    /// Update the object with this id.
    Update(Uuid, M::Patch),
}

impl<M: BulkModel> Clone for BulkItem<M>
where
    M::Create: Clone,
    M::Patch: Clone,
{
    fn clone(&self) -> Self {
        match self {
            BulkItem::Create(c) => BulkItem::Create(c.clone()),
            BulkItem::Update(id, p) => BulkItem::Update(*id, p.clone()),
        }
    }
}

impl<M: BulkModel> fmt::Debug for BulkItem<M>
where
    M::Create: fmt::Debug,
    M::Patch: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BulkItem::Create(c) => f.debug_tuple("Create").field(c).finish(),
            BulkItem::Update(id, p) => f.debug_tuple("Update").field(id).field(p).finish(),
        }
    }
}

impl BulkItem<Value> {
    /// An item as a binding receives it: an object with an `id` updates that
    /// object, one without (or with a `null` id, as a new row of a table has)
    /// creates. Any other `id` that is not a uuid string is refused, as a
    /// violation at `[index].id`: it must not quietly become a create.
    ///
    /// ```
    /// use pigello::client::BulkItem;
    /// use serde_json::json;
    ///
    /// let id = "497f6eca-6276-4993-bfeb-53cbbbba6f08";
    /// let item = BulkItem::from_json(json!({"id": id, "custom_id": "A-1"}), 0).unwrap();
    /// assert!(matches!(item, BulkItem::Update(u, _) if u.to_string() == id));
    /// let refused = BulkItem::from_json(json!({"id": "42", "custom_id": "A-1"}), 7).unwrap_err();
    /// assert_eq!(refused.path.as_str(), "[7].id");
    /// ```
    pub fn from_json(mut value: Value, index: usize) -> std::result::Result<Self, Violation> {
        let id = match value.as_object_mut().and_then(|o| o.remove("id")) {
            None | Some(Value::Null) => return Ok(BulkItem::Create(value)),
            Some(id) => id,
        };
        match id.as_str().map(Uuid::try_parse) {
            Some(Ok(id)) => Ok(BulkItem::Update(id, value)),
            _ => Err(Violation::new(
                Path::root().index(index).key("id"),
                Rule::Uuid,
                "a bulk item's id must be a uuid string: an item with an id updates that object",
            )),
        }
    }

    /// The item as sent: the body, with `id` for an update.
    ///
    /// ```
    /// use pigello::client::BulkItem;
    /// use serde_json::json;
    ///
    /// let id = uuid::Uuid::nil();
    /// let item: BulkItem<serde_json::Value> = BulkItem::Update(id, json!({"custom_id": "A-1"}));
    /// assert_eq!(item.to_body(), json!({"id": id, "custom_id": "A-1"}));
    /// ```
    pub fn to_body(&self) -> Value {
        match self {
            BulkItem::Create(body) => body.clone(),
            BulkItem::Update(id, patch) => {
                let mut body = patch.clone();
                if let Some(object) = body.as_object_mut() {
                    object.insert("id".into(), Value::String(id.to_string()));
                }
                body
            }
        }
    }
}

/// Sends `bodies` in chunks of the client's `bulk_chunk_size` items, in order,
/// each request with the query string `query`, stopping at the first chunk
/// that fails.
pub(crate) async fn write_in_chunks(
    client: &Client,
    spec: &'static ResourceSpec,
    bodies: &[Value],
    query: &str,
) -> Result<Vec<Value>> {
    let chunk = client.bulk_chunk;
    let mut written = Vec::with_capacity(bodies.len());
    for (n, items) in bodies.chunks(chunk.max(1)).enumerate() {
        let start = n * chunk.max(1);
        let end = start + items.len();
        let result = async {
            let mut call =
                Call::new(Method::POST, spec.paths.list).json(&Value::Array(items.to_vec()))?;
            call.query = query.to_owned();
            let answer = client.send(&call).await?;
            let rows: Vec<Value> = decode_body(spec.name, &call, answer).await?;
            tracing::debug!(
                resource = spec.name,
                start,
                end,
                tag = client.log_tag,
                "bulk chunk written"
            );
            Ok::<_, Error>(rows)
        }
        .await;
        match result {
            Ok(rows) => written.extend(rows),
            Err(cause) => {
                let cause = with_absolute_paths(cause, start);
                // A chunk cancelled before it was sent is not a failed one.
                let sent_until = match cause {
                    Error::Aborted {
                        outcome: super::Outcome::NotSent,
                        ..
                    } => start,
                    _ => end,
                };
                return Err(Error::Bulk(Box::new(BulkError {
                    resource: spec.name,
                    written: 0..start,
                    failed: start..sent_until,
                    not_attempted: sent_until..bodies.len(),
                    written_rows: written,
                    cause,
                })));
            }
        }
    }
    Ok(written)
}

/// The server names a failed item by its index in the chunk it received
/// (`[50].tenant`); the caller knows it by its index in the whole list
/// (`[150].tenant` for a chunk starting at 100).
fn with_absolute_paths(mut cause: Error, offset: usize) -> Error {
    if let Error::Api(api) = &mut cause {
        for error in &mut api.errors {
            let index = error
                .field
                .strip_prefix('[')
                .and_then(|rest| rest.split_once(']'));
            if let Some((index, rest)) = index
                && let Ok(i) = index.parse::<usize>()
            {
                error.field = format!("[{}]{rest}", i + offset);
            }
        }
    }
    cause
}
