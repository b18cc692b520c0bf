//! Running the core's async calls from Python: a blocking client's on a
//! runtime of its own that the waiting thread runs, an asyncio client's on
//! this process's shared runtime; with the GIL released, refusing clearly to
//! use after `fork()` what was made before it, and turning a Rust panic into a
//! `PigelloError` instead of letting it cross into Python.
//!
//! A tokio runtime does not survive `fork()`: the child has none of its worker
//! threads, so anything run on it would wait forever; and the child shares the
//! parent's epoll instance, so registering or dropping a socket there would
//! steal the parent's events. A child therefore builds a runtime of its own on
//! first use (`multiprocessing`, Dask's process workers and pre-fork servers
//! all make a client per worker after a parent that used one), and what the
//! parent made is leaked in the child, never dropped.

use std::cell::OnceCell;
use std::future::Future;
use std::ops::Deref;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures_util::FutureExt;
use futures_util::future::Either;
use pigello::client::CancelToken;
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3_async_runtimes::TaskLocals;
use pyo3_async_runtimes::generic::{ContextExt, Runtime as GenericRuntime};
use tokio::runtime::Runtime;

use crate::call::answer::Answer;
use crate::values::errors::{bug, pigello_error};

/// How many generations of `fork()` a process can descend from one that
/// built a runtime and still build its own.
const GENERATIONS: usize = 16;

/// One runtime per process in its line of descent: slot `i` is built by the
/// process whose id `OWNERS[i]` holds. A child sees its ancestors' slots,
/// skips them and claims the next free one. Plain atomics and `OnceLock`s, so
/// nothing here can be left locked by a thread that did not survive a fork; an
/// ancestor's runtime is never touched, let alone freed.
static OWNERS: [AtomicU32; GENERATIONS] = [const { AtomicU32::new(0) }; GENERATIONS];
static RUNTIMES: [OnceLock<Runtime>; GENERATIONS] = [const { OnceLock::new() }; GENERATIONS];

/// The shared tokio runtime of this process (asyncio clients, sandboxes),
/// built on first use in each process.
pub fn runtime() -> PyResult<&'static Runtime> {
    let pid = std::process::id();
    for (owner, slot) in OWNERS.iter().zip(&RUNTIMES) {
        let claimed = match owner.compare_exchange(0, pid, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => true,
            Err(holder) => holder == pid,
        };
        if claimed {
            return match slot.get() {
                Some(runtime) => Ok(runtime),
                None => build().map(|built| slot.get_or_init(|| built)),
            };
        }
    }
    Err(pigello_error(format!(
        "this process descends from {GENERATIONS} generations of fork() that each used the SDK; none is left to run calls on"
    )))
}

/// A new multi-threaded runtime.
fn build() -> PyResult<Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("pigello-runtime")
        .build()
        .map_err(|e| pigello_error(format!("the runtime could not start: {e}")))
}

/// The process a client (or sandbox) was made in.
#[derive(Debug, Clone, Copy)]
pub struct OwnerProcess(u32);

impl OwnerProcess {
    pub fn now() -> Self {
        OwnerProcess(std::process::id())
    }

    fn is_here(self) -> bool {
        std::process::id() == self.0
    }

    /// An error if this is a child process of the one the object was made in.
    pub fn check(self, what: &str) -> PyResult<()> {
        if self.is_here() {
            Ok(())
        } else {
            Err(pigello_error(format!(
                "this {what} was created in another process (before fork()); create a new one in this process"
            )))
        }
    }
}

/// A value holding connections or tasks of the process it was made in (a
/// client, a call, a sandbox). Dropped in that process as usual; in a child
/// after `fork()` it is leaked: dropping it there would deregister sockets from
/// the epoll instance parent and child share, or wait on a lock a parent's
/// thread held when the process forked.
pub struct ProcessBound<T> {
    /// Always `Some` but while it is dropped.
    value: Option<T>,
    owner: OwnerProcess,
}

impl<T> ProcessBound<T> {
    pub fn new(value: T) -> Self {
        ProcessBound {
            value: Some(value),
            owner: OwnerProcess::now(),
        }
    }
}

impl<T> Deref for ProcessBound<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.value.as_ref().expect("present until dropped")
    }
}

impl<T> std::ops::DerefMut for ProcessBound<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value.as_mut().expect("present until dropped")
    }
}

impl<T> Drop for ProcessBound<T> {
    fn drop(&mut self) {
        if !self.owner.is_here() {
            std::mem::forget(self.value.take());
        }
    }
}

