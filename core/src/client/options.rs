//! What a caller can say about one call beyond its documented arguments: types
//! the core owns and every binding fills from its own spelling (Python's
//! `extra_body=` and `timeout=` keywords, Node's `{ extraBody }` and
//! `{ timeout }` options), with the checks every language shares.

use std::time::Duration;

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Map, Value};

use super::cancel::CancelToken;
use super::filter_arg::FilterArg;
use super::response::ResponseRecorder;
use crate::description::ResourceSpec;
use crate::query::QueryError;
use crate::telemetry::CallTelemetry;
use crate::{Credentials, Error, Result, Spelling};

/// What any call can send beyond its documented arguments: the explicit
/// escape hatches past the client's refusal of unknown fields and filters.
/// Every operation takes them; each binding fills them from its own spelling
/// (Python's `extra_body=`/`extra_query=`, Node's `{ extraBody, extraQuery }`).
///
/// ```
/// use pigello::client::CallOptions;
/// use serde_json::json;
///
/// let options = CallOptions::default()
///     .extra_body("beta_flag", json!(true))
///     .extra_query("expand", json!("contracts"));
/// assert_eq!(options.extra_body["beta_flag"], json!(true));
/// assert_eq!(options.extra_query, vec![("expand".to_owned(), json!("contracts"))]);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallOptions {
    /// Body fields sent as given although the reference does not list them.
    /// A key naming a documented field is checked as that field; a bulk write
    /// adds them to every item. A call without a body refuses any.
    pub extra_body: Map<String, Value>,
    /// Query parameters sent as given, on any call. Each value is text, a
    /// number, a boolean or a list of them, as a filter's; on a list, the
    /// documented list parameters (`_page`, `_order_by`, ...) stay the
    /// client's.
    pub extra_query: Vec<(String, Value)>,
    /// How the caller spells the options, for the messages that name them.
    pub spelling: Spelling,
}

impl CallOptions {
    /// Adds one extra body field.
    pub fn extra_body(mut self, name: impl Into<String>, value: Value) -> Self {
        self.extra_body.insert(name.into(), value);
        self
    }

    /// Adds one extra query parameter.
    pub fn extra_query(mut self, name: impl Into<String>, value: Value) -> Self {
        self.extra_query.push((name.into(), value));
        self
    }

    /// Options from a binding: `extra_body` and `extra_query` as the JSON
    /// objects the caller gave (`None` for left out), named in errors as
    /// `spelling` writes them. Anything but an object is refused.
    pub fn from_json(
        extra_body: Option<Value>,
        extra_query: Option<Value>,
        spelling: Spelling,
    ) -> Result<CallOptions> {
        let object = |value: Option<Value>, name: &str| match value {
            None | Some(Value::Null) => Ok(Map::new()),
            Some(Value::Object(map)) => Ok(map),
            Some(_) => Err(Error::Config(format!(
                "{} must be an object",
                spelling.option(name)
            ))),
        };
        Ok(CallOptions {
            extra_body: object(extra_body, "extra_body")?,
            extra_query: object(extra_query, "extra_query")?.into_iter().collect(),
            spelling,
        })
    }

    /// Nothing, or an error: `extra_body` on a call that sends no body (a
    /// get, a list, a delete) would be dropped without a word, so any field
    /// in it is refused before anything is sent. An empty one is accepted.
    pub(crate) fn refuse_body(&self, method: &Method, path: &str) -> Result<()> {
        if self.extra_body.is_empty() {
            return Ok(());
        }
        Err(Error::Request {
            method: super::transport::method_name(method),
            path: path.to_owned(),
            message: format!(
                "{} adds fields to a request body, and a {method} sends none; \
                 query parameters go in {}",
                self.spelling.option("extra_body"),
                self.spelling.option("extra_query"),
            ),
        })
    }

    /// The extra query parameters of a call that is not a list, encoded; a
    /// value a query string cannot hold is an `invalid_query` error naming
    /// the parameter.
    pub(crate) fn query_string(&self, spec: &ResourceSpec) -> Result<String> {
        let mut problems = Vec::new();
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.extra_query {
            match value.refusal() {
                Some(reason) => problems.push(QueryError::new(name, "invalid_value", reason)),
                None => {
                    out.append_pair(name, &value.to_raw());
                }
            }
        }
        if problems.is_empty() {
            Ok(out.finish())
        } else {
            Err(Error::Query {
                resource: spec.name,
                problems,
            })
        }
    }
}

/// Splits a typed input's JSON into its documented fields and the rest (what
/// its `with_extra` added, on purpose).
pub(crate) fn split_extra(spec: &ResourceSpec, mut body: Value) -> (Value, Map<String, Value>) {
    let mut extra = Map::new();
    if let Some(object) = body.as_object_mut() {
        let undocumented: Vec<String> = object
            .keys()
            .filter(|k| spec.field(k).is_none())
            .cloned()
            .collect();
        for key in undocumented {
            if let Some(value) = object.remove(&key) {
                extra.insert(key, value);
            }
        }
    }
    (body, extra)
}

