//! The spans of a call's attempts ([`crate::telemetry`]): handed to the call's
//! telemetry (a binding's OpenTelemetry), and for Rust a `tracing` span
//! `pigello.attempt` per attempt, inside the call's `pigello.request`, whose
//! fields carry the conventions' names for `tracing-opentelemetry`.

use std::time::{Duration, SystemTime};

use tracing::field::Empty;

use crate::telemetry::attempt::Target;
use crate::telemetry::{
    AttemptEnd, AttemptSpan, AttemptStart, CallTelemetry, ErrorType, Propagated, Status, Value,
};

/// What `url.full` shows of a query value that may be personal, as the
/// conventions write it.
const REDACTED: &str = "REDACTED";

/// The attempts of one call.
pub(crate) struct Attempts<'a> {
    telemetry: Option<&'a CallTelemetry>,
    call: CallTarget<'a>,
}

/// Where a call goes, as its spans show it.
pub(crate) struct CallTarget<'a> {
    pub method: &'static str,
    /// The path as the reference writes it (`{pk}` for an id).
    pub template: &'static str,
    /// The URL sent, and its encoded query (which the spans show redacted).
    pub url: &'a reqwest::Url,
    pub query: &'a str,
}

impl<'a> Attempts<'a> {
    pub fn new(telemetry: Option<&'a CallTelemetry>, call: CallTarget<'a>) -> Self {
        Attempts { telemetry, call }
    }

    /// Starts the spans of the `attempt`th attempt (from 1). Nothing is built
    /// when nothing records.
    pub async fn start(&self, attempt: u32) -> AttemptTrace {
        let span = tracing::info_span!(
            "pigello.attempt",
            otel.name = Empty,
            otel.kind = "client",
            otel.status_code = Empty,
            http.request.method = Empty,
            server.address = Empty,
            server.port = Empty,
            url.full = Empty,
            url.template = Empty,
            http.request.resend_count = Empty,
            http.response.status_code = Empty,
            error.type = Empty,
            pigello.request_id = Empty,
        );
        if span.is_disabled() && self.telemetry.is_none() {
            return AttemptTrace {
                span,
                started: None,
            };
        }
        let url_full = self.url_full();
        let target = Target {
            method: self.call.method,
            template: self.call.template,
            url_full: &url_full,
            server_address: self.call.url.host_str().unwrap_or_default(),
            server_port: self.call.url.port_or_known_default().unwrap_or_default(),
        };
        let start = AttemptStart::new(target, attempt, SystemTime::now());
        span.record("otel.name", start.name.as_str());
        record(&span, &start.attributes);
        let exported = match self.telemetry {
            Some(telemetry) => Some(telemetry.0.start_attempt(start.clone()).await),
            None => None,
        };
        AttemptTrace {
            span,
            started: Some((start, exported)),
        }
    }

    /// The URL sent, with every query value that may be personal redacted.
    fn url_full(&self) -> String {
        let mut url = self.call.url.clone();
        url.set_query(None);
        let mut full = url.to_string();
        if !self.call.query.is_empty() {
            full.push('?');
            full.push_str(&crate::redact::query_values(self.call.query, REDACTED));
        }
        full
    }
}

/// One attempt's spans, until it ends.
pub(crate) struct AttemptTrace {
    span: tracing::Span,
    started: Option<(AttemptStart, Option<Box<dyn AttemptSpan>>)>,
}

impl AttemptTrace {
    /// The `tracing` span the attempt runs in.
    pub fn span(&self) -> tracing::Span {
        self.span.clone()
    }

    /// The headers the application's propagator wrote for this attempt: a
    /// binding's (Python's or Node's OpenTelemetry), or, with the
    /// `opentelemetry` feature, those of the `tracing` span's context.
    pub fn propagated(&self) -> Propagated {
        match &self.started {
            Some((_, Some(exported))) => exported.propagated(),
            #[cfg(feature = "opentelemetry")]
            Some(_) => otel_context::propagated(&self.span),
            _ => Vec::new(),
        }
    }

    /// The attempt was answered with `status`; `request_id` reads the API's
    /// id of it, only when something records.
    pub async fn answered(
        mut self,
        status: u16,
        request_id: impl FnOnce() -> Option<String>,
        took: Duration,
    ) {
        if let Some((start, exported)) = self.started.take() {
            let end = AttemptEnd::answered(&start, status, request_id().as_deref(), took);
            if let Some(ending) = self.end(end, exported) {
                ending.await;
            }
        }
    }

    /// The attempt got no answer.
    pub async fn failed(mut self, error: ErrorType, took: Duration) {
        if let Some((start, exported)) = self.started.take() {
            let end = AttemptEnd::failed(&start, error, took);
            if let Some(ending) = self.end(end, exported) {
                ending.await;
            }
        }
    }

    /// Records the end on the `tracing` span, and ends the exported span:
    /// what is left to wait for, if anything.
    fn end(
        &self,
        end: AttemptEnd,
        exported: Option<Box<dyn AttemptSpan>>,
    ) -> Option<crate::telemetry::Pending<()>> {
        record(&self.span, &end.attributes);
        if end.status == Status::Error {
            self.span.record("otel.status_code", "error");
        }
        exported.map(|exported| exported.end(end))
    }
}

/// An attempt let go before it ended (its call's future dropped: a closed
/// event loop, Ctrl-C, a caller's own timeout around the call) still ends its
/// spans, as cancelled: a span left open would never be exported.
impl Drop for AttemptTrace {
    fn drop(&mut self) {
        let Some((start, exported)) = self.started.take() else {
            return;
        };
        let took = SystemTime::now()
            .duration_since(start.start)
            .unwrap_or_default();
        let end = AttemptEnd::failed(&start, ErrorType::Cancelled, took);
        if let Some(ending) = self.end(end, exported) {
            // A binding's end may wait for its language's thread: it runs on
            // without the call, when a runtime is there to run it.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(ending);
            }
        }
    }
}

/// Puts attributes on a `tracing` span, under the fields it declared.
fn record(span: &tracing::Span, attributes: &[(&'static str, Value)]) {
    for (name, value) in attributes {
        match value {
            Value::Text(text) => span.record(*name, text.as_str()),
            Value::Int(n) => span.record(*name, *n),
        };
    }
}

/// The trace context of a `tracing` span as `tracing-opentelemetry` maps it,
/// written by the propagator the application registered.
#[cfg(feature = "opentelemetry")]
mod otel_context {
    use opentelemetry::propagation::Injector;
    use tracing_opentelemetry::OpenTelemetrySpanExt;

    use crate::telemetry::Propagated;

    struct Headers<'a>(&'a mut Propagated);

    impl Injector for Headers<'_> {
        fn set(&mut self, key: &str, value: String) {
            self.0.push((key.to_owned(), value));
        }
    }

    /// The headers of `span`'s context: none without a propagator, or when
    /// no OpenTelemetry layer records the span (its context names no span).
    pub fn propagated(span: &tracing::Span) -> Propagated {
        let context = span.context();
        let mut headers = Vec::new();
        opentelemetry::global::get_text_map_propagator(|propagator| {
            propagator.inject_context(&context, &mut Headers(&mut headers));
        });
        headers
    }
}
