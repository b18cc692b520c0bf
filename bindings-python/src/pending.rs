//! One call of a resource, built but not sent. The blocking `Resource` runs it
//! with `wait()`; the `AsyncResource` awaits it inside its own `async def`, so
//! what the user holds is a real coroutine and nothing is sent before it is
//! awaited. The native calls are the same for both clients.

use std::future::Future;
use std::sync::Mutex;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use pyo3::prelude::*;

use pigello::client::CancelToken;

use crate::errors::pigello_error;
use crate::runtime::{Birth, ProcessBound, awaitable, block_on_call};

type Work = BoxFuture<'static, PyResult<Py<PyAny>>>;

/// A call not yet sent: run it once, with `wait()` or `await`.
#[pyclass(module = "pigello._native", name = "PendingCall", frozen)]
pub struct PendingCall {
    work: ProcessBound<Mutex<Option<Work>>>,
    /// Cancels the call on Ctrl-C (`wait()`); asyncio cancels an awaited one.
    cancel: CancelToken,
    birth: Birth,
}

impl PendingCall {
    pub fn new(
        birth: Birth,
        work: impl Future<Output = PyResult<Py<PyAny>>> + Send + 'static,
        cancel: CancelToken,
    ) -> Self {
        PendingCall {
            work: ProcessBound::new(Mutex::new(Some(work.boxed()))),
            cancel,
            birth,
        }
    }

    fn take(&self) -> PyResult<Work> {
        self.birth.check("client")?;
        self.work
            .lock()
            .map_err(|_| pigello_error("a call's state was poisoned by a panic".into()))?
            .take()
            .ok_or_else(|| pigello_error("this call has already run".into()))
    }
}

#[pymethods]
impl PendingCall {
    /// Sends the call and blocks until it is answered (the GIL released);
    /// Ctrl-C cancels it.
    pub fn wait(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        block_on_call(py, self.take()?, &self.cancel)
    }

    /// Sends the call on the shared runtime when awaited.
    fn __await__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, self.take()?)?.call_method0("__await__")
    }
}
