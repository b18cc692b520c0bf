//! Sending one call: attempts, retries, timeouts, error mapping and logging.

use std::time::{Instant, SystemTime};

use reqwest::Method;
use reqwest::header::HeaderMap;
use tracing::Instrument;

use super::Client;
use super::api_error::{ApiError, ApiErrorKind, BODY_EXCERPT, ErrorBody, Outcome};
use super::cancel::unless_cancelled;
use super::retry::{idempotent, jitter, parse_retry_after, retryable_status};
use super::traced::{Attempts, CallTarget};
use crate::description::Paths;
use crate::telemetry::{ErrorType, Propagated};
use crate::{Error, Result};

/// One call to the API.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub method: Method,
    /// The path, starting with `/`.
    pub path: String,
    /// The path as the reference writes it (`{pk}` for an id): what names
    /// the call's spans, which must never hold an id.
    pub template: &'static str,
    /// The encoded query string, without `?` (may be empty).
    pub query: String,
    /// A JSON body.
    pub body: Option<Vec<u8>>,
    /// The answer is streamed: only the connect and read timeouts apply, not
    /// the total one, so a long export is not cut off.
    pub streamed: bool,
}

impl Call {
    /// A call to a path without an id.
    pub fn new(method: Method, template: &'static str) -> Self {
        Call {
            method,
            path: template.to_owned(),
            template,
            query: String::new(),
            body: None,
            streamed: false,
        }
    }

    /// A call to the object `id` of a resource at `paths`.
    pub fn for_id(method: Method, paths: &Paths, id: &uuid::Uuid) -> Self {
        Call {
            path: paths.single_for(id),
            ..Call::new(method, paths.single)
        }
    }

    pub fn json(mut self, body: &serde_json::Value) -> Result<Self> {
        self.body = Some(serde_json::to_vec(body).map_err(|e| Error::Encode {
            model: "body",
            message: e.to_string(),
        })?);
        Ok(self)
    }
}

impl Client {
    /// Sends a call, retrying as [`super::RetryPolicy`] allows. The answer is a
    /// success, or the 404 that confirms a DELETE whose earlier attempt was
    /// applied although its answer was lost.
    pub(crate) async fn send(&self, call: &Call) -> Result<reqwest::Response> {
        let span = tracing::info_span!(
            "pigello.request",
            method = %call.method,
            path = %call.path,
            query = %redact_query(&call.query),
            tag = self.log_tag,
        );
        self.send_with_retries(call).instrument(span).await
    }

