//! `pigello.Client` and `pigello.AsyncClient`: siblings over the same core
//! client, each giving a resource per attribute (`client.tenants`), the
//! blocking `Resource` or the `AsyncResource` of `pigello/_resources.py`.

use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyTuple};

use pigello::client::ClientBuilder;
use pigello::{Credentials, Spelling};

use crate::convert::text_argument;
use crate::errors::to_py;
use crate::resource::{ClientKind, ResourceCalls};
use crate::runtime::{Birth, ProcessBound};

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

/// What both clients hold: the core client (clones share its connections)
/// and the process it was made in.
pub struct Core {
    pub inner: ProcessBound<pigello::Client>,
    pub birth: Birth,
}

impl Clone for Core {
    fn clone(&self) -> Self {
        Core {
            inner: ProcessBound::new(pigello::Client::clone(&self.inner)),
            birth: self.birth,
        }
    }
}

impl Core {
    pub fn new(inner: pigello::Client) -> Self {
        Core {
            inner: ProcessBound::new(inner),
            birth: Birth::now(),
        }
    }

    fn from_arguments(
        credentials: [String; 7],
        base_url: Option<String>,
        timeout: Option<f64>,
        max_retries: Option<u32>,
    ) -> PyResult<Self> {
        let mut values = credentials.into_iter();
        let credentials =
            Credentials::from_values(|_| values.next(), Spelling::Snake).map_err(to_py)?;
        let builder = pigello::Client::builder()
            .credentials(credentials)
            .base_url_if_set(base_url);
        Ok(Core::new(build(builder, timeout, max_retries)?))
    }

    fn from_env(timeout: Option<f64>, max_retries: Option<u32>) -> PyResult<Self> {
        let from_env = pigello::Client::builder_from_env().map_err(to_py)?;
        Ok(Core::new(build(from_env, timeout, max_retries)?))
    }

    /// The resource called `name` (`tenants`, ...), as the package's class
    /// for this kind of client; any other name is an `AttributeError` of `owner`.
    fn resource(
        &self,
        py: Python<'_>,
        owner: &str,
        name: &str,
        kind: ClientKind,
    ) -> PyResult<Py<PyAny>> {
        static CLASSES: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
        let spec = pigello::resources::ALL
            .iter()
            .find(|r| r.snake_plural == name)
            .ok_or_else(|| {
                PyAttributeError::new_err(format!("{owner} has no attribute {name:?}"))
            })?;
        let (blocking, awaitable) = CLASSES.get_or_try_init(py, || {
            let module = py.import("pigello._resources")?;
            Ok::<_, PyErr>((
                module.getattr("Resource")?.unbind(),
                module.getattr("AsyncResource")?.unbind(),
            ))
        })?;
        let class = match kind {
            ClientKind::Blocking => blocking,
            ClientKind::Awaitable => awaitable,
        };
        let calls = ResourceCalls::new(self.inner.clone(), spec, self.birth, kind);
        class.call1(py, (Py::new(py, calls)?,))
    }

    fn dir<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut names: Vec<&str> = pigello::resources::ALL
            .iter()
            .map(|r| r.snake_plural)
            .collect();
        names.extend(["base_url", "from_env", "close", "is_async"]);
        PyList::new(py, names)
    }
}

/// The two clients: the same constructor, attributes and representation; each
/// adds what its kind has (`with` or `async with`, the conversion to the other).
macro_rules! client_class {
    ($(#[$doc:meta])* $class:ident, $name:literal, $kind:expr, { $($own:tt)* }) => {
        $(#[$doc])*
        #[pyclass(module = "pigello._native", name = $name, frozen)]
        #[derive(Clone)]
        pub struct $class {
            pub core: Core,
        }

        #[pymethods]
        impl $class {
            #[new]
            #[pyo3(signature = (*, customer_id, application_id, service_id, service_version_id, client_ct, client_object_id, client_secret, base_url=None, timeout=None, max_retries=None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                customer_id: Bound<'_, PyAny>,
                application_id: Bound<'_, PyAny>,
                service_id: Bound<'_, PyAny>,
                service_version_id: Bound<'_, PyAny>,
                client_ct: Bound<'_, PyAny>,
                client_object_id: Bound<'_, PyAny>,
                client_secret: Bound<'_, PyAny>,
                base_url: Option<Bound<'_, PyAny>>,
                timeout: Option<f64>,
                max_retries: Option<u32>,
            ) -> PyResult<Self> {
                let credentials = [
                    text_argument("customer_id", &customer_id)?,
                    text_argument("application_id", &application_id)?,
                    text_argument("service_id", &service_id)?,
                    text_argument("service_version_id", &service_version_id)?,
                    text_argument("client_ct", &client_ct)?,
                    text_argument("client_object_id", &client_object_id)?,
                    text_argument("client_secret", &client_secret)?,
                ];
                let base_url = base_url.map(|u| text_argument("base_url", &u)).transpose()?;
                let core = Core::from_arguments(credentials, base_url, timeout, max_retries)?;
                Ok($class { core })
            }

            /// A client from `PIGELLO_BASE_URL` (optional) and the seven
            /// `PIGELLO_*` credentials; a missing one is an error that names it.
            #[staticmethod]
            #[pyo3(signature = (*, timeout=None, max_retries=None))]
            fn from_env(timeout: Option<f64>, max_retries: Option<u32>) -> PyResult<Self> {
                Ok($class {
                    core: Core::from_env(timeout, max_retries)?,
                })
            }

            /// Whether the methods are coroutines.
            #[getter]
            fn is_async(&self) -> bool {
                $kind == ClientKind::Awaitable
            }

            /// The base URL calls go to.
            #[getter]
            fn base_url(&self) -> &str {
                self.core.inner.base_url()
            }

            /// A resource by its snake_case plural name (`tenants`, ...).
            fn __getattr__(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
                self.core.resource(py, $name, name, $kind)
            }

            fn __dir__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
                Core::dir(py)
            }

            /// Nothing to release: connections close when the last reference goes.
            fn close(&self) {}

            fn __repr__(&self) -> String {
                format!("{}(base_url='{}')", $name, self.core.inner.base_url())
            }

            $($own)*
        }
    };
}

client_class!(
    /// The Pigello API, blocking. Resources are attributes: `client.tenants`, ...
    Client, "Client", ClientKind::Blocking, {
        /// The same connections, with coroutine methods.
        fn to_async(&self) -> AsyncClient {
            AsyncClient { core: self.core.clone() }
        }

        fn __enter__(slf: Py<Self>) -> Py<Self> {
            slf
        }

        #[pyo3(signature = (*_exc))]
        fn __exit__(&self, _exc: &Bound<'_, PyTuple>) -> bool {
            false
        }
    }
);

client_class!(
    /// The Pigello API with coroutine methods: `await client.tenants.get(id)`,
    /// `async for t in client.tenants.iterate()`.
    AsyncClient, "AsyncClient", ClientKind::Awaitable, {
        /// The same connections, with blocking methods.
        fn to_sync(&self) -> Client {
            Client { core: self.core.clone() }
        }

        fn __aenter__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            crate::runtime::awaitable(py, async move { Ok(slf) })
        }

        #[pyo3(signature = (*_exc))]
        fn __aexit__<'py>(
            &self,
            py: Python<'py>,
            _exc: &Bound<'_, PyTuple>,
        ) -> PyResult<Bound<'py, PyAny>> {
            crate::runtime::awaitable(py, async move { Ok(false) })
        }
    }
);
