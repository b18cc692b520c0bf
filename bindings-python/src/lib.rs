//! The native module of the `pigello` Python package. It only translates: the
//! rules, the requests and the sandbox are the Rust core's.

mod answer;
mod arg;
mod arrow;
mod batches;
mod calls;
mod classes;
mod client;
mod errors;
mod frame;
mod from_python;
#[cfg(unix)]
mod handoff;
mod logging;
mod model;
mod options;
mod page;
mod partition;
mod pending;
mod progress;
mod resource;
mod rows;
mod runtime;
mod sandbox;
mod shell;
mod to_python;
mod unpickle;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    logging::install();
    m.add_class::<client::Client>()?;
    m.add_class::<client::AsyncClient>()?;
    m.add_class::<calls::ResourceCalls>()?;
    m.add_class::<pending::PendingCall>()?;
    m.add_class::<rows::Rows>()?;
    m.add_class::<model::Model>()?;
    classes::register(m)?;
    m.add_class::<page::Page>()?;
    m.add_class::<arrow::ArrowStream>()?;
    m.add_class::<batches::ArrowBatch>()?;
    m.add_class::<batches::Batches>()?;
    m.add_class::<partition::Partition>()?;
    m.add_class::<sandbox::Sandbox>()?;
    m.add_function(wrap_pyfunction!(runtime::_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(unpickle::_model, m)?)?;
    m.add_function(wrap_pyfunction!(shell::_use_resources, m)?)?;
    m.add_function(wrap_pyfunction!(page::_page, m)?)?;
    m.add_function(wrap_pyfunction!(partition::_partition, m)?)?;
    Ok(())
}
