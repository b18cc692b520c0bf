//! The calls' spans and metric points in the application's OpenTelemetry
//! ([`pigello::telemetry`]). `telemetry.js` registers one function as the
//! package loads; a call made where OpenTelemetry records carries a bridge id
//! (`SendOptions::telemetry`), and the core's spans for that call go through
//! the function to that bridge, which holds the context the call was made in.
//! The core decides every name, attribute and status; this only carries them.

use std::sync::{Arc, OnceLock};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunction;
use napi_derive::napi;
use pigello::telemetry::{
    AttemptEnd, AttemptSpan, AttemptStart, CallTelemetry, DURATION_METRIC, DURATION_UNIT,
    ErrorType, Operation, OperationEnd, Pending, Propagated, Status as SpanStatus, Telemetry,
    Value, off_by_env, unix_nanos,
};
use serde_json::{Map, json};

/// The JavaScript function each event goes to: `(event, json) => answer`.
/// Weak, so a program whose work is done exits.
type ToJavaScript = ThreadsafeFunction<
    FnArgs<(String, String)>,
    String,
    FnArgs<(String, String)>,
    Status,
    false,
    true,
>;

static TO_JAVASCRIPT: OnceLock<ToJavaScript> = OnceLock::new();

/// Where the spans go from now on; called once, by `telemetry.js`, as it loads.
#[napi(ts_args_type = "callback: (event: 'start' | 'end', json: string) => string")]
pub fn telemetry_to(callback: ToJavaScript) {
    let _ = TO_JAVASCRIPT.set(callback);
}

/// Whether `PIGELLO_TELEMETRY` turns telemetry off (read by the core).
#[napi]
pub fn telemetry_off() -> bool {
    off_by_env()
}

/// The histogram each attempt adds a point to: `[name, unit]`.
#[napi]
pub fn duration_metric() -> Vec<&'static str> {
    vec![DURATION_METRIC, DURATION_UNIT]
}

/// An operation's span as it starts, for `telemetry.js`: `{ name, attributes }`.
pub fn operation_json(operation: &Operation) -> String {
    json!({
        "name": operation.name,
        "attributes": attributes(&operation.attributes),
    })
    .to_string()
}

/// How an operation ended, after `rows` rows (or items written) and `pages`
/// answered requests, in JSON (`{ attributes, error }`); `errorType` is the
/// `error.type` of what ended it (a failed request's, or `_OTHER`).
#[napi]
pub fn operation_end(rows: i64, pages: i64, error_type: Option<String>) -> String {
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let end = OperationEnd::new(
        count(rows),
        count(pages),
        error_type.as_deref().map(ErrorType::named),
    );
    json!({
        "attributes": attributes(&end.attributes),
        "error": end.status == SpanStatus::Error,
    })
    .to_string()
}

/// The telemetry of a call that carries bridge `id`.
pub fn for_bridge(id: u32) -> Option<CallTelemetry> {
    TO_JAVASCRIPT.get()?;
    Some(CallTelemetry(Arc::new(Bridge { id })))
}

struct Bridge {
    id: u32,
}

/// Sends an event to JavaScript and waits for its answer (none when
/// JavaScript failed: `telemetry.js` catches what OpenTelemetry throws, so
/// this is a failure of its own, and the call goes on without a span).
async fn ask(event: &str, body: serde_json::Value) -> Option<String> {
    let to_javascript = TO_JAVASCRIPT.get()?;
    let args = (event.to_owned(), body.to_string());
    to_javascript.call_async_catch(args.into()).await.ok()
}

impl Telemetry for Bridge {
    fn start_attempt(&self, start: AttemptStart) -> Pending<Box<dyn AttemptSpan>> {
        let body = json!({
            "bridge": self.id,
            "name": start.name,
            "attributes": attributes(&start.attributes),
            "start": hr_time(unix_nanos(start.start)),
        });
        Box::pin(async move {
            let answer = ask("start", body).await.unwrap_or_default();
            let started: Started = serde_json::from_str(&answer).unwrap_or_default();
            Box::new(started) as Box<dyn AttemptSpan>
        })
    }
}

/// What `telemetry.js` answered for a started span: the key it keeps it
/// under, and the headers of its trace context.
#[derive(Default, serde::Deserialize)]
struct Started {
    span: Option<u32>,
    #[serde(default)]
    headers: Propagated,
}

impl AttemptSpan for Started {
    fn propagated(&self) -> Propagated {
        self.headers.clone()
    }

    fn end(self: Box<Self>, end: AttemptEnd) -> Pending<()> {
        let body = json!({
            "span": self.span,
            "attributes": attributes(&end.attributes),
            "error": end.status == SpanStatus::Error,
            "end": hr_time(unix_nanos(end.end)),
            "duration": end.duration,
            "point": attributes(&end.metric_attributes),
        });
        Box::pin(async move {
            ask("end", body).await;
        })
    }
}

/// Attributes as the object OpenTelemetry's API takes.
fn attributes(attributes: &[(&'static str, Value)]) -> Map<String, serde_json::Value> {
    attributes
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Value::Text(text) => json!(text),
                Value::Int(n) => json!(n),
            };
            ((*name).to_owned(), value)
        })
        .collect()
}

/// A time as OpenTelemetry's `HrTime`, `[seconds, nanoseconds]`: nanoseconds
/// since 1970 do not fit a JavaScript number exactly.
fn hr_time(nanos: u64) -> [u64; 2] {
    [nanos / 1_000_000_000, nanos % 1_000_000_000]
}
