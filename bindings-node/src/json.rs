//! JSON values arrive as text. `index.js` checks a value (`json.js`: plain
//! JSON, not too deep, no lone surrogate) and stringifies it, and the addon
//! parses it here. napi's own conversion of a JavaScript value caps how many
//! values it reads and how deep, and fails with its own untyped errors; V8's
//! `JSON.stringify` has no such limits and is faster.

use napi::Result;
use serde::de::DeserializeOwned;

use crate::errors::invalid_argument;

/// The value `text` holds; `what` names the argument in an error (which never
/// shows the text: it may hold personal data).
pub fn parse<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        invalid_argument(format!(
            "{what} is not the JSON expected (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

/// [`parse`] of an optional argument.
pub fn parse_optional<T: DeserializeOwned>(text: Option<&str>, what: &str) -> Result<Option<T>> {
    text.map(|t| parse(t, what)).transpose()
}
