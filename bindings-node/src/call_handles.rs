//! What a call can carry by id, since a napi object cannot hold a Rust value:
//! a cancel switch its `signal` flips (`APIUserAbortError`, saying whether a
//! write may have been applied) and a recorder of its answer (for
//! `.withResponse()`). The JavaScript layer asks for an id before the call,
//! passes it in the call's options and releases it after.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};

use napi_derive::napi;
use pigello::client::{CancelToken, ResponseRecorder};
use serde_json::{Map, Value, json};

/// Live values by id.
struct Live<T> {
    next: AtomicU32,
    values: Mutex<Option<HashMap<u32, T>>>,
}

impl<T: Clone> Live<T> {
    const fn new() -> Self {
        Live {
            next: AtomicU32::new(1),
            values: Mutex::new(None),
        }
    }

    fn values(&self) -> MutexGuard<'_, Option<HashMap<u32, T>>> {
        self.values.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn add(&self, value: T) -> u32 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.values()
            .get_or_insert_with(HashMap::new)
            .insert(id, value);
        id
    }

    fn get(&self, id: u32) -> Option<T> {
        self.values().as_ref().and_then(|m| m.get(&id).cloned())
    }

    fn remove(&self, id: u32) -> Option<T> {
        self.values().as_mut().and_then(|m| m.remove(&id))
    }
}

static CANCELS: Live<CancelToken> = Live::new();
static RECORDERS: Live<ResponseRecorder> = Live::new();

/// The cancel token of a live id.
pub fn cancel_token(id: u32) -> Option<CancelToken> {
    CANCELS.get(id)
}

/// The recorder of a live id.
pub fn recorder(id: u32) -> Option<ResponseRecorder> {
    RECORDERS.get(id)
}

/// A new cancel id, live until released.
#[napi]
pub fn new_cancel() -> u32 {
    CANCELS.add(CancelToken::new())
}

/// Cancels the calls holding `id`.
#[napi]
pub fn cancel(id: u32) {
    if let Some(token) = CANCELS.get(id) {
        token.cancel();
    }
}

/// Forgets `id` once its call has ended.
#[napi]
pub fn release_cancel(id: u32) {
    CANCELS.remove(id);
}

/// A new recorder id (headers kept), live until its answer is taken.
#[napi]
pub fn new_recorder() -> u32 {
    let recorder = ResponseRecorder::new();
    recorder.want_headers();
    RECORDERS.add(recorder)
}

/// The answer a recorder kept (`null` if none), and the id forgotten:
/// `{ status, headers, requestId, elapsedMs, retriesTaken }`.
#[napi]
pub fn take_response(id: u32) -> Value {
    let Some(answer) = RECORDERS.remove(id).and_then(|r| r.last()) else {
        return Value::Null;
    };
    let headers: Map<String, Value> = answer
        .header_map()
        .into_iter()
        .map(|(name, value)| (name, Value::String(value)))
        .collect();
    json!({
        "status": answer.status,
        "headers": headers,
        "requestId": answer.request_id,
        "elapsedMs": answer.elapsed.as_secs_f64() * 1000.0,
        "retriesTaken": answer.retries_taken,
    })
}