    async fn send_with_retries(&self, call: &Call) -> Result<reqwest::Response> {
        let method: &'static str = method_name(&call.method);
        let url = url_of(&self.inner.base_url, call)?;
        let http = self.inner.http()?;
        let cancel = self.cancel.as_ref();
        // A cancelled call: a write may be in place if an attempt was sent.
        let aborted = |sent: bool| Error::Aborted {
            method,
            path: call.path.clone(),
            outcome: if sent {
                Outcome::Unknown
            } else {
                Outcome::NotSent
            },
        };
        let call_started = Instant::now();
        let target = CallTarget {
            method,
            template: call.template,
            url: &url,
            query: &call.query,
        };
        let attempts = Attempts::new(self.telemetry.as_ref(), target);
        let mut after_unknown = false;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if cancel.is_some_and(|token| token.is_cancelled()) {
                return Err(aborted(after_unknown));
            }
            // A cassette that holds no answer and records none refuses the
            // call here, before anything is sent.
            let replayed = match &self.cassette {
                Some(cassette) => {
                    cassette.replay(method, &call.path, &call.query, call.body.as_deref())?
                }
                None => None,
            };
            let started = Instant::now();
            let traced = attempts.start(attempt).await;
            let propagated = traced.propagated();
            let sending = async {
                match replayed {
                    Some(answer) => Ok(answer),
                    None => self.attempt(&http, call, &url, propagated).await,
                }
            };
            let Some(outcome) = unless_cancelled(cancel, sending.instrument(traced.span())).await
            else {
                traced.failed(ErrorType::Cancelled, started.elapsed()).await;
                return Err(aborted(true));
            };
            match &outcome {
                Ok(response) => {
                    let request_id = || header(response, "x-request-id");
                    let status = response.status().as_u16();
                    traced.answered(status, request_id, started.elapsed()).await;
                }
                Err(e) => traced.failed(e.error_type(), started.elapsed()).await,
            }
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let retries_left = attempt <= self.retry.max_retries;
            match outcome {
                Ok(response) if response.status().is_success() => {
                    tracing::info!(
                        attempt,
                        status = response.status().as_u16(),
                        elapsed_ms,
                        request_id = header(&response, "x-request-id").as_deref().unwrap_or("-"),
                        "answered"
                    );
                    if let Some(recorder) = &self.record {
                        recorder.record(&response, call_started.elapsed(), attempt);
                    }
                    return Ok(response);
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    tracing::info!(
                        attempt,
                        status,
                        elapsed_ms,
                        request_id = header(&response, "x-request-id").as_deref().unwrap_or("-"),
                        "answered with an error status"
                    );
                    if status == 404 && call.method == Method::DELETE && after_unknown {
                        return Ok(response);
                    }
                    let mut error = api_error(method, &call.path, response, attempt).await;
                    if after_unknown && is_write(method) {
                        error.outcome = Some(Outcome::Unknown);
                    }
                    let retryable =
                        retries_left && idempotent(&call.method) && retryable_status(status);
                    if retryable
                        && let Some(wait) =
                            self.retry.delay(attempt - 1, error.retry_after, jitter())
                    {
                        tracing::info!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
                        if unless_cancelled(cancel, tokio::time::sleep(wait))
                            .await
                            .is_none()
                        {
                            return Err(aborted(after_unknown));
                        }
                        continue;
                    }
                    return Err(Error::Api(Box::new(error)));
                }
                Err(NoAnswer::Cassette(error)) => return Err(error),
                Err(e) => {
                    let outcome = if e.is_connect() {
                        Outcome::NotSent
                    } else {
                        Outcome::Unknown
                    };
                    let sent_before = after_unknown;
                    tracing::info!(attempt, elapsed_ms, ?outcome, error = %e.describe(), "no answer");
                    after_unknown |= outcome == Outcome::Unknown;
                    if retries_left && (idempotent(&call.method) || outcome == Outcome::NotSent) {
                        let wait = self.retry.backoff(attempt - 1, jitter());
                        tracing::info!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
                        if unless_cancelled(cancel, tokio::time::sleep(wait))
                            .await
                            .is_none()
                        {
                            return Err(aborted(after_unknown));
                        }
                        continue;
                    }
                    return Err(transport_error(
                        method,
                        &call.path,
                        (outcome, sent_before),
                        &e,
                        (self.timeout, attempt),
                    ));
                }
            }
        }
    }

    /// One attempt. A streamed call gets the timeout until its answer starts
    /// (its rows are then read with the timeout between two reads, in
    /// `stream.rs`); any other call until the last byte of its answer.
    async fn attempt(
        &self,
        http: &reqwest::Client,
        call: &Call,
        url: &reqwest::Url,
        propagated: Propagated,
    ) -> Result<reqwest::Response, NoAnswer> {
        let mut request = http.request(call.method.clone(), url.clone());
        if !self.headers.is_empty() {
            request = request.headers(HeaderMap::clone(&self.headers));
        }
        for (name, value) in propagated {
            request = request.header(name, value);
        }
        if let Some(body) = &call.body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let answer = if call.streamed {
            match tokio::time::timeout(self.timeout, request.send()).await {
                Ok(answer) => answer.map_err(NoAnswer::Transport),
                Err(_) => Err(NoAnswer::TimedOut),
            }
        } else {
            request
                .timeout(self.timeout)
                .send()
                .await
                .map_err(NoAnswer::Transport)
        }?;
        match &self.cassette {
            Some(cassette) if cassette.records() => {
                let request = (
                    call.path.as_str(),
                    call.query.as_str(),
                    call.body.as_deref(),
                );
                let method = method_name(&call.method);
                match cassette.record(method, request, answer).await {
                    Ok(Ok(answer)) => Ok(answer),
                    Ok(Err(unwritten)) => Err(NoAnswer::Cassette(unwritten)),
                    Err(unread) => Err(NoAnswer::Transport(unread)),
                }
            }
            _ => Ok(answer),
        }
    }
}

