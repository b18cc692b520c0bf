//! The `tracing` span `pigello.attempt` of each attempt, as Rust's own
//! exporters (`tracing-opentelemetry`) read it: the conventions' field names.
//! A test binary of its own, since it sets the process's subscriber.

mod sandbox;

use std::sync::{Arc, Mutex, PoisonError};

use pigello::prelude::*;
use sandbox::*;

const TENANT_LIST: &str = "/accounts/users/customer/tenant/list/";

/// The fields each `pigello.attempt` span was given, as `tracing` layers
/// (`tracing-opentelemetry` among them) read them.
#[derive(Clone, Default)]
struct AttemptFields(Arc<Mutex<Vec<SpanFields>>>);

/// A span's fields, by name, in the order they were given.
type SpanFields = Vec<(String, String)>;

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl<S> tracing_subscriber::Layer<S> for AttemptFields
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if attrs.metadata().name() != "pigello.attempt" {
            return;
        }
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        let mut spans = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        spans.push(fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(spans.len() - 1);
        }
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let Some(span) = ctx.span(id) else { return };
        let Some(&index) = span.extensions().get::<usize>() else {
            return;
        };
        let mut spans = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        values.record(&mut Fields(&mut spans[index]));
    }
}

#[test]
fn each_attempt_is_a_tracing_span_with_the_conventions_field_names() {
    use tracing_subscriber::prelude::*;

    let kept = AttemptFields::default();
    let subscriber = tracing_subscriber::registry().with(kept.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    // The process's subscriber, set before any span is met: `tracing` caches
    // per callsite whether anyone wants it, which a subscriber set for one
    // thread while other tests run cannot be sure to change.
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    runtime.block_on(async {
        let (sandbox, client) = start(3).await;
        sandbox.inject_fault(one_503(TENANT_LIST)).expect("a fault");
        let all = Query::new(&pigello::resources::TENANT)
            .build()
            .expect("a query");
        client.tenants().list(&all).await.expect("a page");
    });
    let spans = kept
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let field = |span: &SpanFields, name: &str| {
        span.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(spans.len(), 2, "{spans:?}");
    for span in &spans {
        assert_eq!(field(span, "otel.kind").as_deref(), Some("client"));
        assert_eq!(
            field(span, "otel.name").as_deref(),
            Some("GET /accounts/users/customer/tenant/list/")
        );
        assert_eq!(field(span, "http.request.method").as_deref(), Some("GET"));
    }
    assert_eq!(
        field(&spans[0], "http.response.status_code").as_deref(),
        Some("503")
    );
    assert_eq!(field(&spans[0], "error.type").as_deref(), Some("503"));
    assert_eq!(
        field(&spans[0], "otel.status_code").as_deref(),
        Some("error")
    );
    assert_eq!(
        field(&spans[1], "http.request.resend_count").as_deref(),
        Some("1")
    );
    assert_eq!(
        field(&spans[1], "http.response.status_code").as_deref(),
        Some("200")
    );
    assert_eq!(field(&spans[1], "otel.status_code"), None);
}
