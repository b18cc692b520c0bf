//! The HTTP client: every documented operation of every resource, with
//! validation before sending, pagination, bulk writes in chunks, retries that
//! never write twice, and typed errors.
//!
//! ```no_run
//! # async fn demo() -> pigello::Result<()> {
//! use pigello::prelude::*;
//!
//! let client = Client::from_env()?; // PIGELLO_BASE_URL and the seven PIGELLO_* credentials
//! let tenant = client.tenants().get(Uuid::parse_str("497f6eca-6276-4993-bfeb-53cbbbba6f08").unwrap()).await?;
//! println!("{:?}", tenant.first_name);
//! # Ok(()) }
//! ```

mod accessors;
mod api_error;
mod body;
mod bulk;
mod cancel;
mod config;
mod filter_arg;
mod given;
mod handle;
mod lazy_row;
mod options;
mod page;
mod partition;
mod query;
mod response;
mod retry;
mod rows;
mod stream;
mod traced;
pub(crate) mod transport;

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use reqwest::header::HeaderMap;

pub use api_error::{ApiError, ApiErrorKind, ApiFieldError, BulkError, Outcome};
pub use bulk::{BulkItem, BulkModel};
pub use cancel::CancelToken;
pub use config::{
    ClientBuilder, DEFAULT_BULK_CHUNK, DEFAULT_CONNECT_TIMEOUT, DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT,
    Environment, USER_AGENT,
};
pub use filter_arg::FilterArg;
pub use given::{GivenName, GivenOptions, OptionError};
pub use handle::{Handle, RawHandle};
pub use lazy_row::{FieldName, LazyField, LazyRow, LazyRows};
pub use options::{CallOptions, RequestOptions, timeout_from_seconds, user_header};
pub use page::ListPage;
pub use partition::Partition;
pub use query::{ListArgs, Query};
pub use response::{ResponseInfo, ResponseRecorder};
pub use retry::{RetryPolicy, parse_retry_after};
pub use rows::{JsonRows, JsonTextRows, RowDecoder, TypedRows, json_array};
pub use transport::MAX_BODY_BYTES;

use crate::cassette::{
    ANONYMIZE_VARIABLE, CASSETTE_VARIABLE, Cassette, RECORD_MODE_VARIABLE, RecordMode, switch,
};
use crate::description::ResourceSpec;
use crate::telemetry::CallTelemetry;
use crate::{Credentials, Error, Resource, Result, Spelling};

/// The resources whose API can invite (tenants, subtenants, organization users).
pub trait Invitable {}

/// A client of the Pigello API. Cheap to clone: clones share one connection
/// pool. Build one with [`Client::builder`] or [`Client::from_env`] and reuse it.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    timeout: Duration,
    retry: RetryPolicy,
    /// Headers added to every request (the builder's default headers and any
    /// [`Client::with_options`] added); never a credential.
    headers: Arc<HeaderMap>,
    /// Stops this client's calls when cancelled.
    cancel: Option<CancelToken>,
    /// Keeps the facts of this client's answers.
    record: Option<ResponseRecorder>,
    /// Records this client's calls, or answers them (`cassette`).
    cassette: Option<Arc<Cassette>>,
    /// The label of this client's log lines.
    log_tag: Option<u64>,
    /// Where this client's spans and metric points go.
    telemetry: Option<CallTelemetry>,
    /// Whether this client's calls are traced at all (the `telemetry` option).
    telemetry_wanted: bool,
    page_size: u32,
    bulk_chunk: usize,
}

/// What every clone and derived client shares.
struct Inner {
    /// The connection pool; `None` once the client is closed.
    http: RwLock<Option<reqwest::Client>>,
    pool: config::PoolSettings,
    base_url: String,
    customer_id: String,
}

impl Inner {
    /// The pool, or [`Error::Closed`].
    fn http(&self) -> Result<reqwest::Client> {
        let pool = self.http.read().unwrap_or_else(PoisonError::into_inner);
        pool.clone().ok_or(Error::Closed)
    }
}

impl fmt::Debug for Client {
    /// Shows where the client connects and how; never a credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.retry.max_retries)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The resource a client attribute names, as `spelling` writes it
/// (`organization_users` in Python and Rust, `organizationUsers` in Node).
/// For any other name, the end of the message that refuses it: the
/// resource meant (`; did you mean tenants?`), or nothing.
///
/// ```
/// use pigello::Spelling;
/// use pigello::client::resource_named;
///
/// assert_eq!(resource_named("tenants", Spelling::Snake).map(|r| r.name), Ok("Tenant"));
/// assert_eq!(resource_named("tenant", Spelling::Snake).unwrap_err(), "; did you mean tenants?");
/// assert_eq!(
///     resource_named("organization_users", Spelling::Camel).unwrap_err(),
///     "; did you mean organizationUsers?"
/// );
/// ```
pub fn resource_named(
    name: &str,
    spelling: Spelling,
) -> std::result::Result<&'static ResourceSpec, String> {
    let attribute = |spec: &'static ResourceSpec| match spelling {
        Spelling::Camel => spec.camel_plural,
        Spelling::Snake | Spelling::Env => spec.snake_plural,
    };
    if let Some(spec) = crate::resources::ALL.iter().find(|r| attribute(r) == name) {
        return Ok(spec);
    }
    let names = crate::resources::ALL.iter().map(|r| attribute(r));
    Err(crate::validate::closest(name, names)
        .map(|near| format!("; did you mean {near}?"))
        .unwrap_or_default())
}