/// Why an attempt got no answer.
#[derive(Debug)]
enum NoAnswer {
    /// The transport failed or its own timeout ran out.
    Transport(reqwest::Error),
    /// A streamed answer did not start within the timeout.
    TimedOut,
    /// The answer came, but the cassette recording it could not be written.
    Cassette(Error),
}

impl NoAnswer {
    /// Whether the connection was never made (so nothing was sent).
    fn is_connect(&self) -> bool {
        matches!(self, NoAnswer::Transport(e) if e.is_connect())
    }

    fn is_timeout(&self) -> bool {
        match self {
            NoAnswer::Transport(e) => e.is_timeout(),
            NoAnswer::TimedOut => true,
            NoAnswer::Cassette(_) => false,
        }
    }

    fn describe(&self) -> String {
        match self {
            NoAnswer::Transport(e) => clean(e),
            NoAnswer::TimedOut => "timed out".to_owned(),
            NoAnswer::Cassette(error) => error.to_string(),
        }
    }

    /// What the attempt's span calls the failure.
    fn error_type(&self) -> ErrorType {
        if matches!(self, NoAnswer::Cassette(_)) {
            ErrorType::Other
        } else if self.is_timeout() {
            ErrorType::Timeout
        } else if self.is_connect() && self.is_refused() {
            ErrorType::ConnectionRefused
        } else if self.is_connect() {
            ErrorType::ConnectError
        } else {
            ErrorType::ConnectionLost
        }
    }

    /// Whether the server refused the connection.
    fn is_refused(&self) -> bool {
        let NoAnswer::Transport(e) = self else {
            return false;
        };
        let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
        while let Some(cause) = source {
            if cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
            {
                return true;
            }
            source = cause.source();
        }
        false
    }
}

/// The method as a static name, for errors.
pub(crate) fn method_name(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::PUT => "PUT",
        _ => "HTTP",
    }
}