/// How calls are sent, per call or for a derived client
/// ([`crate::Client::with_options`]): the timeout per attempt, the retries and
/// extra headers. What is left out keeps the client's setting.
///
/// ```
/// use pigello::client::RequestOptions;
///
/// let options = RequestOptions::default()
///     .timeout_seconds(2.5, "timeout")?
///     .max_retries(0)
///     .header("X-Trace-Id", "abc-123", "extra_headers")?;
/// assert_eq!(options.timeout, Some(std::time::Duration::from_millis(2500)));
///
/// // The credentials come from the client, never from a header option.
/// let refused = RequestOptions::default()
///     .header("x-pigello-client-secret", "s", "extra_headers")
///     .unwrap_err();
/// assert!(refused.to_string().contains("extra_headers cannot set X-PIGELLO-CLIENT-SECRET"));
/// # Ok::<(), pigello::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// How long one attempt may take (for a streamed export: until its answer
    /// starts, and then between two reads).
    pub timeout: Option<Duration>,
    /// Retries after the first attempt, for the calls that are retried at all.
    pub max_retries: Option<u32>,
    /// Headers added to every attempt (checked by [`RequestOptions::header`]);
    /// a later one replaces an earlier one of the same name.
    pub headers: HeaderMap,
    /// Cancels the calls when cancelled (a binding's Ctrl-C or `AbortSignal`).
    pub cancel: Option<CancelToken>,
    /// Keeps the facts of the calls' answers (a binding's raw response).
    pub record: Option<ResponseRecorder>,
    /// Records the calls into a cassette, or answers them from it (a
    /// client's `cassette` option, opened when the options were read).
    pub cassette: Option<std::sync::Arc<crate::cassette::Cassette>>,
    /// A label carried by the calls' `tracing` events (the `tag` field of the
    /// span `pigello.request`), which a binding uses to send each line to the
    /// logger of the client that made the call.
    pub log_tag: Option<u64>,
    /// Where the calls' spans and metric points go (a binding's bridge to its
    /// language's OpenTelemetry API, made where the call was made).
    pub telemetry: Option<CallTelemetry>,
    /// Whether a client's calls hand their spans to a bridge at all (the
    /// `telemetry` option); a client that does not want them ignores one.
    pub telemetry_wanted: Option<bool>,
}

impl RequestOptions {
    /// Another timeout per attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The timeout per attempt in seconds, as a binding receives it; see
    /// [`timeout_from_seconds`].
    pub fn timeout_seconds(self, seconds: f64, name: &str) -> Result<Self> {
        Ok(self.timeout(timeout_from_seconds(seconds, name)?))
    }

    /// Another number of retries.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// One more header; see [`user_header`] for what is refused. `option`
    /// names the option as the caller spells it, for the error.
    pub fn header(mut self, name: &str, value: &str, option: &str) -> Result<Self> {
        let (name, value) = user_header(name, value, option)?;
        self.headers.insert(name, value);
        Ok(self)
    }

    /// Calls that stop when `token` is cancelled.
    pub fn cancel(mut self, token: CancelToken) -> Self {
        self.cancel = Some(token);
        self
    }

    /// Calls whose answers `recorder` keeps.
    pub fn record(mut self, recorder: ResponseRecorder) -> Self {
        self.record = Some(recorder);
        self
    }

    /// Calls whose log lines carry `tag`.
    pub fn log_tag(mut self, tag: u64) -> Self {
        self.log_tag = Some(tag);
        self
    }

    /// Calls whose spans and metric points go to `telemetry`.
    pub fn telemetry(mut self, telemetry: CallTelemetry) -> Self {
        self.telemetry = Some(telemetry);
        self
    }

    /// Whether the options change nothing.
    pub fn is_empty(&self) -> bool {
        self.timeout.is_none()
            && self.max_retries.is_none()
            && self.headers.is_empty()
            && self.cancel.is_none()
            && self.record.is_none()
            && self.cassette.is_none()
            && self.log_tag.is_none()
            && self.telemetry.is_none()
            && self.telemetry_wanted.is_none()
    }
}

/// A timeout given in seconds: a positive, finite number no larger than a
/// year, else a configuration error naming the option as the caller spells it
/// (`name`).
///
/// ```
/// let refused = pigello::client::timeout_from_seconds(1e300, "timeout").unwrap_err();
/// assert!(refused.to_string().contains("timeout must be"));
/// ```
pub fn timeout_from_seconds(seconds: f64, name: &str) -> Result<Duration> {
    const YEAR: f64 = 365.0 * 24.0 * 3600.0;
    match Duration::try_from_secs_f64(seconds) {
        Ok(timeout) if !timeout.is_zero() && seconds <= YEAR => Ok(timeout),
        _ => Err(Error::Config(format!(
            "{name} must be a positive, finite duration of at most a year"
        ))),
    }
}

/// A header a caller adds: a valid name and value, and never one of the
/// credential headers, which come only from the client's credentials (a
/// header option overriding one would send a request as someone else, or
/// leak a secret into code that logs its options). The value is never shown:
/// it may be a token.
pub fn user_header(name: &str, value: &str, option: &str) -> Result<(HeaderName, HeaderValue)> {
    let header = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::Config(format!("{option}: {name:?} is not a valid header name")))?;
    if let Some(credential) = Credentials::NAMES
        .iter()
        .find(|c| c.header.eq_ignore_ascii_case(name))
    {
        return Err(Error::Config(format!(
            "{option} cannot set {}: the credentials are the client's",
            credential.header
        )));
    }
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        Error::Config(format!(
            "{option}: the value of {name} holds a character that cannot be sent in a header"
        ))
    })?;
    value.set_sensitive(true);
    Ok((header, value))
}
