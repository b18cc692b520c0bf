//! Building a client: where it connects, with which credentials, and how
//! patient it is.

use std::sync::Arc;
use std::time::Duration;

use std::sync::RwLock;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::options::{timeout_from_seconds, user_header};
use super::retry::RetryPolicy;
use super::{Client, Inner};
use crate::cassette::{Cassette, RecordMode};
use crate::{Credentials, Error, Result};

/// The documented environments.
///
/// ```
/// assert_eq!(pigello::Environment::Development.base_url(), "https://dev.api.pigello.io");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// `https://api.pigello.io`
    Production,
    /// `https://dev.api.pigello.io`
    Development,
}

impl Environment {
    /// The environment's base URL.
    pub const fn base_url(self) -> &'static str {
        match self {
            Environment::Production => "https://api.pigello.io",
            Environment::Development => "https://dev.api.pigello.io",
        }
    }
}

/// Defaults: production, 5 s to connect, 60 s per attempt, 2 retries.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default time one attempt may take, answer included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default page size of [`super::Handle::iterate`] and of a list without one.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The default number of items per bulk-write request.
pub const DEFAULT_BULK_CHUNK: usize = 100;

/// The user agent: the SDK and its version.
pub const USER_AGENT: &str = concat!("pigello-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// Builds a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use pigello::{Client, Credentials, Environment};
///
/// let credentials = Credentials::from_lookup(|name| Some(format!("value of {name}")))?;
/// let client = Client::builder()
///     .environment(Environment::Development)
///     .credentials(credentials)
///     .timeout(Duration::from_secs(20))
///     .max_retries(3)
///     .build()?;
/// assert_eq!(client.base_url(), "https://dev.api.pigello.io");
/// # Ok::<(), pigello::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    page_size: u32,
    bulk_chunk: usize,
    user_agent: String,
    /// Headers for every request, as given; checked by `build`.
    default_headers: Vec<(String, String)>,
    /// The cassette file, opened by `build` in `record_mode`.
    cassette: Option<std::path::PathBuf>,
    record_mode: RecordMode,
    anonymize: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: Environment::Production.base_url().to_owned(),
            credentials: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            page_size: DEFAULT_PAGE_SIZE,
            bulk_chunk: DEFAULT_BULK_CHUNK,
            user_agent: USER_AGENT.to_owned(),
            default_headers: Vec::new(),
            cassette: None,
            record_mode: RecordMode::default(),
            anonymize: false,
        }
    }
}

impl ClientBuilder {
    /// Any base URL, such as a local sandbox's (`http://127.0.0.1:PORT`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// A base URL when one is given; the one set before (production by default)
    /// otherwise.
    pub fn base_url_if_set(self, url: Option<String>) -> Self {
        match url {
            Some(url) => self.base_url(url),
            None => self,
        }
    }

    /// One of the documented environments.
    pub fn environment(self, environment: Environment) -> Self {
        self.base_url(environment.base_url())
    }

    /// The seven credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// How long establishing a connection may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, from sending to the last byte of the answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The timeout per attempt in seconds, as a binding receives it: a
    /// positive, finite number no larger than a year, else a configuration
    /// error naming the option as the caller spells it (`name`).
    ///
    /// ```
    /// let refused = pigello::Client::builder().timeout_seconds(1e300, "timeout").unwrap_err();
    /// assert!(refused.to_string().contains("timeout must be"));
    /// ```
    pub fn timeout_seconds(self, seconds: f64, name: &str) -> Result<Self> {
        Ok(self.timeout(timeout_from_seconds(seconds, name)?))
    }

