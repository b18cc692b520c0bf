//! The core's errors as the package's exceptions (defined in `pigello/_errors.py`).

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use pigello::Error;

fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("pigello._errors")?.getattr(name)
}

/// An instance of `pigello.<name>(message, **attributes)` as a `PyErr`.
fn raise(
    py: Python<'_>,
    name: &str,
    message: String,
    attributes: Option<&Bound<'_, PyDict>>,
) -> PyErr {
    let made = class(py, name).and_then(|cls| cls.call((message.clone(),), attributes));
    match made {
        Ok(instance) => PyErr::from_value(instance),
        Err(e) => {
            PyRuntimeError::new_err(format!("{message} (and the exception class failed: {e})"))
        }
    }
}

/// A plain `PigelloError`.
pub fn pigello_error(message: String) -> PyErr {
    Python::attach(|py| raise(py, "PigelloError", message, None))
}

/// A `PigelloError` for a Rust panic: a bug, to be reported.
pub fn bug(panic: &(dyn std::any::Any + Send)) -> PyErr {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into());
    pigello_error(format!(
        "internal error in the pigello package ({what}); this is a bug, please report it with the steps that led here"
    ))
}

/// The exception for a core error.
pub fn to_py(error: Error) -> PyErr {
    Python::attach(|py| convert(py, error).unwrap_or_else(|e| e))
}

fn issue<'py>(
    py: Python<'py>,
    path: &str,
    rule: &str,
    message: &str,
) -> PyResult<Bound<'py, PyAny>> {
    class(py, "ValidationIssue")?.call1((path, rule, message))
}

fn convert(py: Python<'_>, error: Error) -> PyResult<PyErr> {
    let message = error.to_string();
    Ok(match error {
        Error::Validation(v) => {
            let items = v
                .violations
                .iter()
                .map(|v| issue(py, v.path.as_str(), v.rule.code(), &v.message))
                .collect::<PyResult<Vec<_>>>()?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("errors", PyList::new(py, items)?)?;
            raise(py, "ValidationError", message, Some(&kwargs))
        }
        Error::Query { problems, .. } => {
            let items = problems
                .iter()
                .map(|p| issue(py, &p.param, p.code, &p.message))
                .collect::<PyResult<Vec<_>>>()?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("errors", PyList::new(py, items)?)?;
            raise(py, "ValidationError", message, Some(&kwargs))
        }
        Error::Api(api) => {
            let name = api.kind.class_name();
            let kwargs = PyDict::new(py);
            kwargs.set_item("status", api.status)?;
            kwargs.set_item("body", &api.body)?;
            kwargs.set_item("request_id", api.request_id.as_deref())?;
            kwargs.set_item("code", api.code.as_deref())?;
            kwargs.set_item("retry_after", api.retry_after.map(|d| d.as_secs_f64()))?;
            let errors = PyList::empty(py);
            for e in &api.errors {
                let item = PyDict::new(py);
                item.set_item("field", &e.field)?;
                item.set_item("code", &e.code)?;
                item.set_item("message", &e.message)?;
                errors.append(item)?;
            }
            kwargs.set_item("errors", errors)?;
            raise(py, name, message, Some(&kwargs))
        }
        Error::Connection { .. } | Error::Timeout { .. } => {
            let kwargs = PyDict::new(py);
            kwargs.set_item("outcome_unknown", error.outcome_unknown())?;
            let name = if matches!(error, Error::Timeout { .. }) {
                "APITimeoutError"
            } else {
                "APIConnectionError"
            };
            raise(py, name, message, Some(&kwargs))
        }
        Error::Bulk(report) => {
            let range = |r: &std::ops::Range<usize>| -> PyResult<Bound<'_, PyAny>> {
                py.import("builtins")?
                    .getattr("range")?
                    .call1((r.start, r.end))
            };
            let kwargs = PyDict::new(py);
            kwargs.set_item("written", range(&report.written)?)?;
            kwargs.set_item("failed", range(&report.failed)?)?;
            kwargs.set_item("not_attempted", range(&report.not_attempted)?)?;
            kwargs.set_item(
                "rows",
                crate::convert::json_to_py(
                    py,
                    &serde_json::Value::Array(report.written_rows.clone()),
                )?,
            )?;
            let err = raise(py, "BulkWriteError", message, Some(&kwargs));
            let cause = convert(py, report.cause)?;
            err.set_cause(py, Some(cause));
            err
        }
        other => raise(py, "PigelloError", other.to_string(), None),
    })
}
