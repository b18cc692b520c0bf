//! The core's errors, carried to JavaScript. A native error's message is a
//! marker and a JSON description; `errors.js` turns it into an instance of the
//! matching class (`NotFoundError`, `ValidationError`, ...), so every field
//! crosses intact and the classes live in one place.

use serde_json::{Value, json};

use pigello::Error;

/// The start of a native error message that `errors.js` decodes.
pub const MARKER: &str = "\u{1}pigello-error:";

fn native(description: Value) -> napi::Error {
    napi::Error::from_reason(format!("{MARKER}{description}"))
}

/// A plain `PigelloError` with a code.
pub fn pigello_error(code: &str, message: impl Into<String>) -> napi::Error {
    native(json!({"class": "PigelloError", "code": code, "message": message.into()}))
}

/// A `PigelloError` for a wrong argument, naming it.
pub fn invalid_argument(message: impl Into<String>) -> napi::Error {
    pigello_error("invalid_argument", message)
}

/// A `PigelloError` for a Rust panic: a bug, to be reported.
pub fn bug(panic: &(dyn std::any::Any + Send)) -> napi::Error {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into());
    pigello_error(
        "internal_error",
        format!(
            "internal error in the pigello package ({what}); this is a bug, please report it with the steps that led here"
        ),
    )
}

/// The error for a core error.
pub fn to_napi(error: Error) -> napi::Error {
    native(describe(error))
}

fn describe(error: Error) -> Value {
    let message = error.to_string();
    let outcome_unknown = error.outcome_unknown();
    match error {
        Error::Validation(v) => json!({
            "class": "ValidationError",
            "code": "validation_error",
            "message": message,
            "errors": v.violations.iter().map(|v| json!({
                "path": v.path.as_str(), "rule": v.rule.code(), "message": v.message,
            })).collect::<Vec<_>>(),
        }),
        Error::Query { problems, .. } => json!({
            "class": "ValidationError",
            "code": "invalid_query",
            "message": message,
            "errors": problems.iter().map(|p| json!({
                "path": p.param, "rule": p.code, "message": p.message,
            })).collect::<Vec<_>>(),
        }),
        Error::Api(api) => json!({
            "class": api.kind.class_name(),
            "code": api.code.as_deref().unwrap_or(api.kind.code()),
            "message": message,
            "status": api.status,
            "body": api.body,
            "requestId": api.request_id,
            "retryAfter": api.retry_after.map(|d| d.as_secs_f64()),
            "errors": api.errors.iter().map(|e| json!({
                "path": e.field, "rule": e.code, "message": e.message,
            })).collect::<Vec<_>>(),
        }),
        Error::Timeout { .. } => json!({
            "class": "APITimeoutError",
            "code": "timeout",
            "message": message,
            "outcomeUnknown": outcome_unknown,
        }),
        Error::Connection { .. } => json!({
            "class": "APIConnectionError",
            "code": "connection_error",
            "message": message,
            "outcomeUnknown": outcome_unknown,
        }),
        Error::Bulk(report) => json!({
            "class": "BulkWriteError",
            "code": "bulk_write_incomplete",
            "message": message,
            "written": [report.written.start, report.written.end],
            "failed": [report.failed.start, report.failed.end],
            "notAttempted": [report.not_attempted.start, report.not_attempted.end],
            "rows": report.written_rows,
            "cause": describe(report.cause),
        }),
        Error::Config(_) => {
            json!({"class": "PigelloError", "code": "configuration", "message": message})
        }
        _ => json!({"class": "PigelloError", "code": "pigello_error", "message": message}),
    }
}
