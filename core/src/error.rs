//! The one error type of the crate.

use std::time::Duration;

use crate::query::QueryError;
use crate::validate::{SHOWN_IN_MESSAGE, ValidationError};

use crate::client::transport::is_write;
use crate::client::{ApiError, BulkError, Outcome};

/// Everything that can go wrong in the SDK. Each variant carries what a caller
/// needs to act on it; none carries a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input broke one or more documented rules; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),

    /// A JSON body could not be decoded into a model: it is not JSON, or a field
    /// holds a value of the wrong type.
    #[error("could not decode {model}: {message} (at {path})")]
    Decode {
        /// The model the body was decoded into.
        model: &'static str,
        /// Where in the body decoding failed (`.` for the top level).
        path: String,
        /// What was wrong.
        message: String,
    },

    /// A value could not be encoded as JSON.
    #[error("could not encode {model}: {message}")]
    Encode {
        /// The model being encoded.
        model: &'static str,
        /// What was wrong.
        message: String,
    },

    /// A configuration value is missing or malformed (its value is never shown).
    #[error("configuration: {0}")]
    Config(String),

    /// A list query names a filter, operator or value the resource does not
    /// document; nothing was sent.
    #[error("{}", query_message(resource, problems))]
    Query {
        /// The resource listed.
        resource: &'static str,
        /// Every refused parameter.
        problems: Vec<QueryError>,
    },

    /// The API answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The connection failed (refused, reset, closed early, DNS, TLS).
    #[error("{method} {path}: {message}{}", tail(method, *outcome, *attempts))]
    Connection {
        /// The method of the call.
        method: &'static str,
        /// The path of the call (no query string).
        path: String,
        /// Whether the request (this attempt or an earlier one) may have
        /// reached the server.
        outcome: Outcome,
        /// What failed, and whether the last attempt had been sent.
        message: String,
        /// How many times the call was sent (or tried to be).
        attempts: u32,
    },

    /// No complete answer arrived within the timeout.
    #[error("{method} {path}: no answer within {after:?}{}", tail(method, *outcome, *attempts))]
    Timeout {
        /// The method of the call.
        method: &'static str,
        /// The path of the call (no query string).
        path: String,
        /// Whether the request may have reached the server.
        outcome: Outcome,
        /// The timeout that ran out, on each attempt.
        after: Duration,
        /// How many times the call was sent.
        attempts: u32,
    },

    /// The request could not be made (a URL longer than a request can carry,
    /// ...); nothing was sent.
    #[error("{method} {path}: the request could not be made, nothing was sent: {message}")]
    Request {
        /// The method of the call.
        method: &'static str,
        /// The path of the call (no query string).
        path: String,
        /// Why.
        message: String,
    },

    /// A bulk write stopped at a refused or failed chunk; the error says which
    /// items were written and which were not.
    #[error(transparent)]
    Bulk(Box<BulkError>),

    /// The call was cancelled ([`crate::client::CancelToken`]: Ctrl-C, an
    /// `AbortSignal`) before it ended.
    #[error("{method} {path}: the call was cancelled{}", tail(method, *outcome, 1))]
    Aborted {
        /// The method of the call.
        method: &'static str,
        /// The path of the call (no query string).
        path: String,
        /// Whether a write may have been applied before it was cancelled.
        outcome: Outcome,
    },

    /// The client was closed ([`crate::Client::close`]); nothing was sent.
    #[error("client is closed: make a new client to send more calls")]
    Closed,

    /// A cassette file cannot be used: missing where it must replay,
    /// unreadable, not a cassette, of a newer format, or cut off.
    #[error("cassette {file}{}: {message}", line.map(|n| format!(", line {n}")).unwrap_or_default())]
    Cassette {
        /// The file, as given.
        file: String,
        /// The line at fault (1-based), if one is.
        line: Option<usize>,
        /// What is wrong, and what to do.
        message: String,
    },

    /// A cassette that only replays holds no answer to this request; nothing
    /// was sent.
    #[error(
        "{method} {path}: cassette {file} holds no answer to this request, and nothing was sent{}",
        closest_tail(closest.as_deref())
    )]
    CassetteMiss {
        /// The method of the call.
        method: &'static str,
        /// The path of the call (no query string).
        path: String,
        /// The cassette file, as given.
        file: String,
        /// The recorded request closest to it, its personal values redacted.
        closest: Option<String>,
    },
}

