//! What the API says when it refuses a call, and what a failed call leaves
//! behind.

use std::fmt;
use std::ops::Range;
use std::time::Duration;

use serde::Deserialize;

/// Whether a failed request may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Provably not: the connection was never established. Safe to retry.
    NotSent,
    /// The request may have been received and applied; the answer was lost.
    Unknown,
}

/// The kind of an API error, by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400: the body or query broke a rule.
    BadRequest,
    /// 401: the credentials were missing or refused.
    Authentication,
    /// 403: the credentials do not allow this.
    PermissionDenied,
    /// 404: no such path or object (or another customer's).
    NotFound,
    /// 409: the call conflicts with the stored state.
    Conflict,
    /// 429: too many requests; see [`ApiError::retry_after`].
    RateLimited,
    /// 5xx: the server failed.
    Server,
    /// Any other status.
    Other,
}

impl ApiErrorKind {
    /// The kind of a status.
    ///
    /// ```
    /// use pigello::client::ApiErrorKind;
    /// assert_eq!(ApiErrorKind::of(429), ApiErrorKind::RateLimited);
    /// assert_eq!(ApiErrorKind::of(503).code(), "server_error");
    /// ```
    pub fn of(status: u16) -> ApiErrorKind {
        match status {
            400 => ApiErrorKind::BadRequest,
            401 => ApiErrorKind::Authentication,
            403 => ApiErrorKind::PermissionDenied,
            404 => ApiErrorKind::NotFound,
            409 => ApiErrorKind::Conflict,
            429 => ApiErrorKind::RateLimited,
            500..=599 => ApiErrorKind::Server,
            _ => ApiErrorKind::Other,
        }
    }

    /// A stable code for the kind (`bad_request`, `rate_limited`, ...).
    pub fn code(self) -> &'static str {
        match self {
            ApiErrorKind::BadRequest => "bad_request",
            ApiErrorKind::Authentication => "authentication",
            ApiErrorKind::PermissionDenied => "permission_denied",
            ApiErrorKind::NotFound => "not_found",
            ApiErrorKind::Conflict => "conflict",
            ApiErrorKind::RateLimited => "rate_limited",
            ApiErrorKind::Server => "server_error",
            ApiErrorKind::Other => "api_error",
        }
    }

    /// The name the Python and Node packages give the error class of the kind
    /// (`NotFoundError`, ...; `APIError` for any other status).
    pub fn class_name(self) -> &'static str {
        match self {
            ApiErrorKind::BadRequest => "BadRequestError",
            ApiErrorKind::Authentication => "AuthenticationError",
            ApiErrorKind::PermissionDenied => "PermissionDeniedError",
            ApiErrorKind::NotFound => "NotFoundError",
            ApiErrorKind::Conflict => "ConflictError",
            ApiErrorKind::RateLimited => "RateLimitError",
            ApiErrorKind::Server => "InternalServerError",
            ApiErrorKind::Other => "APIError",
        }
    }
}

/// One field-level problem the server reported.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiFieldError {
    /// A path into the body (`ssn`, `[2].tenant`) or a query parameter.
    #[serde(default)]
    pub field: String,
    /// A rule code (`luhn`, `unique`, `reference`, `unknown_filter`, ...).
    #[serde(default)]
    pub code: String,
    /// What is wrong.
    #[serde(default)]
    pub message: String,
}

/// The error body the sandbox documents (`sandbox/README.md`):
/// `{"status", "code", "detail", "errors": [{"field", "code", "message"}]}`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub errors: Vec<ApiFieldError>,
}

/// The API answered with an error status.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The method of the call.
    pub method: &'static str,
    /// The path of the call (no query string).
    pub path: String,
    /// The HTTP status.
    pub status: u16,
    /// The kind of error, by status.
    pub kind: ApiErrorKind,
    /// The body's error code, if it has the documented shape.
    pub code: Option<String>,
    /// The body's one-sentence explanation, if any.
    pub detail: Option<String>,
    /// The field-level problems the body lists.
    pub errors: Vec<ApiFieldError>,
    /// The raw body (the first 4 KiB).
    pub body: String,
    /// The `X-Request-Id` of the answer, to quote to support.
    pub request_id: Option<String>,
    /// How long the server asked to wait (`Retry-After`), if it did.
    pub retry_after: Option<Duration>,
    /// How many times the call was sent.
    pub attempts: u32,
    /// `Some(Outcome::Unknown)` when an earlier attempt of this write was sent
    /// and its answer lost: the write may be applied whatever this answer
    /// says. `None` when this answer is the whole story.
    pub outcome: Option<Outcome>,
}

/// How much of an error body is kept.
pub(crate) const BODY_EXCERPT: usize = 4096;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} answered {}", self.method, self.path, self.status)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        for (i, e) in self.errors.iter().enumerate() {
            f.write_str(if i == 0 { " (" } else { "; " })?;
            write!(f, "{}: {} [{}]", e.field, e.message, e.code)?;
            if i + 1 == self.errors.len() {
                f.write_str(")")?;
            }
        }
        if let Some(after) = self.retry_after {
            write!(f, "; retry after {}s", after.as_secs())?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request {id}]")?;
        }
        if self.outcome == Some(Outcome::Unknown) {
            f.write_str(
                "; outcome unknown: an earlier attempt was sent and its answer lost, \
                 so the write may have been applied",
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A bulk write that stopped part-way: which items are stored and which are not.
///
/// Chunks are sent in order; each is written whole or not at all. So items
/// `written` are stored, items in `failed` may be (if the outcome of that chunk
/// is unknown) or are not (if the server refused it), and items in
/// `not_attempted` were never sent.
#[derive(Debug)]
pub struct BulkError {
    /// The resource written.
    pub resource: &'static str,
    /// Indexes of the items that were written (every chunk before the failed one).
    pub written: Range<usize>,
    /// Indexes of the items in the chunk that failed.
    pub failed: Range<usize>,
    /// Indexes of the items never sent.
    pub not_attempted: Range<usize>,
    /// The rows the server returned for the written chunks, as JSON.
    pub written_rows: Vec<serde_json::Value>,
    /// Why the chunk failed.
    pub cause: crate::Error,
}

impl fmt::Display for BulkError {
    /// Names each range of items that is not empty, as the half-open index
    /// range of the list given (`items 100..150`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let failed = if self.cause.outcome_unknown() {
            "may or may not have been written (outcome unknown)"
        } else {
            "were refused"
        };
        let parts: Vec<String> = [
            (&self.written, "were written"),
            (&self.failed, failed),
            (&self.not_attempted, "were not sent"),
        ]
        .into_iter()
        .filter(|(range, _)| !range.is_empty())
        .map(|(range, what)| format!("items {range:?} {what}"))
        .collect();
        write!(
            f,
            "bulk write of {}: {}: {}",
            self.resource,
            parts.join(", "),
            self.cause
        )
    }
}

impl std::error::Error for BulkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.cause)
    }
}
