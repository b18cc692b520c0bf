//! The calls' spans and metric points in the application's OpenTelemetry
//! ([`pigello::telemetry`]). `pigello._telemetry.bridge()` is asked as each
//! call is made, on the caller's thread or task: it answers nothing when
//! nothing records, or a bridge holding the context current there. The core
//! then hands each attempt's span and point to that bridge; this module only
//! converts them.

use std::sync::Arc;

use pigello::description::Taker;
use pigello::telemetry::{
    AttemptEnd, AttemptSpan, AttemptStart, CallTelemetry, DURATION_METRIC, DURATION_UNIT,
    ErrorType, Operation, OperationEnd, Pending, Propagated, Status, Telemetry, Value, off_by_env,
    unix_nanos,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::api::calls::ResourceCalls;

/// The telemetry of a call made now on this thread, if anything records.
pub fn current(py: Python<'_>) -> Option<CallTelemetry> {
    static BRIDGE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    if off_by_env() {
        return None;
    }
    let bridge = BRIDGE
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("pigello._telemetry")?.getattr("bridge")?.unbind())
        })
        .ok()?
        .call0(py)
        .ok()?;
    if bridge.is_none(py) {
        return None;
    }
    Some(CallTelemetry(Arc::new(ToOpenTelemetry { bridge })))
}

/// The name and unit of the histogram each attempt adds a point to.
#[pyfunction]
pub fn _duration_metric() -> (&'static str, &'static str) {
    (DURATION_METRIC, DURATION_UNIT)
}

/// The span of `method` on `calls`' resource when it may send several
/// requests: `(name, attributes)`, as the core names it; else `None`.
#[pyfunction]
pub fn _operation<'py>(
    py: Python<'py>,
    calls: &ResourceCalls,
    method: &str,
) -> PyResult<Option<(String, Bound<'py, PyDict>)>> {
    let taker = Taker::CALLS.iter().find(|taker| taker.python() == method);
    match taker.and_then(|taker| Operation::of(calls.spec, *taker)) {
        Some(operation) => Ok(Some((
            operation.name,
            attributes(py, &operation.attributes)?,
        ))),
        None => Ok(None),
    }
}

/// How an operation ended, after `rows` rows and `pages` answered requests:
/// its attributes, and whether its status is an error. `error_type` is the
/// `error.type` of what ended it (a failed request's, or `_OTHER`).
#[pyfunction]
#[pyo3(signature = (rows, pages, error_type=None))]
pub fn _operation_end<'py>(
    py: Python<'py>,
    rows: u64,
    pages: u64,
    error_type: Option<&str>,
) -> PyResult<(Bound<'py, PyDict>, bool)> {
    let end = OperationEnd::new(rows, pages, error_type.map(ErrorType::named));
    Ok((
        attributes(py, &end.attributes)?,
        end.status == Status::Error,
    ))
}

/// One call's bridge (`pigello._telemetry._Bridge`).
struct ToOpenTelemetry {
    bridge: Py<PyAny>,
}

impl ToOpenTelemetry {
    /// The attempt's span, and the headers of its trace context.
    fn begin(&self, py: Python<'_>, start: &AttemptStart) -> PyResult<(Py<PyAny>, Propagated)> {
        let name = start.name.as_str();
        let started = (
            name,
            attributes(py, &start.attributes)?,
            unix_nanos(start.start),
        );
        self.bridge.call_method1(py, "start", started)?.extract(py)
    }
}

impl Telemetry for ToOpenTelemetry {
    fn start_attempt(&self, start: AttemptStart) -> Pending<Box<dyn AttemptSpan>> {
        let span = Python::attach(|py| {
            // The bridge catches what OpenTelemetry raises; a failure of its
            // own leaves the attempt without a span, never without an answer.
            let (span, propagated) = self
                .begin(py, &start)
                .unwrap_or_else(|_| (py.None(), Vec::new()));
            PythonSpan {
                bridge: self.bridge.clone_ref(py),
                span,
                propagated,
            }
        });
        Box::pin(std::future::ready(Box::new(span) as Box<dyn AttemptSpan>))
    }
}

/// An attempt's span, as OpenTelemetry's API started it.
struct PythonSpan {
    bridge: Py<PyAny>,
    span: Py<PyAny>,
    propagated: Propagated,
}

impl AttemptSpan for PythonSpan {
    fn propagated(&self) -> Propagated {
        self.propagated.clone()
    }

    fn end(self: Box<Self>, end: AttemptEnd) -> Pending<()> {
        // As in `start_attempt`: a failure here never reaches the call.
        let _ = Python::attach(|py| -> PyResult<()> {
            let ended = (
                &self.span,
                attributes(py, &end.attributes)?,
                end.status == Status::Error,
                unix_nanos(end.end),
                end.duration,
                attributes(py, &end.metric_attributes)?,
            );
            self.bridge.call_method1(py, "end", ended)?;
            Ok(())
        });
        Box::pin(std::future::ready(()))
    }
}

/// Attributes as the dict OpenTelemetry's API takes.
fn attributes<'py>(
    py: Python<'py>,
    attributes: &[(&'static str, Value)],
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (name, value) in attributes {
        match value {
            Value::Text(text) => dict.set_item(name, text)?,
            Value::Int(n) => dict.set_item(name, n)?,
        }
    }
    Ok(dict)
}
