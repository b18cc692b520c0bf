//! Reading an answer's body, beside the transport that received it: the whole
//! body as bytes, decoded JSON, and the excerpt a decode error shows.

use bytes::Bytes;

use super::api_error::Outcome;
use super::transport::{Call, method_name};
use crate::{Error, Result};

/// Reads an answer's JSON body; a body that is not JSON is a decode error with
/// a short excerpt.
pub(crate) async fn decode_body<T: serde::de::DeserializeOwned>(
    model: &'static str,
    call: &Call,
    answer: reqwest::Response,
) -> Result<T> {
    let bytes = read_body(call, answer).await?;
    crate::decode(model, &bytes).map_err(|e| with_excerpt(e, &bytes))
}

/// An answer's whole body (`null` for an empty one).
pub(crate) async fn read_body(call: &Call, answer: reqwest::Response) -> Result<Bytes> {
    let bytes = answer.bytes().await.map_err(|e| Error::Connection {
        method: method_name(&call.method),
        path: call.path.clone(),
        outcome: Outcome::Unknown,
        message: super::transport::connection_message(
            Outcome::Unknown,
            &format!("the answer's body was cut off ({})", e.without_url()),
        ),
        attempts: 1,
    })?;
    Ok(if bytes.is_empty() {
        Bytes::from_static(b"null")
    } else {
        bytes
    })
}

/// A decode error with the start of the body it failed on.
pub(crate) fn with_excerpt(error: Error, bytes: &[u8]) -> Error {
    match error {
        Error::Decode {
            model,
            path,
            message,
        } => Error::Decode {
            model,
            path,
            message: format!(
                "{message}; the body starts with {:?}",
                crate::redact::personal_data(&excerpt(bytes))
            ),
        },
        other => other,
    }
}

/// The first characters of a body, for an error message.
fn excerpt(bytes: &[u8]) -> String {
    const SHOWN: usize = 60;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(SHOWN * 4)]);
    let mut shown: String = text.chars().take(SHOWN).collect();
    if text.chars().count() > SHOWN || bytes.len() > SHOWN * 4 {
        shown.push('…');
    }
    shown
}
