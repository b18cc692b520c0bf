//! Calls into the core, guarded: a Rust panic becomes a `PigelloError` asking
//! for a bug report instead of crossing into JavaScript.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use crate::errors::bug;

/// Runs a future, turning a panic inside it into an error.
pub async fn guarded<T>(future: impl Future<Output = napi::Result<T>>) -> napi::Result<T> {
    AssertUnwindSafe(future)
        .catch_unwind()
        .await
        .unwrap_or_else(|panic| Err(bug(&*panic)))
}

/// Runs a closure, turning a panic inside it into an error.
pub fn guarded_sync<T>(work: impl FnOnce() -> napi::Result<T>) -> napi::Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| Err(bug(&*panic)))
}