/// The generic runtime pyo3-async-runtimes drives asyncio awaitables with:
/// this process's runtime, where its own global one would be the parent's.
struct PerProcess;

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

impl GenericRuntime for PerProcess {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = tokio::task::JoinHandle<()>;

    // `awaitable` gets the runtime first, so it is there by now.
    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        runtime().expect("built by awaitable").spawn(fut)
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        runtime().expect("built by awaitable").spawn_blocking(f)
    }
}

impl ContextExt for PerProcess {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        Box::pin(TASK_LOCALS.scope(OnceCell::from(locals), fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS
            .try_with(|c| c.get().cloned())
            .unwrap_or_default()
    }
}

/// What runs a client's work while a Python thread waits for it.
#[derive(Clone)]
pub enum Executor {
    /// This process's runtime: the asyncio client's calls, the sandbox.
    Shared,
    /// A blocking client's own single-threaded runtime, run by the thread that
    /// waits: a call and the connection it uses are polled on that thread,
    /// with no hand-off between threads (bench/RESULTS.md measures what that
    /// saves). Its connections run only while some thread waits on it, which
    /// is all a blocking client needs; the clients sharing its connections
    /// (`with_options`) share it. When several threads wait, one runs the
    /// connections and the others take over as it leaves.
    Caller(Arc<ProcessBound<OwnRuntime>>),
}

impl Executor {
    /// A new single-threaded runtime, for a new blocking client.
    pub fn own() -> PyResult<Executor> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| pigello_error(format!("the runtime could not start: {e}")))?;
        Ok(Executor::Caller(Arc::new(ProcessBound::new(OwnRuntime(
            Some(runtime),
        )))))
    }

    /// Runs a future to completion on this thread, which must not hold the
    /// GIL; for a waiter that cannot be interrupted (an Arrow reader called
    /// through C).
    pub fn run<F: Future>(&self, future: F) -> PyResult<F::Output> {
        Ok(self.runtime()?.block_on(self.prepared(future)))
    }

    /// `future` as this executor's runtime is to run it: on a blocking client's
    /// own runtime, once its connections caught up (see [`caught_up`]).
    fn prepared<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        match self {
            Executor::Shared => Either::Left(future),
            Executor::Caller(_) => Either::Right(caught_up(future)),
        }
    }

    fn runtime(&self) -> PyResult<&Runtime> {
        match self {
            Executor::Shared => runtime(),
            Executor::Caller(own) => Ok(own.0.as_ref().expect("present until dropped")),
        }
    }

    /// Runs a future to completion, with the GIL released. Ctrl-C ends the
    /// wait: the signal handler's exception (`KeyboardInterrupt`) is raised and
    /// the future dropped, which cancels the request in flight; the client
    /// stays usable.
    pub fn block_on<T: Send>(
        &self,
        py: Python<'_>,
        future: impl Future<Output = T> + Send,
    ) -> PyResult<T> {
        let (runtime, future) = (self.runtime()?, self.prepared(future));
        detached(py, || runtime.block_on(interruptible(future)))?
    }

    /// Runs one call like [`Executor::block_on`], but Ctrl-C cancels it through
    /// `cancel` and lets it end on its own: the `KeyboardInterrupt` then
    /// carries what the call did as its `__context__` (a bulk write's
    /// `BulkWriteError` says which items were written).
    pub fn block_on_call<T: Send + 'static>(
        &self,
        py: Python<'_>,
        future: impl Future<Output = PyResult<T>> + Send + 'static,
        cancel: &CancelToken,
    ) -> PyResult<T> {
        let runtime = self.runtime()?;
        match self {
            // On the shared runtime, the call runs as a task beside the
            // connection it uses: polled here instead, every step of it would
            // cross between this thread and the runtime's.
            Executor::Shared => {
                let task = Spawned(runtime.spawn(future));
                detached(py, || runtime.block_on(ended_on_signal(task, cancel)))?
            }
            Executor::Caller(_) => {
                let call = Box::pin(caught_up(future));
                detached(py, || runtime.block_on(ended_on_signal(call, cancel)))?
            }
        }
    }
}

/// `future`, once the connections of a blocking client's runtime have taken
/// in what came while no thread ran them: a connection the server closed
/// meanwhile then leaves the pool before a call is written into it (a write
/// would fail with its outcome unknown). A yielded task is woken only after
/// the ready tasks ran and the I/O executor was polled: the first yield lets
/// the executor see the end of the connection, the second lets the
/// connection's task act on it.
async fn caught_up<F: Future>(future: F) -> F::Output {
    tokio::task::yield_now().await;
    tokio::task::yield_now().await;
    future.await
}

