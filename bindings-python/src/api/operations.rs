//! The span over an operation of several requests (an export, a bulk write,
//! a walk), as the core names it ([`pigello::telemetry::operation`]), for
//! `pigello._telemetry.operation()`, which opens it around the operation.

use pigello::Spelling;
use pigello::description::Taker;
use pigello::telemetry::{ErrorType, OperationEnd, Status};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::api::calls::ResourceCalls;
use crate::api::telemetry::attributes;

/// The span of `method` on `calls`' resource when it may send several
/// requests: `(name, attributes)`, as the core names it; else `None`.
#[pyfunction]
pub fn _operation<'py>(
    py: Python<'py>,
    calls: &ResourceCalls,
    method: &str,
) -> PyResult<Option<(String, Bound<'py, PyDict>)>> {
    let taker = Taker::call_named(method, Spelling::Snake);
    match taker.and_then(|taker| calls.raw.operation(taker)) {
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
