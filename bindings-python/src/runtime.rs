//! Running the core's async calls from Python: on one shared tokio runtime,
//! with the GIL released, refusing clearly after `fork()`, and turning a Rust
//! panic into a `PigelloError` instead of letting it cross into Python.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use pyo3::prelude::*;

use crate::errors::{bug, pigello_error};

/// The tokio runtime every call runs on (the one pyo3-async-runtimes uses, so
/// the asyncio client and the blocking client share it).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    pyo3_async_runtimes::tokio::get_runtime()
}

/// The process a client (or sandbox) was made in. A tokio runtime and its
/// connections do not survive `fork()`: using them in the child would hang.
#[derive(Debug, Clone, Copy)]
pub struct Birth(u32);

impl Birth {
    pub fn now() -> Self {
        Birth(std::process::id())
    }

    /// An error if this is a child process of the one the object was made in.
    pub fn check(self, what: &str) -> PyResult<()> {
        if std::process::id() == self.0 {
            Ok(())
        } else {
            Err(pigello_error(format!(
                "this {what} was created in another process (before fork()); create a new one in this process"
            )))
        }
    }
}

/// Runs `work` with the GIL released; a panic becomes a `PigelloError`.
pub fn detached<T: Send>(py: Python<'_>, work: impl FnOnce() -> T + Send) -> PyResult<T> {
    py.detach(|| std::panic::catch_unwind(AssertUnwindSafe(work)))
        .map_err(|panic| bug(&*panic))
}

/// Runs a future to completion on the shared runtime, with the GIL released.
pub fn block_on<T: Send>(py: Python<'_>, future: impl Future<Output = T> + Send) -> PyResult<T> {
    detached(py, || runtime().block_on(future))
}

/// A Python awaitable of a future run on the shared runtime; a panic while it
/// runs becomes a `PigelloError`, like one in [`detached`].
pub fn awaitable<'py, T>(
    py: Python<'py>,
    future: impl Future<Output = PyResult<T>> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        AssertUnwindSafe(future)
            .catch_unwind()
            .await
            .unwrap_or_else(|panic| Err(bug(&*panic)))
    })
}

/// Panics inside the guards above, blocking or awaitable: how the tests prove a
/// Rust panic reaches Python as a `PigelloError` and nothing worse.
#[pyfunction]
#[pyo3(signature = (asynchronous = false))]
pub fn _panic_for_tests(py: Python<'_>, asynchronous: bool) -> PyResult<Bound<'_, PyAny>> {
    if asynchronous {
        awaitable(py, async { panic!("deliberate panic") as PyResult<()> })
    } else {
        block_on(py, async { panic!("deliberate panic") as () })?;
        Ok(py.None().into_bound(py))
    }
}