/// The variable [`Client::from_env`] reads the base URL from.
pub const BASE_URL_VARIABLE: &str = "PIGELLO_BASE_URL";

/// The environment variables that make [`Client::from_env`] (and the packages'
/// `from_env()` / `fromEnv()`) reach `base_url` with `credentials`, in the
/// order a shell script would set them: the base URL, then the seven
/// credentials. What a sandbox gives an application under test.
///
/// ```
/// let credentials = pigello::Credentials::new("c", "a", "s", "v", "ct", "o", "secret");
/// let env = pigello::environment_for("http://127.0.0.1:9", &credentials);
/// let client = pigello::Client::from_lookup(|name| {
///     env.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
/// })?;
/// assert_eq!(client.base_url(), "http://127.0.0.1:9");
/// # Ok::<(), pigello::Error>(())
/// ```
pub fn environment_for(base_url: &str, credentials: &Credentials) -> Vec<(&'static str, String)> {
    let credentials = Credentials::NAMES
        .iter()
        .map(|name| name.env)
        .zip(credentials.values().map(str::to_owned));
    std::iter::once((BASE_URL_VARIABLE, base_url.to_owned()))
        .chain(credentials)
        .collect()
}

/// The base URL of a client that replays without credentials: a port nothing
/// listens on, so that a call the cassette does not hold could not reach
/// anything even if it were sent (it is refused before).
pub const NOWHERE: &str = "http://127.0.0.1:9";

/// The `PIGELLO_*` variables that make `from_env()` (in any language) use the
/// cassette at `path` in `mode`, recording fakes in place of personal data if
/// `anonymize`. When `lookup` (the environment) holds no
/// credentials, as in a CI run replaying what was recorded elsewhere, they
/// also give [`NOWHERE`] and placeholder credentials: a cassette holds none
/// and matches none, so replaying needs none.
pub fn cassette_environment(
    path: &str,
    mode: RecordMode,
    anonymize: bool,
    mut lookup: impl FnMut(&str) -> Option<String>,
) -> Vec<(&'static str, String)> {
    let mut variables = Vec::new();
    let credentials = crate::Credentials::NAMES;
    if credentials
        .iter()
        .any(|name| lookup(name.env).is_none_or(|v| v.is_empty()))
    {
        let placeholders = crate::Credentials::new(
            "replayed", "replayed", "replayed", "replayed", "replayed", "replayed", "replayed",
        );
        variables = environment_for(NOWHERE, &placeholders);
    }
    variables.push((CASSETTE_VARIABLE, path.to_owned()));
    variables.push((RECORD_MODE_VARIABLE, mode.name().to_owned()));
    if anonymize {
        variables.push((ANONYMIZE_VARIABLE, "1".to_owned()));
    }
    variables
}

impl Client {
    /// A builder, starting from the production environment and the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client from the environment: `PIGELLO_BASE_URL` (optional; production
    /// when unset) and the seven credentials (`PIGELLO_CUSTOMER_ID`, ...). A
    /// missing credential is an error that names its variable.
    pub fn from_env() -> Result<Client> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Client::from_env`], reading the variables through `lookup`.
    ///
    /// ```
    /// let env = std::collections::HashMap::from([("PIGELLO_CUSTOMER_ID", "c")]);
    /// let err = pigello::Client::from_lookup(|k| env.get(k).map(|v| v.to_string())).unwrap_err();
    /// assert!(err.to_string().contains("PIGELLO_APPLICATION_ID"));
    /// ```
    pub fn from_lookup(lookup: impl FnMut(&str) -> Option<String>) -> Result<Client> {
        Self::builder_from_lookup(lookup)?.build()
    }

