//! The native module of the `pigello` Python package. It only translates: the
//! rules, the requests and the sandbox are the Rust core's.

mod api;
mod call;
mod interop;
mod values;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    api::logging::install();
    m.add_class::<api::client::Client>()?;
    m.add_class::<api::client::AsyncClient>()?;
    m.add_class::<api::calls::ResourceCalls>()?;
    m.add_class::<call::pending::PendingCall>()?;
    m.add_class::<api::rows::Rows>()?;
    m.add_class::<values::model::Model>()?;
    values::classes::register(m)?;
    m.add_class::<api::page::Page>()?;
    m.add_class::<interop::arrow::ArrowStream>()?;
    m.add_class::<interop::batches::ArrowBatch>()?;
    m.add_class::<interop::batches::Batches>()?;
    m.add_class::<api::partition::Partition>()?;
    m.add_class::<api::sandbox::Sandbox>()?;
    m.add_function(wrap_pyfunction!(call::runtime::_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(values::unpickle::_model, m)?)?;
    m.add_function(wrap_pyfunction!(api::shell::_use_resources, m)?)?;
    m.add_function(wrap_pyfunction!(api::page::_page, m)?)?;
    m.add_function(wrap_pyfunction!(api::partition::_partition, m)?)?;
    m.add_function(wrap_pyfunction!(api::telemetry::_duration_metric, m)?)?;
    m.add_function(wrap_pyfunction!(api::operations::_operation, m)?)?;
    m.add_function(wrap_pyfunction!(api::operations::_operation_end, m)?)?;
    m.add_function(wrap_pyfunction!(api::sandbox::_cassette_environment, m)?)?;
    Ok(())
}
