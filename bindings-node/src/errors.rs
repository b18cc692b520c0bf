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

/// The core's description of an error (class, code, issues) with the fields
/// of its kind, camelCase.
fn describe(error: Error) -> Value {
    let mut out = json!({
        "class": error.class_name(),
        "code": error.code(),
        "outcomeUnknown": error.outcome_unknown(),
        "message": error.to_string(),
        "errors": error.issues().into_iter().map(|i| json!({
            "path": i.path, "rule": i.rule, "message": i.message,
        })).collect::<Vec<_>>(),
    });
    let extra = match &error {
        Error::Api(api) => json!({
            "status": api.status,
            "body": api.body,
            "requestId": api.request_id,
            "retryAfter": api.retry_after.map(|d| d.as_secs_f64()),
        }),
        Error::Bulk(report) => json!({
            "written": [report.written.start, report.written.end],
            "failed": [report.failed.start, report.failed.end],
            "notAttempted": [report.not_attempted.start, report.not_attempted.end],
            "rows": report.written_rows,
        }),
        _ => json!({}),
    };
    if let (Some(out), Value::Object(extra)) = (out.as_object_mut(), extra) {
        out.extend(extra);
    }
    if let Error::Bulk(report) = error {
        out["cause"] = describe(report.cause);
    }
    out
}
