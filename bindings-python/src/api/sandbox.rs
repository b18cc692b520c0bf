//! `pigello.testing.Sandbox`: the core's sandbox, in this process, on a free
//! loopback port.

use std::sync::Mutex;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use pigello_sandbox::{FaultSpec, SandboxConfig, SandboxOptions};
use pyo3::types::PyDict;
use serde_json::{Map, Value};

use crate::api::calls::ClientKind;
use crate::api::client::{AsyncClient, Client, Core, build};
use crate::api::options::read;
use crate::api::signatures::signature;
use crate::call::runtime::{OwnerProcess, ProcessBound, block_on};
use crate::values::errors::pigello_error;
use crate::values::from_python::py_to_json;
use crate::values::to_python::json_to_py;
use pigello::description::Taker;

#[doc = signature!(Sandbox)]
/// A local Pigello Accounts API, seeded, stateful, with faults on demand.
#[pyclass(module = "pigello._native", name = "Sandbox", frozen)]
pub struct Sandbox {
    inner: ProcessBound<Mutex<Option<pigello_sandbox::Sandbox>>>,
    /// The base URL, `http://127.0.0.1:PORT`.
    #[pyo3(get)]
    url: String,
    owner: OwnerProcess,
}

impl Sandbox {
    fn with<T>(&self, f: impl FnOnce(&pigello_sandbox::Sandbox) -> T) -> PyResult<T> {
        self.owner.check("sandbox")?;
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .map(f)
            .ok_or_else(|| pigello_error("the sandbox was stopped".into()))
    }

    /// A core client with the first seeded customer's credentials, and the
    /// settings `keywords` give.
    fn core(&self, keywords: Option<&Bound<'_, PyDict>>, kind: ClientKind) -> PyResult<Core> {
        let settings = read(Taker::ClientSettings, keywords)?.options.request;
        let credentials = self.with(|s| s.credentials())?;
        let builder = pigello::Client::builder()
            .credentials(credentials)
            .base_url(self.url.clone());
        Core::new(build(builder, &settings)?, kind)
    }
}

#[pymethods]
impl Sandbox {
    #[new]
    #[pyo3(signature = (**keywords), text_signature = None)]
    fn new(py: Python<'_>, keywords: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let given = read(Taker::Sandbox, keywords)?.options;
        let config = SandboxConfig::from(SandboxOptions {
            seed: given.seed,
            tenants: given.tenants.map(|n| n as usize),
            require_secret: given.require_secret,
            port: given.port,
        });
        let sandbox = block_on(py, pigello_sandbox::Sandbox::start(config))?
            .map_err(|e| pigello_error(format!("the sandbox could not start: {e}")))?;
        Ok(Sandbox {
            url: sandbox.url(),
            inner: ProcessBound::new(Mutex::new(Some(sandbox))),
            owner: OwnerProcess::now(),
        })
    }

    #[doc = signature!(client)]
    /// A client holding credentials for the first seeded customer.
    #[pyo3(signature = (**keywords), text_signature = None)]
    fn client(&self, keywords: Option<&Bound<'_, PyDict>>) -> PyResult<Client> {
        Ok(Client {
            core: self.core(keywords, ClientKind::Blocking)?,
        })
    }

    #[doc = signature!(async_client)]
    /// An async client holding credentials for the first seeded customer.
    #[pyo3(signature = (**keywords), text_signature = None)]
    fn async_client(&self, keywords: Option<&Bound<'_, PyDict>>) -> PyResult<AsyncClient> {
        Ok(AsyncClient {
            core: self.core(keywords, ClientKind::Awaitable)?,
        })
    }

