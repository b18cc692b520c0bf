//! Cancelling calls from outside: a binding's Ctrl-C or `AbortSignal`. A call
//! whose client holds a [`CancelToken`] stops at once when it is cancelled,
//! and its error says whether a write may already have been applied.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

/// A switch that cancels every call of the clients holding it
/// ([`super::RequestOptions::cancel`]); cancelled once, it stays so.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// # let client = pigello::Client::builder().credentials(pigello::Credentials::new(
/// #     "c", "a", "s", "v", "ct", "o", "secret")).build().unwrap();
/// use pigello::client::{CancelToken, RequestOptions};
///
/// let token = CancelToken::new();
/// let client = client.with_options(&RequestOptions::default().cancel(token.clone()));
/// token.cancel();
/// let error = client.tenants().get(uuid::Uuid::nil()).await.unwrap_err();
/// assert_eq!((error.class_name(), error.outcome_unknown()), ("APIUserAbortError", false));
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct CancelToken {
    inner: Arc<Switch>,
}

#[derive(Debug, Default)]
struct Switch {
    cancelled: AtomicBool,
    wake: Notify,
}

impl CancelToken {
    /// A token not yet cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every call holding the token, now and later.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        self.inner.wake.notify_waiters();
    }

    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Resolves once the token is cancelled.
    pub async fn cancelled(&self) {
        loop {
            let woken = self.inner.wake.notified();
            let mut woken = std::pin::pin!(woken);
            // Registered before the check, so a cancel between the two is seen.
            woken.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            woken.await;
        }
    }
}

/// Runs `work` unless `token` is cancelled first (`None`: never cancelled).
pub(crate) async fn unless_cancelled<T>(
    token: Option<&CancelToken>,
    work: impl std::future::Future<Output = T>,
) -> Option<T> {
    match token {
        None => Some(work.await),
        Some(token) => {
            tokio::select! {
                biased;
                () = token.cancelled() => None,
                output = work => Some(output),
            }
        }
    }
}