/// What a cassette miss says of the recorded request closest to the one sent,
/// and how to record it.
fn closest_tail(closest: Option<&str>) -> String {
    let hint = "record it with record_mode \"new_episodes\" (PIGELLO_RECORD_MODE=new_episodes)";
    match closest {
        Some(near) => format!("; the closest recorded is {near}; {hint}"),
        None => format!("; it holds no request; {hint}"),
    }
}

/// One problem with one field or parameter, whoever found it: a documented
/// rule the client checked, a list query parameter, or a field error in the
/// server's answer. Every package shows the same three parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Where: a path into the body (`ssn`, `[3].tenant`) or a query parameter.
    pub path: String,
    /// Which rule, as a stable code (`luhn`, `unknown_field`, `unknown_filter`).
    pub rule: String,
    /// What is wrong, never repeating the value.
    pub message: String,
}

impl Error {
    /// The name of the class every package raises for this error
    /// (`ValidationError`, `NotFoundError`, `APITimeoutError`, ...).
    pub fn class_name(&self) -> &'static str {
        match self {
            Error::Validation(_) | Error::Query { .. } => "ValidationError",
            Error::Api(api) => api.kind.class_name(),
            Error::Timeout { .. } => "APITimeoutError",
            Error::Connection { .. } => "APIConnectionError",
            Error::Bulk(_) => "BulkWriteError",
            Error::Aborted { .. } => "APIUserAbortError",
            Error::Decode { .. }
            | Error::Encode { .. }
            | Error::Config(_)
            | Error::Request { .. }
            | Error::Closed => "PigelloError",
            Error::Cassette { .. } | Error::CassetteMiss { .. } => "CassetteError",
        }
    }

    /// A stable, machine-readable code: the server's own code for an API error
    /// that has one, else a code of the error's kind.
    ///
    /// ```
    /// let error = pigello::Error::Config("no base URL".into());
    /// assert_eq!((error.class_name(), error.code()), ("PigelloError", "configuration"));
    /// ```
    pub fn code(&self) -> &str {
        match self {
            Error::Validation(_) => "validation_error",
            Error::Query { .. } => "invalid_query",
            Error::Api(api) => api.code.as_deref().unwrap_or(api.kind.code()),
            Error::Timeout { .. } => "timeout",
            Error::Connection { .. } => "connection_error",
            Error::Bulk(_) => "bulk_write_incomplete",
            Error::Decode { .. } => "decode_error",
            Error::Encode { .. } => "encode_error",
            Error::Config(_) => "configuration",
            Error::Request { .. } => "invalid_request",
            Error::Closed => "client_closed",
            Error::Aborted { .. } => "aborted",
            Error::Cassette { .. } => "cassette_invalid",
            Error::CassetteMiss { .. } => "cassette_unmatched",
        }
    }

    /// The field problems the error names, in one shape for every source.
    pub fn issues(&self) -> Vec<Issue> {
        let issue = |path: &str, rule: &str, message: &str| Issue {
            path: path.to_owned(),
            rule: rule.to_owned(),
            message: message.to_owned(),
        };
        match self {
            Error::Validation(v) => v
                .violations
                .iter()
                .map(|v| issue(v.path.as_str(), v.rule.code(), &v.message))
                .collect(),
            Error::Query { problems, .. } => problems
                .iter()
                .map(|p| issue(&p.param, p.code, &p.message))
                .collect(),
            Error::Api(api) => api
                .errors
                .iter()
                .map(|e| issue(&e.field, &e.code, &e.message))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// How long the server asked to wait before another call (`Retry-After`),
    /// on any API error that carried one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(|api| api.retry_after)
    }

    /// The API error, if the API answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether a write may have been applied although the call failed: a
    /// write was sent and its answer was lost, on the last attempt or an
    /// earlier one (then even an error status on the last attempt does not
    /// say the write is not in place). A read never is: nothing it does can
    /// be applied.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::Api(e) => e.outcome == Some(Outcome::Unknown),
            Error::Bulk(report) => report.cause.outcome_unknown(),
            Error::Connection {
                outcome, method, ..
            }
            | Error::Timeout {
                outcome, method, ..
            }
            | Error::Aborted {
                outcome, method, ..
            } => *outcome == Outcome::Unknown && is_write(method),
            _ => false,
        }
    }
}

