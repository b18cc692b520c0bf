//! A call's answer as the runtime hands it over: the core's result, still to
//! be made into Python values; and the ways a resource's answers become them.

use pyo3::prelude::*;
use pyo3::types::PyList;
use serde_json::Value;

use pigello::client::LazyRow;
use pigello::description::ResourceSpec;

use crate::values::classes::instantiate;
use crate::values::errors::to_py;
use crate::values::model::Model;

/// What turns a call's answer into Python values, run holding the GIL: on
/// the calling thread for `wait()`, on the event loop's thread for `await`
/// (see `handoff`), so the runtime's threads need not take the GIL for it.
pub type Answer = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// One row as an object of its resource's class.
pub fn model(py: Python<'_>, spec: &'static ResourceSpec, row: LazyRow) -> PyResult<Py<PyAny>> {
    Ok(instantiate(py, Model::new(spec, row))?.into_any())
}

/// Rows as objects of their resource's class.
pub fn models(
    py: Python<'_>,
    spec: &'static ResourceSpec,
    rows: Vec<LazyRow>,
) -> PyResult<Vec<Py<Model>>> {
    rows.into_iter()
        .map(|row| instantiate(py, Model::new(spec, row)))
        .collect()
}

/// Rows the API wrote (a bulk write's), as a list of objects of their class.
pub fn model_list(
    py: Python<'_>,
    spec: &'static ResourceSpec,
    rows: Vec<Value>,
) -> PyResult<Py<PyAny>> {
    let rows = rows
        .iter()
        .map(|row| LazyRow::from_json(spec, row).map_err(to_py))
        .collect::<PyResult<_>>()?;
    Ok(PyList::new(py, models(py, spec, rows)?)?
        .into_any()
        .unbind())
}

/// No value: `None` (a delete).
pub fn none(py: Python<'_>, _: &'static ResourceSpec, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}

/// Untyped JSON as plain Python values (an invite's answer).
pub fn plain_json(py: Python<'_>, _: &'static ResourceSpec, value: Value) -> PyResult<Py<PyAny>> {
    Ok(crate::values::to_python::json_to_py(py, &value)?.unbind())
}