/// The transport's message without the URL (whose query may hold personal
/// data), with its causes.
fn clean(e: &reqwest::Error) -> String {
    let mut message = String::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(cause) = source {
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    if message.is_empty() {
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else if e.is_body() || e.is_decode() {
            "the answer's body failed"
        } else {
            "the request failed"
        };
        message.push_str(kind);
    }
    message
}

/// The error of a call that got no answer: the last attempt's outcome and
/// whether an earlier attempt was sent and its answer lost (then the call's
/// outcome is unknown whatever the last attempt did), the timeout per attempt
/// and how many attempts were made.
fn transport_error(
    method: &'static str,
    path: &str,
    (last, sent_before): (Outcome, bool),
    e: &NoAnswer,
    (timeout, attempts): (std::time::Duration, u32),
) -> Error {
    let outcome = if sent_before { Outcome::Unknown } else { last };
    if e.is_timeout() {
        Error::Timeout {
            method,
            path: path.to_owned(),
            outcome,
            after: timeout,
            attempts,
        }
    } else {
        Error::Connection {
            method,
            path: path.to_owned(),
            outcome,
            message: connection_message(last, &e.describe()),
            attempts,
        }
    }
}

/// What a failed connection did: whether the request left before it failed.
pub(crate) fn connection_message(last: Outcome, cause: &str) -> String {
    match last {
        Outcome::NotSent => format!("connection failed before the request was sent ({cause})"),
        Outcome::Unknown => format!("the connection failed after the request was sent ({cause})"),
    }
}

/// Whether a method changes state.
pub(crate) fn is_write(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// The longest URL a request can carry (the `http` crate's limit on a URI).
const MAX_URL_BYTES: usize = u16::MAX as usize - 1;

/// The largest body a request may carry: what the sandbox accepts by default.
/// The reference documents no limit; no documented body comes near it (a
/// field holds at most a few hundred characters, a bulk write is sent in
/// chunks), so a body past it is refused before it is sent rather than
/// answered 413 after.
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// The URL of a call, parsed once for all its attempts, or why it cannot be
/// sent at all (a URL or a body too large).
fn url_of(base_url: &str, call: &Call) -> Result<reqwest::Url> {
    let mut url = format!("{base_url}{}", call.path);
    if !call.query.is_empty() {
        url.push('?');
        url.push_str(&call.query);
    }
    let refused = |message: String| Error::Request {
        method: method_name(&call.method),
        path: call.path.clone(),
        message,
    };
    if url.len() > MAX_URL_BYTES {
        return Err(refused(format!(
            "the URL would be {} bytes, more than the {MAX_URL_BYTES} a request can carry; \
             a filter value this long cannot be sent",
            url.len()
        )));
    }
    if let Some(body) = call.body.as_ref().filter(|b| b.len() > MAX_BODY_BYTES) {
        return Err(refused(format!(
            "the body would be {} bytes, more than the {MAX_BODY_BYTES} a request may carry",
            body.len()
        )));
    }
    reqwest::Url::parse(&url).map_err(|e| refused(format!("the URL is not valid ({e})")))
}

/// A header of an answer, if present and text.
pub(crate) fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Reads an error answer into an [`ApiError`].
async fn api_error(
    method: &'static str,
    path: &str,
    response: reqwest::Response,
    attempts: u32,
) -> ApiError {
    let status = response.status().as_u16();
    let request_id = header(&response, "x-request-id");
    let retry_after =
        header(&response, "retry-after").and_then(|v| parse_retry_after(&v, SystemTime::now()));
    let bytes = response.bytes().await.unwrap_or_default();
    let mut parsed: ErrorBody = serde_json::from_slice(&bytes).unwrap_or_default();
    // The server's words become the error's message: personal data in them
    // is replaced (the raw body stays on `body`).
    let scrub = |text: &str| crate::redact::personal_data(text).into_owned();
    parsed.detail = parsed.detail.as_deref().map(scrub);
    for e in &mut parsed.errors {
        e.message = scrub(&e.message);
    }
    let mut body = String::from_utf8_lossy(&bytes[..bytes.len().min(BODY_EXCERPT)]).into_owned();
    if bytes.len() > BODY_EXCERPT {
        body.push('…');
    }
    ApiError {
        method,
        path: path.to_owned(),
        status,
        kind: ApiErrorKind::of(status),
        code: parsed.code,
        detail: parsed.detail,
        errors: parsed.errors,
        body,
        request_id,
        retry_after,
        attempts,
        outcome: None,
    }
}

/// A query string for logs ([`crate::redact::query_values`]).
pub(crate) fn redact_query(query: &str) -> String {
    crate::redact::query_values(query, "<redacted>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn personal_data_the_server_echoes_stays_out_of_the_message() {
        let body = r#"{"detail": "19811218-9876 is taken by anna@example.se", "errors": [{"field": "phone_number", "code": "unique", "message": "+46 70 123 45 67 is taken"}]}"#;
        let answer = reqwest::Response::from(
            http::Response::builder()
                .status(400)
                .body(body)
                .expect("a response"),
        );
        let error = api_error("POST", "/x/", answer, 1).await;
        let message = error.to_string();
        for value in ["19811218-9876", "anna@example.se", "+46 70 123 45 67"] {
            assert!(!message.contains(value), "{message}");
        }
        assert!(
            message.contains("<redacted> is taken by <redacted>"),
            "{message}"
        );
        assert_eq!(error.errors[0].field, "phone_number");
        // The raw body stays available to the caller, as the server sent it.
        assert_eq!(error.body, body);
    }

    #[test]
    fn only_values_that_cannot_be_personal_are_logged() {
        assert_eq!(
            redact_query(
                "ssn=19811218-9876&api_key=abc&_search=anna%40example.se&_page=1&_order_by=-ssn"
            ),
            "ssn=<redacted>&api_key=<redacted>&_search=<redacted>&_page=1&_order_by=-ssn"
        );
        assert_eq!(redact_query(""), "");
        // A flag's value is never personal, and the reader needs it.
        assert_eq!(
            redact_query("ssn__isnull=false&ssn__isnull%21=true&first_name=true"),
            "ssn__isnull=false&ssn__isnull%21=true&first_name=true"
        );
    }
}
