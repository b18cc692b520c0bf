//! `pigello.Client`: the blocking client, with a resource per attribute.

use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::types::PyList;

use pigello::client::ClientBuilder;
use pigello::{Credentials, Spelling};

use crate::errors::to_py;
use crate::resource::Resource;
use crate::runtime::Birth;

/// Builds a core client: the builder's credentials and base URL, with the
/// optional settings.
pub fn build(
    mut builder: ClientBuilder,
    timeout: Option<f64>,
    max_retries: Option<u32>,
) -> PyResult<pigello::Client> {
    builder = builder.user_agent_suffix(concat!("python/", env!("CARGO_PKG_VERSION")));
    if let Some(seconds) = timeout {
        builder = builder.timeout_seconds(seconds, "timeout").map_err(to_py)?;
    }
    if let Some(n) = max_retries {
        builder = builder.max_retries(n);
    }
    builder.build().map_err(to_py)
}

impl Client {
    fn env(timeout: Option<f64>, max_retries: Option<u32>, asynchronous: bool) -> PyResult<Self> {
        let from_env = pigello::Client::builder_from_env().map_err(to_py)?;
        Ok(Client {
            inner: build(from_env, timeout, max_retries)?,
            birth: Birth::now(),
            asynchronous,
        })
    }
}

/// The Pigello API, blocking. Resources are attributes: `client.tenants`, ...
#[pyclass(module = "pigello._native", name = "Client", frozen, subclass)]
#[derive(Clone)]
pub struct Client {
    pub inner: pigello::Client,
    pub birth: Birth,
    pub asynchronous: bool,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (*, customer_id, application_id, service_id, service_version_id, client_ct, client_object_id, client_secret, base_url=None, timeout=None, max_retries=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        customer_id: String,
        application_id: String,
        service_id: String,
        service_version_id: String,
        client_ct: String,
        client_object_id: String,
        client_secret: String,
        base_url: Option<String>,
        timeout: Option<f64>,
        max_retries: Option<u32>,
    ) -> PyResult<Self> {
        let mut values = [
            customer_id,
            application_id,
            service_id,
            service_version_id,
            client_ct,
            client_object_id,
            client_secret,
        ]
        .into_iter();
        let credentials =
            Credentials::from_values(|_| values.next(), Spelling::Snake).map_err(to_py)?;
        Ok(Client {
            inner: build(
                pigello::Client::builder()
                    .credentials(credentials)
                    .base_url_if_set(base_url),
                timeout,
                max_retries,
            )?,
            birth: Birth::now(),
            asynchronous: false,
        })
    }

    /// A client from `PIGELLO_BASE_URL` (optional) and the seven `PIGELLO_*`
    /// credentials; a missing one is an error that names it.
    #[staticmethod]
    #[pyo3(signature = (*, timeout=None, max_retries=None))]
    fn from_env(timeout: Option<f64>, max_retries: Option<u32>) -> PyResult<Self> {
        Client::env(timeout, max_retries, false)
    }

    /// The same client (same connections), with awaitable methods.
    fn to_async(&self, py: Python<'_>) -> PyResult<Py<AsyncClient>> {
        AsyncClient::wrap(
            py,
            Client {
                asynchronous: true,
                ..self.clone()
            },
        )
    }

    /// Whether the methods are awaitable.
    #[getter]
    fn is_async(&self) -> bool {
        self.asynchronous
    }

    fn __aenter__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyo3_async_runtimes::tokio::future_into_py(py, async move { Ok(slf) })
    }

    #[pyo3(signature = (*_exc))]
    fn __aexit__<'py>(
        &self,
        py: Python<'py>,
        _exc: &Bound<'_, pyo3::types::PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        pyo3_async_runtimes::tokio::future_into_py(py, async move { Ok(false) })
    }

    /// The base URL calls go to.
    #[getter]
    fn base_url(&self) -> &str {
        self.inner.base_url()
    }

    /// A resource by its snake_case plural name (`tenants`, `protected_identities`, ...).
    fn __getattr__(&self, name: &str) -> PyResult<Resource> {
        pigello::resources::ALL
            .iter()
            .find(|r| r.snake_plural == name)
            .map(|spec| Resource::new(self.inner.clone(), spec, self.birth, self.asynchronous))
            .ok_or_else(|| PyAttributeError::new_err(format!("Client has no attribute {name:?}")))
    }

    fn __dir__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut names: Vec<&str> = pigello::resources::ALL
            .iter()
            .map(|r| r.snake_plural)
            .collect();
        names.extend(["base_url", "from_env", "close"]);
        PyList::new(py, names)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        false
    }

    /// Nothing to release: connections close when the last reference goes.
    fn close(&self) {}

    fn __repr__(&self) -> String {
        let name = if self.asynchronous {
            "AsyncClient"
        } else {
            "Client"
        };
        format!("{name}(base_url='{}')", self.inner.base_url())
    }
}

/// The Pigello API with awaitable methods: `await client.tenants.get(id)`,
/// `async for t in client.tenants.iterate()`.
#[pyclass(module = "pigello._native", name = "AsyncClient", frozen, extends = Client)]
pub struct AsyncClient;

impl AsyncClient {
    pub fn wrap(py: Python<'_>, client: Client) -> PyResult<Py<AsyncClient>> {
        Py::new(
            py,
            PyClassInitializer::from(client).add_subclass(AsyncClient),
        )
    }
}

#[pymethods]
impl AsyncClient {
    #[new]
    #[pyo3(signature = (*, customer_id, application_id, service_id, service_version_id, client_ct, client_object_id, client_secret, base_url=None, timeout=None, max_retries=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        customer_id: String,
        application_id: String,
        service_id: String,
        service_version_id: String,
        client_ct: String,
        client_object_id: String,
        client_secret: String,
        base_url: Option<String>,
        timeout: Option<f64>,
        max_retries: Option<u32>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let client = Client::new(
            customer_id,
            application_id,
            service_id,
            service_version_id,
            client_ct,
            client_object_id,
            client_secret,
            base_url,
            timeout,
            max_retries,
        )?;
        let client = Client {
            asynchronous: true,
            ..client
        };
        Ok(PyClassInitializer::from(client).add_subclass(AsyncClient))
    }

    /// An async client from the environment (see `Client.from_env`).
    #[staticmethod]
    #[pyo3(signature = (*, timeout=None, max_retries=None))]
    fn from_env(
        py: Python<'_>,
        timeout: Option<f64>,
        max_retries: Option<u32>,
    ) -> PyResult<Py<AsyncClient>> {
        AsyncClient::wrap(py, Client::env(timeout, max_retries, true)?)
    }
}
