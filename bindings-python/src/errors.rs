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

/// The exception for a core error: the class the core names, its code and
/// issues, and the fields of its kind.
fn convert(py: Python<'_>, error: Error) -> PyResult<PyErr> {
    let message = error.to_string();
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", error.code())?;
    kwargs.set_item("outcome_unknown", error.outcome_unknown())?;
    let issues = error
        .issues()
        .iter()
        .map(|i| issue(py, &i.path, &i.rule, &i.message))
        .collect::<PyResult<Vec<_>>>()?;
    match &error {
        Error::Validation(_) | Error::Query { .. } => {
            kwargs.set_item("errors", PyList::new(py, issues)?)?;
        }
        Error::Api(api) => {
            kwargs.set_item("errors", PyList::new(py, issues)?)?;
            kwargs.set_item("status", api.status)?;
            kwargs.set_item("body", &api.body)?;
            kwargs.set_item("request_id", api.request_id.as_deref())?;
            kwargs.set_item("retry_after", api.retry_after.map(|d| d.as_secs_f64()))?;
        }
        Error::Bulk(report) => {
            let range = |r: &std::ops::Range<usize>| -> PyResult<Bound<'_, PyAny>> {
                py.import("builtins")?
                    .getattr("range")?
                    .call1((r.start, r.end))
            };
            kwargs.set_item("written", range(&report.written)?)?;
            kwargs.set_item("failed", range(&report.failed)?)?;
            kwargs.set_item("not_attempted", range(&report.not_attempted)?)?;
            let rows = serde_json::Value::Array(report.written_rows.clone());
            kwargs.set_item("rows", crate::to_python::json_to_py(py, &rows)?)?;
        }
        _ => {}
    }
    let err = raise(py, error.class_name(), message, Some(&kwargs));
    if let Error::Bulk(report) = error {
        err.set_cause(py, Some(convert(py, report.cause)?));
    }
    Ok(err)
}
