//! The last requests the API routes received, as a test reads them back: which
//! headers a client sent, and that an invalid call sent nothing.

use std::collections::{BTreeMap, VecDeque};

use axum::http::{HeaderMap, Method};
use serde::Serialize;

/// How many requests are kept; older ones are forgotten.
pub const KEPT: usize = 200;

/// One request, as received. Credential headers (`x-pigello-*`) are listed
/// with their value replaced, so a log of requests never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeenRequest {
    /// The id the answer carried (`x-request-id`).
    pub request_id: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, as sent (empty if none).
    pub query: String,
    /// Every header, by lower-case name; a repeated one joined with `, `.
    pub headers: BTreeMap<String, String>,
    /// The keys of a JSON body that every object in it has (the body itself,
    /// or each item of an array: what a bulk write sent in every item),
    /// sorted; empty without a body. Only names, never values: a test reads
    /// which fields reached the API without the log holding personal data.
    pub body_keys: Vec<String>,
}

/// The id the sandbox gave a request, carried to the routes that read its
/// body, so [`Seen::note_body`] finds the request it belongs to.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl SeenRequest {
    pub(crate) fn new(
        request_id: &str,
        method: &Method,
        uri: &axum::http::Uri,
        headers: &HeaderMap,
    ) -> Self {
        let mut seen = BTreeMap::<String, String>::new();
        for (name, value) in headers {
            let name = name.as_str();
            let value = if name.starts_with("x-pigello-") {
                "<redacted>".to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            seen.entry(name.to_owned())
                .and_modify(|v| {
                    v.push_str(", ");
                    v.push_str(&value);
                })
                .or_insert(value);
        }
        SeenRequest {
            request_id: request_id.to_owned(),
            method: method.as_str().to_owned(),
            path: uri.path().to_owned(),
            query: uri.query().unwrap_or_default().to_owned(),
            headers: seen,
            body_keys: Vec::new(),
        }
    }
}

/// The last [`KEPT`] requests, oldest first.
#[derive(Debug, Default)]
pub struct Seen {
    requests: VecDeque<SeenRequest>,
}

impl Seen {
    pub fn push(&mut self, request: SeenRequest) {
        if self.requests.len() == KEPT {
            self.requests.pop_front();
        }
        self.requests.push_back(request);
    }

    /// Notes the keys of the body of the request `id` (see
    /// [`SeenRequest::body_keys`]).
    pub fn note_body(&mut self, id: &str, body: &serde_json::Value) {
        let Some(request) = self.requests.iter_mut().rev().find(|r| r.request_id == id) else {
            return;
        };
        let objects: Vec<&serde_json::Map<String, serde_json::Value>> = match body {
            serde_json::Value::Array(items) => items.iter().filter_map(|i| i.as_object()).collect(),
            other => other.as_object().into_iter().collect(),
        };
        let Some((first, rest)) = objects.split_first() else {
            return;
        };
        let mut keys: Vec<String> = first
            .keys()
            .filter(|key| rest.iter().all(|o| o.contains_key(*key)))
            .cloned()
            .collect();
        keys.sort();
        request.body_keys = keys;
    }

    pub fn list(&self) -> Vec<SeenRequest> {
        self.requests.iter().cloned().collect()
    }

    pub fn clear(&mut self) {
        self.requests.clear();
    }
}
