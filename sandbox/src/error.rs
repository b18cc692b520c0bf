//! The one error shape every refused request gets.
//!
//! ```json
//! {
//!   "status": 400,
//!   "code": "invalid",
//!   "detail": "2 problems with the Protectedidentity body",
//!   "errors": [
//!     {"field": "ssn", "code": "luhn", "message": "..."},
//!     {"field": "tenant", "code": "cannot_be_set_with", "message": "..."}
//!   ]
//! }
//! ```
//!
//! `errors` is present (and may be empty) on every error; `field` is a path into
//! the body (`[2].ssn` for the third item of a bulk write) or a query parameter
//! name. The field `code`s are the core's rule codes plus the server-only
//! `unique`, `reference` and `not_found`, and the list query's codes. Messages
//! never repeat a submitted value or a credential.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pigello::query::QueryError;
use pigello::validate::Violation;
use serde::Serialize;

/// One problem with one field or parameter.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    /// Where: a body path (`ssn`, `[0].tenant`) or a query parameter.
    pub field: String,
    /// A stable rule code.
    pub code: String,
    /// What is wrong, for people.
    pub message: String,
}

impl From<&Violation> for FieldError {
    fn from(v: &Violation) -> Self {
        FieldError {
            field: v.path.as_str().to_owned(),
            code: v.rule.code().to_owned(),
            message: v.message.clone(),
        }
    }
}

impl From<QueryError> for FieldError {
    fn from(e: QueryError) -> Self {
        FieldError {
            field: e.param,
            code: e.code.to_owned(),
            message: e.message,
        }
    }
}

/// A refused request.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable code for the whole error.
    pub code: &'static str,
    /// One sentence for people.
    pub detail: String,
    /// The field-level problems, if any.
    pub errors: Vec<FieldError>,
    /// Seconds to send as `Retry-After`.
    pub retry_after: Option<u32>,
}

#[derive(Serialize)]
struct Body<'a> {
    status: u16,
    code: &'a str,
    detail: &'a str,
    errors: &'a [FieldError],
}

impl ApiError {
    /// An error with no field-level problems.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// 400 with the field-level problems.
    pub fn invalid(detail: impl Into<String>, errors: Vec<FieldError>) -> Self {
        ApiError {
            errors,
            ..ApiError::new(StatusCode::BAD_REQUEST, "invalid", detail)
        }
    }

    /// 404 for a path or an object this customer cannot see.
    pub fn not_found(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", detail)
    }

    /// The JSON body, as bytes.
    pub fn body(&self) -> Vec<u8> {
        serde_json::to_vec(&Body {
            status: self.status.as_u16(),
            code: self.code,
            detail: &self.detail,
            errors: &self.errors,
        })
        .unwrap_or_default()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
