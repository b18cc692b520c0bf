//! What a call shows in the application's OpenTelemetry traces and metrics,
//! after the stable HTTP client conventions (`docs/http/http-spans.md` and
//! `docs/http/http-metrics.md` of open-telemetry/semantic-conventions), so
//! that dashboards made for any HTTP client work for this one.
//!
//! The core decides everything: each span's name, kind, attributes, status and
//! `error.type` ([`attempt`]), each operation's span ([`operation`]) and each
//! point of the `http.client.request.duration` histogram. A binding only hands
//! them to its language's OpenTelemetry API through [`Telemetry`], so the
//! packages cannot disagree. For Rust, the same spans are `tracing` spans whose
//! fields carry the conventions' names (`otel.kind = "client"`), which
//! `tracing-opentelemetry` exports as they are.
//!
//! Nothing here ever holds a credential or a personal value: a span's name has
//! the path's template (`{pk}`, never an id), and `url.full` has the query
//! redacted as the log lines redact it.

pub mod attempt;
pub mod operation;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

pub use attempt::{AttemptEnd, AttemptStart, DURATION_METRIC, DURATION_UNIT, ErrorType};
pub use operation::{Operation, OperationEnd};

/// An attribute's value: the conventions use text and integers only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Int(i64),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(text) => f.write_str(text),
            Value::Int(n) => write!(f, "{n}"),
        }
    }
}

/// A span's or a metric point's attributes, by their conventional names, in
/// the order the conventions list them.
pub type Attributes = Vec<(&'static str, Value)>;

/// A span's kind, as OpenTelemetry names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// A request sent to the API.
    Client,
    /// An operation of several requests.
    Internal,
}

/// A span's status: unset, or an error (the conventions leave a success's
/// status unset; `Ok` is for applications).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Unset,
    Error,
}

/// The headers an application's propagator wrote for one attempt's span
/// (`traceparent`, `tracestate`), sent with that attempt.
pub type Propagated = Vec<(String, String)>;

/// A future a binding answers with, which may wait for its language's thread.
pub type Pending<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Where a call's telemetry goes: a binding's bridge to its language's
/// OpenTelemetry API, made where the call was made, so that the spans it
/// starts are children of the span active there.
pub trait Telemetry: Send + Sync + 'static {
    /// An attempt is about to be sent: starts its CLIENT span and answers
    /// the headers the application's propagator writes for it (none when
    /// nothing records).
    fn start_attempt(&self, start: AttemptStart) -> Pending<Box<dyn AttemptSpan>>;
}

/// One attempt's span, started.
pub trait AttemptSpan: Send {
    /// The headers to send with the attempt (its trace context).
    fn propagated(&self) -> Propagated;

    /// Ends the span, and records the attempt's duration; the call goes on
    /// once it has, so that a span has ended when its call's answer is seen.
    fn end(self: Box<Self>, end: AttemptEnd) -> Pending<()>;
}

/// A call's telemetry, shared by the clients made for it.
#[derive(Clone)]
pub struct CallTelemetry(pub Arc<dyn Telemetry>);

impl fmt::Debug for CallTelemetry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CallTelemetry")
    }
}

/// The environment variable that turns telemetry off in every package.
pub const ENV: &str = "PIGELLO_TELEMETRY";

/// Whether [`ENV`] turns telemetry off: `off`, `false` or `0`, in any case.
/// Read as each call is made, so a process can change it as it runs.
pub fn off_by_env() -> bool {
    std::env::var(ENV).is_ok_and(|value| {
        ["off", "false", "0"]
            .iter()
            .any(|off| value.trim().eq_ignore_ascii_case(off))
    })
}

/// Nanoseconds since the Unix epoch, as OpenTelemetry takes a span's start
/// and end.
pub fn unix_nanos(at: SystemTime) -> u64 {
    at.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}
