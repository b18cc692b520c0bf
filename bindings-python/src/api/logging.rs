//! The core's log lines ([`pigello::log`]) in Python's `logging`: each call's
//! lines go to the logger `pigello` (method, path, the query with every value
//! that could be personal redacted, status, attempt, elapsed time, request id,
//! retry waits).

use std::sync::atomic::{AtomicI32, Ordering};

use pigello::log::{LineLayer, LineSink};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tracing::Level;
use tracing_subscriber::prelude::*;

/// The logger's effective level, as Python's `logging` numbers it; read from
/// the logger (with the GIL) each time a call is made, so an event on a
/// runtime thread costs nothing when its level is off.
static LEVEL: AtomicI32 = AtomicI32::new(i32::MAX);

fn logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOGGER
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("logging")?
                    .call_method1("getLogger", ("pigello",))?
                    .unbind(),
            )
        })
        .map(|l| l.bind(py))
}

/// Reads the logger's level again; called as each call is made.
pub fn refresh(py: Python<'_>) {
    let level = logger(py)
        .and_then(|l| l.call_method0("getEffectiveLevel")?.extract::<i32>())
        .unwrap_or(i32::MAX);
    LEVEL.store(level, Ordering::Relaxed);
}

/// Sends the core's lines to Python from now on (a no-op when this process
/// already has a `tracing` subscriber).
pub fn install() {
    let _ = tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(LineLayer(ToPythonLogging)),
    );
}

/// Python's number for a level.
fn python_level(level: &Level) -> i32 {
    match *level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

/// Every line to the one logger `pigello`, whichever client made it.
struct ToPythonLogging;

impl LineSink for ToPythonLogging {
    /// Off below the logger's level: the core then builds no span and no
    /// line (not even the redacted query) for a call.
    fn wants(&self, level: &Level) -> bool {
        python_level(level) >= LEVEL.load(Ordering::Relaxed)
    }

    fn line(&self, level: &Level, _tag: Option<u64>, line: String) {
        Python::attach(|py| {
            if let Ok(logger) = logger(py) {
                let _ = logger.call_method1("log", (python_level(level), line));
            }
        });
    }
}