    /// A header sent with every request (`default_headers` in the packages).
    /// [`ClientBuilder::build`] refuses an invalid one and any credential
    /// header (see [`super::user_header`]).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Retries after the first attempt (see [`RetryPolicy`] for which calls).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    /// The whole retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Rows per request when iterating.
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = n.max(1);
        self
    }

    /// Items per request of a bulk write.
    pub fn bulk_chunk_size(mut self, n: usize) -> Self {
        self.bulk_chunk = n.max(1);
        self
    }

    /// Records the calls into the cassette file at `path`, and replays them
    /// from it, as [`ClientBuilder::record_mode`] says (`once` unless set):
    /// see [`crate::cassette`].
    pub fn cassette(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.cassette = Some(path.into());
        self
    }

    /// When the cassette records and when it replays; `once` by default. No
    /// effect without [`ClientBuilder::cassette`].
    pub fn record_mode(mut self, mode: RecordMode) -> Self {
        self.record_mode = mode;
        self
    }

    /// Whether the cassette records fakes of the same shape in place of
    /// personal and organisation numbers, e-mail addresses and phone numbers
    /// (see [`crate::cassette`]); off by default.
    pub fn anonymize(mut self, anonymize: bool) -> Self {
        self.anonymize = anonymize;
        self
    }

    /// Appends a product token to the user agent (`my-app/1.2`).
    pub fn user_agent_suffix(mut self, suffix: &str) -> Self {
        self.user_agent = format!("{USER_AGENT} {suffix}");
        self
    }

    /// The client. Fails if no credentials were given, the base URL is not an
    /// `http(s)` URL, or a credential cannot be sent as a header.
    pub fn build(self) -> Result<Client> {
        let credentials = self
            .credentials
            .ok_or_else(|| Error::Config("no credentials given".into()))?;
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(Error::Config(
                "the base URL must start with https:// or http://".into(),
            ));
        }
        // Refused here, not at the first call, where it would look like a
        // failed connection. The URL itself is not shown: it may hold a
        // user and password.
        match reqwest::Url::parse(&base_url) {
            Ok(url)
                if url.host().is_some() && url.query().is_none() && url.fragment().is_none() => {}
            Ok(_) => {
                return Err(Error::Config(
                    "the base URL must name a host and have no query or fragment".into(),
                ));
            }
            Err(e) => {
                return Err(Error::Config(format!(
                    "the base URL is not a valid URL ({e})"
                )));
            }
        }
        let mut headers = HeaderMap::new();
        for (name, field) in Credentials::NAMES.iter().zip(credentials.values()) {
            let mut value = HeaderValue::from_str(field).map_err(|_| {
                Error::Config(format!(
                    "{} holds a character that cannot be sent in a header",
                    name.env
                ))
            })?;
            value.set_sensitive(true);
            let header = HeaderName::from_bytes(name.header.as_bytes())
                .map_err(|_| Error::Config(format!("{} is not a header name", name.header)))?;
            headers.insert(header, value);
        }
        let mut extra = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let (name, value) = user_header(name, value, "default_headers")?;
            extra.insert(name, value);
        }
        let cassette = match self.cassette {
            Some(path) => Some(Cassette::open(path, self.record_mode, self.anonymize)?),
            None => None,
        };
        let pool = PoolSettings {
            connect_timeout: self.connect_timeout,
            user_agent: self.user_agent,
            headers,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http: RwLock::new(Some(pool.connect()?)),
                pool,
                base_url,
                customer_id: credentials.customer_id.clone(),
            }),
            timeout: self.timeout,
            retry: self.retry,
            headers: Arc::new(extra),
            cancel: None,
            record: None,
            cassette,
            telemetry: None,
            telemetry_wanted: true,
            log_tag: None,
            page_size: self.page_size,
            bulk_chunk: self.bulk_chunk,
        })
    }
}

/// How a client's connection pool is made: kept, so that
/// [`Client::with_new_connections`] can make another one like it.
#[derive(Clone)]
pub(super) struct PoolSettings {
    connect_timeout: Duration,
    user_agent: String,
    /// The credentials, as sensitive header values.
    headers: HeaderMap,
}

impl PoolSettings {
    /// A new, empty pool.
    pub(super) fn connect(&self) -> Result<reqwest::Client> {
        // No read timeout on the pool: the timeout is per client and per call
        // (`Client::with_options`), applied to each attempt when it is sent.
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .user_agent(&self.user_agent)
            .default_headers(self.headers.clone())
            .build()
            .map_err(|e| Error::Config(format!("the HTTP client could not be built: {e}")))
    }
}
