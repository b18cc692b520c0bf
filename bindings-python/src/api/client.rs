//! `pigello.Client` and `pigello.AsyncClient`: siblings over the same core
//! client, each giving a resource per attribute (`client.tenants`), the
//! blocking `Resource` or the `AsyncResource` of `pigello/_resources.py`.

use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};

use pigello::client::{ClientBuilder, GivenOptions, RequestOptions, resource_named};
use pigello::description::Taker;
use pigello::{Credentials, Spelling};

use crate::api::calls::{ClientKind, ResourceCalls};
use crate::api::options::{read, read_client};
use crate::api::signatures::signature;
use crate::call::runtime::{Executor, OwnerProcess, ProcessBound};
use crate::values::errors::to_py;

/// Builds a core client: the builder's credentials and base URL, with the
/// settings a constructor was given.
pub fn build(builder: ClientBuilder, settings: &RequestOptions) -> PyResult<pigello::Client> {
    let builder = builder.user_agent_suffix(concat!("python/", env!("CARGO_PKG_VERSION")));
    Ok(builder.build().map_err(to_py)?.with_options(settings))
}

/// What both clients hold: the core client (clones share its connections),
/// what runs the calls it waits for, and the process it was made in.
pub struct Core {
    pub inner: ProcessBound<pigello::Client>,
    kind: ClientKind,
    executor: Executor,
    pub owner: OwnerProcess,
}

impl Clone for Core {
    fn clone(&self) -> Self {
        Core {
            inner: ProcessBound::new(pigello::Client::clone(&self.inner)),
            kind: self.kind,
            executor: self.executor.clone(),
            owner: self.owner,
        }
    }
}

impl Core {
    /// A client of `kind` over `inner`'s connections, which must be its own:
    /// a blocking client's connections run on a runtime of its own.
    pub fn new(inner: pigello::Client, kind: ClientKind) -> PyResult<Self> {
        let executor = match kind {
            ClientKind::Blocking => Executor::own()?,
            ClientKind::Awaitable => Executor::Shared,
        };
        Ok(Core {
            inner: ProcessBound::new(inner),
            kind,
            executor,
            owner: OwnerProcess::now(),
        })
    }

    fn from_arguments(
        credentials: Credentials,
        given: GivenOptions,
        kind: ClientKind,
    ) -> PyResult<Self> {
        let builder = pigello::Client::builder()
            .credentials(credentials)
            .base_url_if_set(given.base_url);
        Core::new(build(builder, &given.request)?, kind)
    }

    fn from_env(settings: &RequestOptions, kind: ClientKind) -> PyResult<Self> {
        let from_env = pigello::Client::builder_from_env().map_err(to_py)?;
        Core::new(build(from_env, settings)?, kind)
    }

    /// The same connections with other settings (`with_options`).
    fn with_options(&self, settings: &RequestOptions) -> Self {
        Core {
            inner: ProcessBound::new(self.inner.with_options(settings)),
            ..self.clone()
        }
    }

    /// The same settings, as a client of `kind` (`to_async`, `to_sync`), with
    /// connections of its own: connections opened by a blocking client's
    /// waiting thread would not run while an asyncio client waited on them.
    fn to_kind(&self, kind: ClientKind) -> PyResult<Self> {
        self.owner.check("client")?;
        Core::new(self.inner.with_new_connections().map_err(to_py)?, kind)
    }

    /// The resource called `name` (`tenants`, ...), as the package's class
    /// for this kind of client; any other name is an `AttributeError` of `owner`.
    fn resource(&self, py: Python<'_>, owner: &str, name: &str) -> PyResult<Py<PyAny>> {
        static CLASSES: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
        let spec = resource_named(name, Spelling::Snake).map_err(|hint| {
            PyAttributeError::new_err(format!("{owner} has no attribute {name:?}{hint}"))
        })?;
        let (blocking, awaitable) = CLASSES.get_or_try_init(py, || {
            let module = crate::api::shell::resources(py)?;
            Ok::<_, PyErr>((
                module.getattr("Resource")?.unbind(),
                module.getattr("AsyncResource")?.unbind(),
            ))
        })?;
        let class = match self.kind {
            ClientKind::Blocking => blocking,
            ClientKind::Awaitable => awaitable,
        };
        let calls = ResourceCalls::new(
            self.inner.clone(),
            spec,
            self.owner,
            (self.kind, self.executor.clone()),
        );
        class.call1(py, (Py::new(py, calls)?,))
    }

