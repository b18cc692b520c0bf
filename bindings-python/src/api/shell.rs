//! What the package's Python shell hands this module at start-up:
//! `pigello/_resources.py` (the resource wrappers, `awaited`, the page walks)
//! imports this module, so this module does not import it back;
//! `pigello/__init__.py` passes it in once both are loaded.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

static RESOURCES: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// Keeps `pigello._resources` for the native classes that hand out its
/// objects (called once, by `pigello/__init__.py`).
#[pyfunction]
pub fn _use_resources(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let _ = RESOURCES.set(module.py(), module.clone().unbind());
    Ok(())
}

/// `pigello._resources`, as `pigello/__init__.py` handed it over.
pub fn resources(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    RESOURCES
        .get(py)
        .map(|module| module.bind(py))
        .ok_or_else(|| PyRuntimeError::new_err("import pigello before using its native module"))
}