    /// The `PIGELLO_*` variables that make `Client.from_env()` reach this
    /// sandbox as the first seeded customer: for an application under test,
    /// in this process (`monkeypatch.setenv`) or a child one (`env=`).
    fn env<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let variables = PyDict::new(py);
        for (name, value) in self.with(|s| s.env())? {
            variables.set_item(name, value)?;
        }
        Ok(variables)
    }

    /// Back to the seeded world; fault rules are cleared.
    fn reset(&self) -> PyResult<()> {
        self.with(|s| s.reset())?
            .map_err(|e| pigello_error(e.to_string()))
    }

    /// Adds a fault rule and returns its index into `fault_hits()` (until the
    /// rules are cleared). `kind` is `"status"` (with `status`
    /// and optionally `retry_after`), `"latency"` (with `ms`), `"drop"`,
    /// `"drop_after_write"` or `"header"` (with `name` and `value`: a header
    /// added to the answer).
    #[pyo3(signature = (kind, **settings))]
    fn inject_fault(&self, kind: &str, settings: Option<&Bound<'_, PyDict>>) -> PyResult<u64> {
        let mut flat = match settings.map(|d| py_to_json(d.as_any())).transpose()? {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        flat.insert("kind".into(), Value::String(kind.to_owned()));
        let spec = FaultSpec::from_flat(flat).map_err(PyValueError::new_err)?;
        self.with(|s| s.inject_fault(spec))?
            .map_err(PyValueError::new_err)
    }

    /// How many times each fault rule fired, in the order they were added.
    fn fault_hits(&self) -> PyResult<Vec<u64>> {
        self.with(|s| s.fault_hits())
    }

    /// Removes every fault rule.
    fn clear_faults(&self) -> PyResult<()> {
        self.with(|s| s.clear_faults())
    }

    /// The last requests the API received, oldest first, each a dict of
    /// `request_id`, `method`, `path`, `query`, `headers` (the credential
    /// headers show `<redacted>`) and `body_keys` (the keys every object of
    /// the JSON body has; names only).
    fn requests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let seen = self.with(|s| s.requests())?;
        let seen = serde_json::to_value(seen).map_err(|e| pigello_error(e.to_string()))?;
        json_to_py(py, &seen)
    }

    /// Forgets the requests received so far.
    fn clear_requests(&self) -> PyResult<()> {
        self.with(|s| s.clear_requests())
    }

    /// The whole state as a dict.
    fn export_state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let state = self.with(|s| s.export_state())?;
        json_to_py(py, &state)
    }

    /// Replaces the state with an exported one (refused whole if it breaks a rule).
    fn import_state(&self, state: &Bound<'_, PyAny>) -> PyResult<()> {
        let mut document = py_to_json(state)?;
        // A state file holds dates as text, as an export writes them.
        pigello::model::resolve_instants(&mut document, false);
        self.with(|s| s.import_state(&document))?
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Stops the server; later calls to it fail to connect.
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        self.owner.check("sandbox")?;
        let taken = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(sandbox) = taken {
            block_on(py, sandbox.stop())?.map_err(|e| pigello_error(e.to_string()))?;
        }
        Ok(())
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> PyResult<bool> {
        self.stop(py)?;
        Ok(false)
    }

    fn __repr__(&self) -> String {
        format!("Sandbox(url='{}')", self.url)
    }
}

/// The `PIGELLO_*` variables that make `Client.from_env()` use the cassette
/// at `path` in `record_mode` (with placeholder credentials and a base URL
/// nothing listens on when the environment holds no credentials): what the
/// pytest plugin sets for a test marked `pigello_cassette`.
#[pyfunction]
pub fn _cassette_environment<'py>(
    py: Python<'py>,
    path: &str,
    record_mode: &str,
    anonymize: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let mode = pigello::cassette::RecordMode::parse(record_mode, "record_mode")
        .map_err(crate::values::errors::to_py)?;
    let variables = PyDict::new(py);
    let lookup = |name: &str| std::env::var(name).ok();
    for (name, value) in pigello::client::cassette_environment(path, mode, anonymize, lookup) {
        variables.set_item(name, value)?;
    }
    Ok(variables)
}
