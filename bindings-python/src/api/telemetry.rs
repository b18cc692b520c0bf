//! The calls' spans and metric points in the application's OpenTelemetry
//! ([`pigello::telemetry`]). `pigello._telemetry.bridge()` is asked as each
//! call is made, on the caller's thread or task: it answers nothing when
//! nothing records, or a bridge holding the context current there. The core
//! then hands each attempt's span and point to that bridge; this module only
//! converts them.

use std::sync::Arc;

use pigello::telemetry::{
    AttemptEnd, AttemptSpan, AttemptStart, CallTelemetry, DURATION_METRIC, DURATION_UNIT, Pending,
    Propagated, Status, Telemetry, Value, off_by_env, unix_nanos,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

/// The telemetry of a call made now on this thread, if anything records.
pub fn current(py: Python<'_>) -> Option<CallTelemetry> {
    static BRIDGE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let bridge = BRIDGE
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("pigello._telemetry")?.getattr("bridge")?.unbind())
        })
        .ok()?
        .call0(py)
        .ok()?;
    // The environment is read only once OpenTelemetry is known to record.
    if bridge.is_none(py) || off_by_env() {
        return None;
    }
    Some(CallTelemetry(Arc::new(ToOpenTelemetry { bridge })))
}

/// The name and unit of the histogram each attempt adds a point to.
#[pyfunction]
pub fn _duration_metric() -> (&'static str, &'static str) {
    (DURATION_METRIC, DURATION_UNIT)
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
        // As in `start_attempt`: a failure here never reaches the call. An
        // attempt let go as the interpreter shuts down ends without a span.
        let _ = Python::try_attach(|py| -> PyResult<()> {
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
pub(crate) fn attributes<'py>(
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
