//! What every request handler shares: the configuration, the store and the
//! fault rules.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use axum::http::HeaderMap;
use tokio::sync::Notify;
use uuid::Uuid;

use crate::config::SandboxConfig;
use crate::error::ApiError;
use crate::faults::Faults;
use crate::seen::Seen;
use crate::store::Store;

/// The sandbox's state, behind one lock per part. A write holds the store's lock
/// from its first check to its last insert, so concurrent writes never see each
/// other half-done.
#[derive(Debug)]
pub struct Shared {
    pub config: SandboxConfig,
    store: Mutex<Store>,
    faults: Mutex<Faults>,
    seen: Mutex<Seen>,
    requests: AtomicU64,
    /// Signalled after each change to the store, for the state file's saver.
    changes: Notify,
}

impl Shared {
    pub fn new(config: SandboxConfig, store: Store) -> Self {
        Shared {
            config,
            store: Mutex::new(store),
            faults: Mutex::new(Faults::default()),
            seen: Mutex::new(Seen::default()),
            requests: AtomicU64::new(0),
            changes: Notify::new(),
        }
    }

    /// Tells the state file's saver the store changed (a successful write, an
    /// import, a reset). Changes made while it saves are one more save.
    pub fn changed(&self) {
        self.changes.notify_one();
    }

    /// Waits for the next [`Shared::changed`] (or returns at once if one came
    /// since the last wait).
    pub async fn next_change(&self) {
        self.changes.notified().await;
    }

    /// The store. A panic while it was held cannot leave it half-written (every
    /// write is checked whole first), so a poisoned lock is still usable.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The fault rules.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The last requests received.
    pub fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new request id, `req_<n>`.
    pub fn next_request_id(&self) -> String {
        format!("req_{}", self.requests.fetch_add(1, Ordering::Relaxed) + 1)
    }

    /// The customer a call acts for, or 401.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Uuid, ApiError> {
        crate::auth::authenticate(headers, self.config.require_secret.as_deref())
    }
}

/// The current time as the API writes it (RFC 3339, UTC, microseconds).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}
