//! `AbortSignal` support: the JavaScript layer asks for a cancel id for a
//! call that has a `signal`, passes it with the call, and cancels it when the
//! signal aborts; the core then stops the call and says whether a write may
//! have been applied (`APIUserAbortError`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};

use napi_derive::napi;
use pigello::client::CancelToken;

static NEXT: AtomicU32 = AtomicU32::new(1);
static LIVE: Mutex<Option<HashMap<u32, CancelToken>>> = Mutex::new(None);

fn live() -> MutexGuard<'static, Option<HashMap<u32, CancelToken>>> {
    LIVE.lock().unwrap_or_else(|p| p.into_inner())
}

/// The token of a live id (`None` once released, or never issued).
pub fn token(id: u32) -> Option<CancelToken> {
    live().as_ref().and_then(|m| m.get(&id).cloned())
}

/// A new cancel id, live until released.
#[napi]
pub fn new_cancel() -> u32 {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    live()
        .get_or_insert_with(HashMap::new)
        .insert(id, CancelToken::new());
    id
}

/// Cancels the calls holding `id`.
#[napi]
pub fn cancel(id: u32) {
    if let Some(token) = token(id) {
        token.cancel();
    }
}

/// Forgets `id` once its call has ended.
#[napi]
pub fn release_cancel(id: u32) {
    if let Some(map) = live().as_mut() {
        map.remove(&id);
    }
}