    /// A builder holding what the environment gives (as [`Client::from_env`]),
    /// for settings to be added before it is built.
    pub fn builder_from_env() -> Result<ClientBuilder> {
        Self::builder_from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Client::builder_from_env`], reading the variables through `lookup`.
    pub fn builder_from_lookup(
        mut lookup: impl FnMut(&str) -> Option<String>,
    ) -> Result<ClientBuilder> {
        let base_url = lookup(BASE_URL_VARIABLE).filter(|v| !v.is_empty());
        let credentials = Credentials::from_lookup(&mut lookup)?;
        let mut builder = Client::builder()
            .credentials(credentials)
            .base_url_if_set(base_url);
        if let Some(mode) = lookup(RECORD_MODE_VARIABLE).filter(|v| !v.is_empty()) {
            builder = builder.record_mode(RecordMode::parse(&mode, RECORD_MODE_VARIABLE)?);
        }
        if let Some(path) = lookup(CASSETTE_VARIABLE).filter(|v| !v.is_empty()) {
            builder = builder.cassette(path);
        }
        if let Some(anonymize) = lookup(ANONYMIZE_VARIABLE).filter(|v| !v.is_empty()) {
            builder = builder.anonymize(switch(&anonymize, ANONYMIZE_VARIABLE)?);
        }
        Ok(builder)
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The customer whose data the client reads and writes.
    pub fn customer_id(&self) -> &str {
        &self.inner.customer_id
    }

    /// The same client (same pool) with another timeout per attempt.
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        self.with_options(&RequestOptions::default().timeout(timeout))
    }

    /// The same client (same pool) with another number of retries.
    pub fn with_max_retries(&self, n: u32) -> Client {
        self.with_options(&RequestOptions::default().max_retries(n))
    }

    /// The same client (same pool, same credentials) with what `options` sets:
    /// how per-call options are applied, and what a binding's
    /// `with_options` returns. Closing either closes both.
    ///
    /// ```
    /// # let client = pigello::Client::builder().credentials(pigello::Credentials::new(
    /// #     "c", "a", "s", "v", "ct", "o", "secret")).build().unwrap();
    /// use pigello::client::RequestOptions;
    ///
    /// let patient = client.with_options(&RequestOptions::default().timeout_seconds(300.0, "timeout")?);
    /// assert_eq!(patient.timeout(), std::time::Duration::from_secs(300));
    /// assert_eq!(client.timeout(), pigello::client::DEFAULT_TIMEOUT);
    /// # Ok::<(), pigello::Error>(())
    /// ```
    pub fn with_options(&self, options: &RequestOptions) -> Client {
        let mut client = self.clone();
        if let Some(timeout) = options.timeout {
            client.timeout = timeout;
        }
        if let Some(n) = options.max_retries {
            client.retry.max_retries = n;
        }
        if let Some(token) = &options.cancel {
            client.cancel = Some(token.clone());
        }
        if let Some(recorder) = &options.record {
            client.record = Some(recorder.clone());
        }
        if let Some(cassette) = &options.cassette {
            client.cassette = Some(cassette.clone());
        }
        if let Some(tag) = options.log_tag {
            client.log_tag = Some(tag);
        }
        if let Some(wanted) = options.telemetry_wanted {
            client.telemetry_wanted = wanted;
        }
        if !client.telemetry_wanted {
            client.telemetry = None;
        } else if let Some(telemetry) = &options.telemetry {
            client.telemetry = Some(telemetry.clone());
        }
        if !options.headers.is_empty() {
            let mut headers = HeaderMap::clone(&self.headers);
            for (name, value) in &options.headers {
                headers.insert(name, value.clone());
            }
            client.headers = Arc::new(headers);
        }
        client
    }

    /// The same client (same settings, same credentials) with a connection
    /// pool of its own, empty; closing one does not close the other. A
    /// connection runs on the tokio runtime it was opened on, so work driven
    /// by different runtimes (a binding's blocking and async clients) must not
    /// share one. A closed client gives a closed one.
    pub fn with_new_connections(&self) -> Result<Client> {
        let http = match self.inner.http() {
            Ok(_) => Some(self.inner.pool.connect()?),
            Err(_) => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http: RwLock::new(http),
                pool: self.inner.pool.clone(),
                base_url: self.inner.base_url.clone(),
                customer_id: self.inner.customer_id.clone(),
            }),
            ..self.clone()
        })
    }

    /// Whether this client's calls are traced (the `telemetry` option; the
    /// process's `PIGELLO_TELEMETRY` is read apart, by
    /// [`crate::telemetry::off_by_env`]).
    pub fn telemetry_wanted(&self) -> bool {
        self.telemetry_wanted
    }

    /// The timeout per attempt.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The retries after a first attempt.
    pub fn max_retries(&self) -> u32 {
        self.retry.max_retries
    }

    /// Closes the connection pool, for this client, its clones and every
    /// client derived with [`Client::with_options`]: open connections close
    /// once the calls in flight end, and any later call fails with
    /// [`Error::Closed`] without sending anything.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// # let client = pigello::Client::builder().credentials(pigello::Credentials::new(
    /// #     "c", "a", "s", "v", "ct", "o", "secret")).build().unwrap();
    /// let id = uuid::Uuid::nil();
    /// client.close();
    /// let error = client.tenants().get(id).await.unwrap_err();
    /// assert_eq!(error.code(), "client_closed");
    /// # }
    /// ```
    pub fn close(&self) {
        let mut pool = self
            .inner
            .http
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        *pool = None;
    }

    /// Whether [`Client::close`] was called on this client or one sharing its pool.
    pub fn is_closed(&self) -> bool {
        self.inner.http().is_err()
    }

    /// The JSON-level handle of a resource, by its description.
    pub fn resource(&self, spec: &'static ResourceSpec) -> RawHandle {
        RawHandle::new(self.clone(), spec)
    }

    fn handle<R: Resource>(&self) -> Handle<R> {
        Handle::new(self.clone())
    }
}
