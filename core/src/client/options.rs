//! What a caller can say about one call beyond its documented arguments: one
//! type the core owns and every binding fills from its own spelling (Python's
//! `extra_body=` keyword, Node's `{ extraBody }` option).

use serde_json::{Map, Value};

use crate::description::ResourceSpec;

/// Options of one write call.
///
/// ```
/// use pigello::client::CallOptions;
/// use serde_json::json;
///
/// let options = CallOptions::default().extra_body("beta_flag", json!(true));
/// assert_eq!(options.extra_body["beta_flag"], json!(true));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallOptions {
    /// Body fields sent as given although the reference does not list them:
    /// the explicit escape hatch past the client's refusal of unknown fields.
    /// A key naming a documented field is checked as that field.
    pub extra_body: Map<String, Value>,
}

impl CallOptions {
    /// Adds one extra body field.
    pub fn extra_body(mut self, name: impl Into<String>, value: Value) -> Self {
        self.extra_body.insert(name.into(), value);
        self
    }
}

/// Splits a typed input's JSON into its documented fields and the rest (what
/// its `with_extra` added, on purpose).
pub(crate) fn split_extra(spec: &ResourceSpec, mut body: Value) -> (Value, Map<String, Value>) {
    let mut extra = Map::new();
    if let Some(object) = body.as_object_mut() {
        let undocumented: Vec<String> = object
            .keys()
            .filter(|k| spec.field(k).is_none())
            .cloned()
            .collect();
        for key in undocumented {
            if let Some(value) = object.remove(&key) {
                extra.insert(key, value);
            }
        }
    }
    (body, extra)
}
