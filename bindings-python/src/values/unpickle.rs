//! A model from its pickled form (what `Model.__reduce__` names): the
//! resource's name and its fields as JSON, made an object of its class again.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde_json::Value;

use pigello::client::LazyRow;

use crate::values::classes::instantiate;
use crate::values::errors::to_py;
use crate::values::model::Model;

/// A model from its pickled form: the resource's name and its fields as JSON.
#[pyfunction]
pub fn _model(py: Python<'_>, resource: &str, fields: &str) -> PyResult<Py<Model>> {
    let spec = pigello::resources::find(resource)
        .ok_or_else(|| PyValueError::new_err(format!("no resource is called {resource:?}")))?;
    let value: Value =
        serde_json::from_str(fields).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let row = LazyRow::from_json(spec, &value).map_err(to_py)?;
    instantiate(py, Model::new(spec, row))
}
