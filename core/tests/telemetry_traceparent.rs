//! The `opentelemetry` feature: with `tracing-opentelemetry` mapping the
//! process's `tracing` spans, each attempt sends the W3C `traceparent` of its
//! own `pigello.attempt` span, which is exported, in the caller's trace; with
//! no propagator registered, nothing is sent. A test binary of its own, since
//! it sets the process's subscriber and propagator.

mod sandbox;

use std::sync::{Arc, Mutex, PoisonError};

use opentelemetry::trace::{TraceContextExt, TracerProvider as _};
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
use pigello::prelude::*;
use sandbox::*;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The spans the provider exported.
#[derive(Clone, Debug, Default)]
struct Exported(Arc<Mutex<Vec<SpanData>>>);

impl SpanExporter for Exported {
    fn export(&self, batch: Vec<SpanData>) -> impl std::future::Future<Output = OTelSdkResult> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(batch);
        std::future::ready(Ok(()))
    }
}

/// The `traceparent` each request the sandbox saw carried.
fn traceparents(sandbox: &pigello_sandbox::Sandbox) -> Vec<Option<String>> {
    let seen = sandbox.requests();
    seen.iter()
        .map(|request| request.headers.get("traceparent").cloned())
        .collect()
}

#[test]
fn each_attempt_sends_the_traceparent_of_its_exported_span() {
    use tracing_subscriber::prelude::*;

    let exported = Exported::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exported.clone())
        .build();
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("the application"));
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
        .expect("the only subscriber");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let all = Query::new(&pigello::resources::TENANT)
        .build()
        .expect("a query");

    let (sandbox, client) = runtime.block_on(start(3));
    // No propagator registered yet: the spans are recorded, nothing is sent.
    runtime
        .block_on(client.tenants().list(&all))
        .expect("a page");
    assert_eq!(traceparents(&sandbox), [None]);
    sandbox.clear_requests();

    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    let job = tracing::info_span!("nightly job");
    let trace_id = job.context().span().span_context().trace_id();
    sandbox
        .inject_fault(one_503("/accounts/users/customer/tenant/list/"))
        .expect("a fault");
    runtime.block_on(async {
        let _entered = job.enter();
        client.tenants().list(&all).await.expect("a page");
    });
    drop(job);

    let sent = traceparents(&sandbox);
    assert_eq!(sent.len(), 2, "the 503 and its retry");
    let spans = exported.0.lock().unwrap_or_else(PoisonError::into_inner);
    for header in &sent {
        let header = header.as_deref().expect("a traceparent on every attempt");
        let parts: Vec<&str> = header.split('-').collect();
        assert_eq!(parts[1], format!("{trace_id:032x}"), "the caller's trace");
        let span = spans
            .iter()
            .find(|span| format!("{:016x}", span.span_context.span_id()) == parts[2])
            .expect("the header names an exported span");
        assert_eq!(span.name, "GET /accounts/users/customer/tenant/list/");
        assert_eq!(span.span_kind, opentelemetry::trace::SpanKind::Client);
    }
    assert_ne!(sent[0], sent[1], "each attempt is a span of its own");
}