impl Error {
    /// The error as every package shows it, in one description: `class`,
    /// `code`, `message`, `outcome_unknown`, `errors` (each issue's `path`,
    /// `rule` and `message`), and the fields of its kind (`status`, `body`,
    /// `request_id`, `retry_after` in seconds for an API error; `written`,
    /// `failed` and `not_attempted` as `[start, end]`, `rows` and `cause`,
    /// described the same way, for a bulk write). Keys are snake_case; a
    /// binding only re-cases them and builds its language's error from them.
    ///
    /// ```
    /// let error = pigello::Error::Config("no base URL".into());
    /// let description = error.describe();
    /// assert_eq!(description["class"], "PigelloError");
    /// assert_eq!(description["code"], "configuration");
    /// assert_eq!(description["errors"], serde_json::json!([]));
    /// ```
    pub fn describe(&self) -> serde_json::Value {
        use serde_json::json;
        let mut out = json!({
            "class": self.class_name(),
            "code": self.code(),
            "message": self.to_string(),
            "outcome_unknown": self.outcome_unknown(),
            "errors": self.issues().iter().map(|i| json!({
                "path": i.path, "rule": i.rule, "message": i.message,
            })).collect::<Vec<_>>(),
        });
        let range = |r: &std::ops::Range<usize>| json!([r.start, r.end]);
        let kind = match self {
            Error::Api(api) => json!({
                "status": api.status,
                "body": api.body,
                "request_id": api.request_id,
                "retry_after": api.retry_after.map(|d| d.as_secs_f64()),
            }),
            Error::Bulk(report) => json!({
                "written": range(&report.written),
                "failed": range(&report.failed),
                "not_attempted": range(&report.not_attempted),
                "rows": report.written_rows,
                "cause": report.cause.describe(),
            }),
            Error::Cassette { file, line, .. } => json!({ "file": file, "line": line }),
            Error::CassetteMiss {
                file,
                method,
                path,
                closest,
            } => json!({ "file": file, "method": method, "path": path, "closest": closest }),
            _ => json!({}),
        };
        if let (Some(out), serde_json::Value::Object(kind)) = (out.as_object_mut(), kind) {
            out.extend(kind);
        }
        out
    }

    /// The message of an internal error: a Rust panic caught at a binding's
    /// boundary (`what` is the panic's own text), which is a bug.
    pub fn internal_message(what: &str) -> String {
        format!(
            "internal error in the pigello package ({what}); this is a bug, please report it with the steps that led here"
        )
    }
}

fn query_message(resource: &str, problems: &[QueryError]) -> String {
    let list: Vec<String> = problems
        .iter()
        .take(SHOWN_IN_MESSAGE)
        .map(ToString::to_string)
        .collect();
    let more = match problems.len().saturating_sub(SHOWN_IN_MESSAGE) {
        0 => String::new(),
        n => format!("; and {n} more"),
    };
    format!("invalid {resource} list query: {}{more}", list.join("; "))
}

/// How many attempts were made, and, for a write whose last answer was lost,
/// that its outcome is unknown and whether sending it again is safe.
fn tail(method: &str, outcome: Outcome, attempts: u32) -> String {
    let tries = match attempts {
        0 | 1 => String::new(),
        n => format!(" (after {n} attempts)"),
    };
    if outcome == Outcome::Unknown && is_write(method) {
        let again = if method == "POST" {
            "it was not sent again: a second create could make a second record"
        } else {
            "sending it again is safe: it leaves the same state"
        };
        format!("{tries}; outcome unknown: the write may or may not have been applied ({again})")
    } else {
        tries
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
