//! The options of a call, a list or a client as the addon receives them from
//! `index.js` (which checks each against the core's option table,
//! `options.js`), turned into the core's: how a call is sent
//! (`RequestOptions`), what it sends beyond its documented arguments
//! (`CallOptions`) and a list's arguments (`ListArgs`).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::{Map, Value};

use pigello::Spelling;
use pigello::client::{CallOptions, ListArgs, RequestOptions};

use crate::errors::{invalid_argument, to_napi};
use crate::json::parse_optional;

/// How calls are sent: a client's settings (`defaultHeaders`) or one call's
/// own (`headers`).
#[napi(object)]
pub struct SendOptions {
    /// Per attempt, in milliseconds.
    pub timeout: Option<f64>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// Headers, as JSON text of an object of strings.
    pub headers: Option<String>,
    /// A cancel id (`newCancel()`) the call's `signal` cancels.
    pub cancel: Option<u32>,
    /// A recorder id (`newRecorder()`) that keeps the call's answer.
    pub record: Option<u32>,
    /// A client's log tag (`newLogTag()`), for its `logger` and `logLevel`.
    pub log_tag: Option<u32>,
    /// Query parameters the reference does not list, as JSON text of an object.
    pub extra_query: Option<String>,
    /// Body fields the reference does not list, as JSON text of an object.
    pub extra_body: Option<String>,
}

/// The core's options from `send`; `headers_name` names the headers option
/// in an error (`defaultHeaders`, `headers`). The core checks each value.
pub fn request_options(
    timeout: Option<f64>,
    max_retries: Option<u32>,
    headers: Option<&str>,
    headers_name: &str,
) -> Result<RequestOptions> {
    let mut options = RequestOptions::default();
    if let Some(ms) = timeout {
        options = options
            .timeout_seconds(ms / 1000.0, "timeout")
            .map_err(to_napi)?;
    }
    if let Some(n) = max_retries {
        options = options.max_retries(n);
    }
    let headers: Option<Map<String, Value>> = parse_optional(headers, headers_name)?;
    for (name, value) in headers.iter().flatten() {
        let value = value.as_str().ok_or_else(|| {
            invalid_argument(format!("{headers_name}[{name:?}] must be a string"))
        })?;
        options = options.header(name, value, headers_name).map_err(to_napi)?;
    }
    Ok(options)
}

impl SendOptions {
    /// What a call sends beyond its arguments (`extraQuery`, `extraBody`).
    pub fn call_options(send: Option<&SendOptions>) -> Result<CallOptions> {
        let Some(send) = send else {
            return Ok(CallOptions::default());
        };
        let extra_body: Option<Value> = parse_optional(send.extra_body.as_deref(), "extraBody")?;
        let extra_query: Option<Value> = parse_optional(send.extra_query.as_deref(), "extraQuery")?;
        CallOptions::from_json(extra_body, extra_query, Spelling::Camel).map_err(to_napi)
    }

    /// The core's options; `headers_name` names the headers option in an
    /// error (`headers` for a call, `defaultHeaders` for a client).
    pub fn into_core(send: Option<SendOptions>, headers_name: &str) -> Result<RequestOptions> {
        let Some(send) = send else {
            return Ok(RequestOptions::default());
        };
        let options = request_options(
            send.timeout,
            send.max_retries,
            send.headers.as_deref(),
            headers_name,
        )?;
        let options = match send.log_tag {
            Some(tag) => options.log_tag(tag.into()),
            None => options,
        };
        let options = match send.cancel.and_then(crate::per_call::cancel_token) {
            Some(token) => options.cancel(token),
            None => options,
        };
        Ok(match send.record.and_then(crate::per_call::recorder) {
            Some(recorder) => options.record(recorder),
            None => options,
        })
    }
}

/// The options of `list(...)` and `iterate(...)`.
#[napi(object)]
pub struct ListOptions {
    pub page: Option<u32>,
    pub page_size: Option<u32>,
    /// `"last_name"`, `"-birth_date"`, `"a,-b"` or an array of such keys.
    pub order_by: Option<Either<String, Vec<String>>>,
    pub search: Option<String>,
    pub slim: Option<bool>,
    pub statistics: Option<bool>,
    /// Filters as the API spells them (a key ending in `!` is negated), as
    /// JSON text.
    pub filters: Option<String>,
}

impl ListOptions {
    /// The core's list arguments.
    pub fn into_core(self) -> Result<ListArgs> {
        let filters: Option<Map<String, Value>> =
            parse_optional(self.filters.as_deref(), "filters")?;
        let order_by = match self.order_by {
            Some(Either::A(keys)) => vec![keys],
            Some(Either::B(list)) => list,
            None => Vec::new(),
        };
        Ok(ListArgs {
            page: self.page,
            page_size: self.page_size,
            order_by,
            search: self.search,
            slim: self.slim.unwrap_or(false),
            statistics: self.statistics.unwrap_or(false),
            filters: filters.into_iter().flatten().collect(),
        })
    }
}
