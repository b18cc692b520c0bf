//! One call of a resource, built but not sent. The blocking `Resource` runs it
//! with `wait()`; the `AsyncResource` awaits it inside its own `async def`, so
//! what the user holds is a real coroutine and nothing is sent before it is
//! awaited. The native calls are the same for both clients.

use std::future::Future;
use std::sync::Mutex;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use pyo3::prelude::*;

use pigello::client::{CancelToken, ResponseRecorder};
use pyo3::types::PyDict;

use crate::call::answer::Answer;
use crate::call::runtime::{Executor, OwnerProcess, ProcessBound, awaitable_finished};
use crate::values::errors::pigello_error;

type Work = BoxFuture<'static, PyResult<Answer>>;

/// What a call carries besides its work: the token Ctrl-C cancels and the
/// recorder of its answer (for `response()` and a model's `_request_id`).
#[derive(Debug, Clone, Default)]
pub struct CallState {
    pub cancel: CancelToken,
    pub record: ResponseRecorder,
}

/// A call not yet sent: run it once, with `wait()` or `await`.
#[pyclass(module = "pigello._native", name = "PendingCall", frozen)]
pub struct PendingCall {
    work: ProcessBound<Mutex<Option<Work>>>,
    /// Ctrl-C cancels the call (`wait()`; asyncio cancels an awaited one).
    state: CallState,
    /// What runs it for `wait()`.
    executor: Executor,
    owner: OwnerProcess,
}

impl PendingCall {
    pub fn new(
        (executor, owner): (Executor, OwnerProcess),
        work: impl Future<Output = PyResult<Answer>> + Send + 'static,
        state: CallState,
    ) -> Self {
        PendingCall {
            work: ProcessBound::new(Mutex::new(Some(work.boxed()))),
            state,
            executor,
            owner,
        }
    }

    fn take(&self) -> PyResult<Work> {
        self.owner.check("client")?;
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
        self.executor
            .block_on_call(py, self.take()?, &self.state.cancel)?(py)
    }

    /// Keeps the answer's headers too, for `response()`; before the call runs.
    fn want_headers(&self) {
        self.state.record.want_headers();
    }

    /// The facts of the call's answer, once it has run: `status_code`,
    /// `headers` (by lower-case name, as the core reads them), `request_id`,
    /// `elapsed` (seconds) and `retries_taken`.
    fn response<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(answer) = self.state.record.last() else {
            return Ok(None);
        };
        let facts = PyDict::new(py);
        facts.set_item("status_code", answer.status)?;
        facts.set_item("headers", answer.header_map())?;
        facts.set_item("request_id", answer.request_id)?;
        facts.set_item("elapsed", answer.elapsed.as_secs_f64())?;
        facts.set_item("retries_taken", answer.retries_taken)?;
        Ok(Some(facts))
    }

    /// Sends the call on the shared runtime when awaited.
    fn __await__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        awaitable_finished(py, self.take()?)?.call_method0("__await__")
    }
}