    /// What `dir()` shows of a client: its resources (attributes looked up
    /// when read) and the public attributes of its class.
    fn dir<'py>(class: &Bound<'py, PyType>) -> PyResult<Bound<'py, PyList>> {
        let mut names: Vec<String> = pigello::resources::ALL
            .iter()
            .map(|r| r.snake_plural.to_owned())
            .collect();
        for name in class.dir()?.iter() {
            let name: String = name.extract()?;
            if !name.starts_with('_') {
                names.push(name);
            }
        }
        PyList::new(class.py(), names)
    }
}

/// The two clients: the same constructor, attributes and representation; each
/// adds what its kind has (`with` or `async with`, the conversion to the other).
macro_rules! client_class {
    ($(#[$doc:meta])* $class:ident, $name:literal, $kind:expr, { $($own:tt)* }) => {
        #[doc = signature!($class)]
        $(#[$doc])*
        #[pyclass(module = "pigello._native", name = $name, frozen)]
        #[derive(Clone)]
        pub struct $class {
            pub core: Core,
        }

        #[pymethods]
        impl $class {
            #[new]
            #[pyo3(signature = (**keywords), text_signature = None)]
            fn new(keywords: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                let (credentials, given) = read_client(keywords)?;
                let core = Core::from_arguments(credentials, given, $kind)?;
                Ok($class { core })
            }

            #[doc = signature!(from_env)]
            /// A client from `PIGELLO_BASE_URL` (optional) and the seven
            /// `PIGELLO_*` credentials; a missing one is an error that names it.
            #[staticmethod]
            #[pyo3(signature = (**keywords), text_signature = None)]
            fn from_env(keywords: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                let settings = read(Taker::ClientSettings, keywords)?.options.request;
                Ok($class {
                    core: Core::from_env(&settings, $kind)?,
                })
            }

            #[doc = signature!(with_options)]
            /// The same client (same connections and credentials) with other
            /// settings; what is left out stays. Headers are added to the
            /// client's own.
            #[pyo3(signature = (**keywords), text_signature = None)]
            fn with_options(&self, keywords: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                self.core.owner.check("client")?;
                let settings = read(Taker::ClientSettings, keywords)?.options.request;
                Ok($class {
                    core: self.core.with_options(&settings),
                })
            }

            /// The timeout of one attempt, in seconds.
            #[getter]
            fn timeout(&self) -> f64 {
                self.core.inner.timeout().as_secs_f64()
            }

            /// The retries after a first attempt.
            #[getter]
            fn max_retries(&self) -> u32 {
                self.core.inner.max_retries()
            }

            /// Whether `close()` was called on this client or one sharing its
            /// connections.
            #[getter]
            fn is_closed(&self) -> bool {
                self.core.inner.is_closed()
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
                self.core.resource(py, $name, name)
            }

            fn __dir__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyList>> {
                Core::dir(&slf.get_type())
            }

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
        /// The same settings and credentials, with coroutine methods and
        /// connections of its own.
        fn to_async(&self) -> PyResult<AsyncClient> {
            Ok(AsyncClient { core: self.core.to_kind(ClientKind::Awaitable)? })
        }

        /// Closes the connections, for this client and every client sharing
        /// them (`with_options`); a later call raises `PigelloError` ("client
        /// is closed") without sending anything.
        fn close(&self) {
            self.core.inner.close();
        }

        fn __enter__(slf: Py<Self>) -> Py<Self> {
            slf
        }

        /// Leaving `with` closes the client.
        #[pyo3(signature = (*_exc))]
        fn __exit__(&self, _exc: &Bound<'_, PyTuple>) -> bool {
            self.core.inner.close();
            false
        }
    }
);

client_class!(
    /// The Pigello API with coroutine methods: `await client.tenants.get(id)`,
    /// `async for t in client.tenants.iterate()`.
    AsyncClient, "AsyncClient", ClientKind::Awaitable, {
        /// The same settings and credentials, with blocking methods and
        /// connections of its own.
        fn to_sync(&self) -> PyResult<Client> {
            Ok(Client { core: self.core.to_kind(ClientKind::Blocking)? })
        }

        /// Closes the connections, for this client and every client sharing
        /// them: `await client.close()`.
        fn close<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            let client = pigello::Client::clone(&self.core.inner);
            crate::call::runtime::awaitable(py, async move {
                client.close();
                Ok(())
            })
        }

        fn __aenter__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            crate::call::runtime::awaitable(py, async move { Ok(slf) })
        }

        /// Leaving `async with` closes the client.
        #[pyo3(signature = (*_exc))]
        fn __aexit__<'py>(
            &self,
            py: Python<'py>,
            _exc: &Bound<'_, PyTuple>,
        ) -> PyResult<Bound<'py, PyAny>> {
            self.core.inner.close();
            crate::call::runtime::awaitable(py, async move { Ok(false) })
        }
    }
);
