//! The core's errors, carried to JavaScript. A native error's message is a
//! marker and a JSON description; `errors.js` turns it into an instance of the
//! matching class (`NotFoundError`, `ValidationError`, ...), so every field
//! crosses intact and the classes live in one place.

use serde_json::{Value, json};

use pigello::{Error, Spelling};

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
    pigello_error("internal_error", Error::internal_message(&what))
}

/// The error for a core error.
pub fn to_napi(error: Error) -> napi::Error {
    native(camel_case(error.describe()))
}

/// The core's description of an error with its keys in camelCase, as
/// JavaScript names them (`outcomeUnknown`, `requestId`, the cause's too).
fn camel_case(description: Value) -> Value {
    match description {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(key, value)| {
                    let value = if key == "cause" {
                        camel_case(value)
                    } else {
                        value
                    };
                    (Spelling::Camel.option(&key), value)
                })
                .collect(),
        ),
        other => other,
    }
}
