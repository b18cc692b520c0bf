//! The core's errors as the package's exceptions (defined in `pigello/_errors.py`).

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use pigello::Error;
use serde_json::Value;

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
    pigello_error(Error::internal_message(&what))
}

/// The exception for a core error.
pub fn to_py(error: Error) -> PyErr {
    Python::attach(|py| exception(py, &error.describe()).unwrap_or_else(|e| e))
}

/// The exception a core error's description names: its class, with every
/// field of the description as an attribute of the same (snake_case) name;
/// the issues as `ValidationIssue`s, a bulk write's index spans as `range`s,
/// and its cause as the exception's `__cause__`.
fn exception(py: Python<'_>, description: &Value) -> PyResult<PyErr> {
    let text = |key: &str| description[key].as_str().unwrap_or_default().to_owned();
    let kwargs = PyDict::new(py);
    for (key, value) in description.as_object().into_iter().flatten() {
        match key.as_str() {
            "class" | "message" | "cause" => continue,
            "errors" => {
                let issues = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|i| issue(py, &i["path"], &i["rule"], &i["message"]))
                    .collect::<PyResult<Vec<_>>>()?;
                kwargs.set_item(key, PyList::new(py, issues)?)?;
            }
            "written" | "failed" | "not_attempted" => {
                let span = |i: usize| value[i].as_u64().unwrap_or_default();
                let range = py.import("builtins")?.getattr("range")?;
                kwargs.set_item(key, range.call1((span(0), span(1)))?)?;
            }
            _ => kwargs.set_item(key, crate::values::to_python::json_to_py(py, value)?)?,
        }
    }
    let err = raise(py, &text("class"), text("message"), Some(&kwargs));
    if let Some(cause) = description.get("cause") {
        err.set_cause(py, Some(exception(py, cause)?));
    }
    Ok(err)
}

fn issue<'py>(
    py: Python<'py>,
    path: &Value,
    rule: &Value,
    message: &Value,
) -> PyResult<Bound<'py, PyAny>> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    class(py, "ValidationIssue")?.call1((text(path), text(rule), text(message)))
}
