//! The options of a call, a list, a client or a sandbox as the addon
//! receives them from JavaScript: one JSON object of the options the method
//! was given, keyed as Node spells them (`options.js` has checked each
//! against the core's option table), read by the core
//! ([`GivenOptions`]); and the handles JavaScript keeps for what JSON cannot
//! carry (an `AbortSignal`, a logger, a call's recorder).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::{Map, Value};

use pigello::Spelling;
use pigello::client::{GivenOptions, OptionError, RequestOptions};
use pigello::description::Taker;

use crate::errors::{invalid_argument, to_napi};
use crate::json::parse_optional;

/// What a method of the addon is sent with.
#[napi(object)]
pub struct SendOptions {
    /// The options the method was given, as JSON text of an object keyed as
    /// Node spells them; what JSON cannot carry stays in JavaScript.
    pub options: Option<String>,
    /// A cancel id (`newCancel()`) the call's `signal` cancels.
    pub cancel: Option<u32>,
    /// A recorder id (`newRecorder()`) that keeps the call's answer.
    pub record: Option<u32>,
    /// A client's log tag (`newLogTag()`), for its `logger` and `logLevel`.
    pub log_tag: Option<u32>,
    /// A telemetry bridge (`telemetry.js`), made where the call was made,
    /// when the application's OpenTelemetry records.
    pub telemetry: Option<u32>,
}

/// The options given, as the JSON object JavaScript sent.
pub fn given_object(options: Option<&str>) -> Result<Map<String, Value>> {
    let given: Option<Map<String, Value>> = parse_optional(options, "the options")?;
    Ok(given.unwrap_or_default())
}

/// The core's refusal as an error of the package (`options.js` has refused
/// a wrong name or type already, as a `TypeError`).
pub fn option_error(error: OptionError) -> napi::Error {
    match error {
        OptionError::Type(message) => invalid_argument(message),
        OptionError::Refused(error) => to_napi(error),
    }
}

impl SendOptions {
    /// The options `taker` was sent with, read by the core, with the handles
    /// JavaScript keeps (cancel, recorder, log tag, telemetry bridge) in its
    /// request options.
    pub fn read(send: Option<SendOptions>, taker: Taker) -> Result<GivenOptions> {
        let Some(send) = send else {
            return GivenOptions::read(taker, Spelling::Camel, []).map_err(option_error);
        };
        let given = given_object(send.options.as_deref())?;
        let mut read = GivenOptions::read(taker, Spelling::Camel, given).map_err(option_error)?;
        read.request = send.handles(read.request);
        Ok(read)
    }

    /// `request` with the handles JavaScript keeps.
    pub fn handles(&self, request: RequestOptions) -> RequestOptions {
        let request = match self.log_tag {
            Some(tag) => request.log_tag(tag.into()),
            None => request,
        };
        let request = match self.cancel.and_then(crate::call_handles::cancel_token) {
            Some(token) => request.cancel(token),
            None => request,
        };
        let request = match self.record.and_then(crate::call_handles::recorder) {
            Some(recorder) => request.record(recorder),
            None => request,
        };
        match self.telemetry.and_then(crate::telemetry::for_bridge) {
            Some(telemetry) => request.telemetry(telemetry),
            None => request,
        }
    }
}