/// A blocking client's runtime. Dropped without waiting for its blocking
/// threads (name lookups): a client may be collected on a thread that must
/// not block, such as one of the shared runtime's.
pub struct OwnRuntime(Option<Runtime>);

impl Drop for OwnRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// Runs `work` with the GIL released; a panic becomes a `PigelloError`.
pub fn detached<T: Send>(py: Python<'_>, work: impl FnOnce() -> T + Send) -> PyResult<T> {
    py.detach(|| std::panic::catch_unwind(AssertUnwindSafe(work)))
        .map_err(|panic| bug(&*panic))
}

/// How often a blocking call looks for a pending signal (Ctrl-C) while it waits.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// Runs a future to completion on this process's runtime; see
/// [`Executor::block_on`].
pub fn block_on<T: Send>(py: Python<'_>, future: impl Future<Output = T> + Send) -> PyResult<T> {
    Executor::Shared.block_on(py, future)
}

/// How long a call cancelled by Ctrl-C may take to say what it did (a bulk
/// write's report) before it is dropped.
const CANCEL_GRACE: Duration = Duration::from_secs(1);

/// `call`'s output; on a signal, `cancel` is cancelled and the call given
/// [`CANCEL_GRACE`] to end, its error becoming the signal's `__context__`.
async fn ended_on_signal<T>(
    mut call: impl Future<Output = PyResult<T>> + Unpin,
    cancel: &CancelToken,
) -> PyResult<T> {
    let signal = match interruptible(&mut call).await {
        Ok(output) => return output,
        Err(signal) => signal,
    };
    cancel.cancel();
    if let Ok(Err(report)) = tokio::time::timeout(CANCEL_GRACE, &mut call).await {
        Python::attach(|py| signal.value(py).setattr("__context__", report.value(py)))?;
    }
    Err(signal)
}

/// A task on the runtime, aborted when dropped (a wait given up ends it).
struct Spawned<T>(tokio::task::JoinHandle<PyResult<T>>);

impl<T> Drop for Spawned<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> Future for Spawned<T> {
    type Output = PyResult<T>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<PyResult<T>> {
        Pin::new(&mut self.0).poll(cx).map(|joined| match joined {
            Ok(output) => output,
            Err(e) if e.is_panic() => Err(bug(&*e.into_panic())),
            Err(_) => Err(pigello_error("the call was cancelled".into())),
        })
    }
}

/// `future`'s output, or the exception of a signal handler that ran while it
/// was pending (checked every [`SIGNAL_CHECK`]; Python runs handlers on the
/// main thread only, so elsewhere this only waits).
async fn interruptible<T>(future: impl Future<Output = T>) -> PyResult<T> {
    let mut future = std::pin::pin!(future);
    // Most waits are over at once (a row already fetched): no timer for them.
    if let Some(output) = (&mut future).now_or_never() {
        return Ok(output);
    }
    loop {
        let tick = std::pin::pin!(tokio::time::sleep(SIGNAL_CHECK));
        match futures_util::future::select(&mut future, tick).await {
            Either::Left((output, _)) => return Ok(output),
            Either::Right(((), _)) => Python::attach(|py| py.check_signals())?,
        }
    }
}

/// A Python awaitable of a future run on this process's runtime; a panic
/// while it runs becomes a `PigelloError`, like one in [`detached`].
pub fn awaitable<'py, T>(
    py: Python<'py>,
    future: impl Future<Output = PyResult<T>> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    awaitable_finished(py, async move {
        let value = future.await?;
        Ok(Box::new(move |py: Python<'_>| value.into_py_any(py)) as Answer)
    })
}

/// A Python awaitable of a future run on this process's runtime, whose
/// answer is turned into Python values on the event loop's thread.
pub fn awaitable_finished<'py>(
    py: Python<'py>,
    future: impl Future<Output = PyResult<Answer>> + Send + 'static,
) -> PyResult<Bound<'py, PyAny>> {
    let runtime = runtime()?;
    let future = async move {
        AssertUnwindSafe(future)
            .catch_unwind()
            .await
            .unwrap_or_else(|panic| Err(bug(&*panic)))
    };
    #[cfg(unix)]
    if let Some(answers) = crate::call::handoff::answers_of(py)? {
        return answers.future_of(runtime, future);
    }
    #[cfg(not(unix))]
    let _ = runtime;
    // A loop that cannot watch a socket: each answer through
    // `call_soon_threadsafe`, from a thread that takes the GIL.
    pyo3_async_runtimes::generic::future_into_py::<PerProcess, _, _>(py, async move {
        let finish = future.await?;
        Python::attach(finish)
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
