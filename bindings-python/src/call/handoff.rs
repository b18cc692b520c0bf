//! The asyncio client's answers, handed to the event loop in batches. A call
//! runs as one task on the shared runtime; when it ends, its answer is queued
//! without the GIL and the loop is woken through a socket it watches
//! (`add_reader`), once for every answer queued meanwhile. The loop's thread
//! then turns each answer into Python values and settles its future. No
//! runtime thread waits for the GIL. pyo3-async-runtimes, which a loop that
//! cannot watch a socket still goes through, spawns two tasks per call and
//! hands each answer to a blocking-pool thread that takes the GIL to call
//! `call_soon_threadsafe`: bench/RESULTS.md measures the difference.

use std::future::Future;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Mutex, PoisonError};

use pyo3::exceptions::PyNotImplementedError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyBool;
use tokio::runtime::Runtime;
use tokio::task::AbortHandle;

use crate::call::answer::Answer;

/// One ended call: its future and what settles it.
struct Settled {
    future: Py<PyAny>,
    answer: PyResult<Answer>,
}

impl Settled {
    /// Sets the future's result or exception, unless it was cancelled.
    fn settle(self, py: Python<'_>) -> PyResult<()> {
        let future = self.future.bind(py);
        if future.call_method0("done")?.is_truthy()? {
            return Ok(());
        }
        match self.answer.and_then(|finish| finish(py)) {
            Ok(value) => future.call_method1("set_result", (value,))?,
            Err(error) => future.call_method1("set_exception", (error.value(py),))?,
        };
        Ok(())
    }
}

/// The answers waiting for one event loop, and the socket pair that wakes it.
#[pyclass(module = "pigello._native", name = "_Answers", frozen)]
pub struct Answers {
    queue: Mutex<Vec<Settled>>,
    /// Watched by the loop.
    wake: UnixStream,
    woken: UnixStream,
}

impl Answers {
    fn new() -> PyResult<Self> {
        let (wake, woken) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        woken.set_nonblocking(true)?;
        Ok(Answers {
            queue: Mutex::new(Vec::new()),
            wake,
            woken,
        })
    }

    /// Queues an answer; the first one queued since the loop last drained
    /// wakes it.
    fn push(&self, future: Py<PyAny>, answer: PyResult<Answer>) {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let first = queue.is_empty();
        queue.push(Settled { future, answer });
        drop(queue);
        if first {
            // A full socket already holds a wake-up the loop has not read.
            let _ = (&self.woken).write(&[1]);
        }
    }
}

#[pymethods]
impl Answers {
    /// Run by the loop when the socket is readable: reads the wake-ups first,
    /// then takes what is queued, so an answer queued in between wakes the
    /// loop again.
    fn drain(&self, py: Python<'_>) {
        let mut bytes = [0u8; 64];
        loop {
            match (&self.wake).read(&mut bytes) {
                Ok(n) if n == bytes.len() => continue,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                _ => break,
            }
        }
        let ended = std::mem::take(&mut *self.queue.lock().unwrap_or_else(PoisonError::into_inner));
        for settled in ended {
            if let Err(error) = settled.settle(py) {
                error.write_unraisable(py, None);
            }
        }
    }
}

/// The answers of the running event loop (`RuntimeError` outside one, as
/// asyncio raises), registered with it on first use; `None` for a loop that
/// cannot watch a socket (Windows' proactor loop).
pub fn answers_of(py: Python<'_>) -> PyResult<Option<LoopAnswers<'_>>> {
    static ASYNCIO: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
    let (running_loop, by_loop) = ASYNCIO.get_or_try_init(py, || {
        Ok::<_, PyErr>((
            py.import("asyncio")?.getattr("get_running_loop")?.unbind(),
            py.import("weakref")?
                .getattr("WeakKeyDictionary")?
                .call0()?
                .unbind(),
        ))
    })?;
    let (event_loop, by_loop) = (running_loop.bind(py).call0()?, by_loop.bind(py));
    // `False` for a loop not seen yet; `None` for one that cannot watch a socket.
    let known = by_loop.call_method1("get", (&event_loop, false))?;
    let answers = if known.is_instance_of::<PyBool>() {
        let answers = registered(&event_loop)?;
        by_loop.set_item(&event_loop, &answers)?;
        answers
    } else {
        known.extract()?
    };
    Ok(answers.map(|answers| LoopAnswers {
        event_loop,
        answers,
    }))
}

/// New answers whose socket `event_loop` watches; `None` if it cannot.
fn registered<'py>(event_loop: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, Answers>>> {
    let py = event_loop.py();
    let answers = Bound::new(py, Answers::new()?)?;
    let fd = answers.get().wake.as_raw_fd();
    match event_loop.call_method1("add_reader", (fd, answers.getattr("drain")?)) {
        Ok(_) => Ok(Some(answers)),
        Err(e) if e.is_instance_of::<PyNotImplementedError>(py) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The running loop and its answers. The loop is not kept in [`Answers`]:
/// the loop keeps its reader, which keeps the answers.
pub struct LoopAnswers<'py> {
    event_loop: Bound<'py, PyAny>,
    answers: Bound<'py, Answers>,
}

impl<'py> LoopAnswers<'py> {
    /// A future of the loop, settled with `work`'s answer, which runs as a
    /// task on `runtime`; cancelling the future aborts the task.
    pub fn future_of(
        self,
        runtime: &Runtime,
        work: impl Future<Output = PyResult<Answer>> + Send + 'static,
    ) -> PyResult<Bound<'py, PyAny>> {
        let future = self.event_loop.call_method0("create_future")?;
        let (answers, owed) = (self.answers.unbind(), future.clone().unbind());
        let task = runtime.spawn(async move {
            let answer = work.await;
            answers.get().push(owed, answer);
        });
        future.call_method1("add_done_callback", (AbortOnDone(task.abort_handle()),))?;
        Ok(future)
    }
}

/// Aborts a call's task when its future is done (cancelled, most of all; an
/// ended task is not affected).
#[pyclass(module = "pigello._native", name = "_AbortOnDone", frozen)]
struct AbortOnDone(AbortHandle);

#[pymethods]
impl AbortOnDone {
    fn __call__(&self, _future: &Bound<'_, PyAny>) {
        self.0.abort();
    }
}
