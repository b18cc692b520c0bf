//! Telemetry against the sandbox: each attempt's span as a binding's
//! OpenTelemetry receives it (name, attributes, status, `error.type`, the
//! metric point), the trace context it propagates reaching the server, and
//! the `tracing` span `pigello.attempt` Rust's own exporters read.

mod kept;
mod sandbox;

use std::sync::Arc;

use kept::{Kept, traceparent};
use pigello::client::RequestOptions;
use pigello::prelude::*;
use pigello::telemetry::{CallTelemetry, SpanKind, Status, Value};
use sandbox::*;

const TENANT_LIST: &str = "/accounts/users/customer/tenant/list/";

fn traced(client: &Client) -> (Client, Kept) {
    let kept = Kept::default();
    let options = RequestOptions::default().telemetry(CallTelemetry(Arc::new(kept.clone())));
    (client.with_options(&options), kept)
}

fn attribute<'a>(attributes: &'a [(&'static str, Value)], name: &str) -> Option<&'a Value> {
    attributes.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
}

fn text(value: &str) -> Value {
    Value::Text(value.to_owned())
}

#[tokio::test]
async fn a_get_is_one_client_span_named_by_its_template_whose_context_reaches_the_server() {
    let (sandbox, client) = start(3).await;
    let (client, kept) = traced(&client);
    let all = Query::new(&pigello::resources::TENANT)
        .build()
        .expect("a query");
    let id = client.tenants().list(&all).await.expect("a page").rows[0].id;
    sandbox.clear_requests();
    client.tenants().get(id).await.expect("the tenant");

    let attempts = kept.attempts();
    let (start, end) = attempts.last().expect("the get's span");
    assert_eq!(start.name, "GET /accounts/users/customer/tenant/{pk}/");
    assert_eq!(start.kind, SpanKind::Client);
    let url = reqwest_url(&sandbox);
    let expected_start = [
        ("http.request.method", text("GET")),
        ("server.address", text("127.0.0.1")),
        (
            "server.port",
            Value::Int(url.port().expect("a port").into()),
        ),
        (
            "url.full",
            text(&format!(
                "{}accounts/users/customer/tenant/{id}/",
                url.as_str()
            )),
        ),
        (
            "url.template",
            text("/accounts/users/customer/tenant/{pk}/"),
        ),
    ];
    assert_eq!(start.attributes, expected_start);
    let seen = sandbox.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        end.attributes,
        [
            ("http.response.status_code", Value::Int(200)),
            ("pigello.request_id", text(&seen[0].request_id)),
        ]
    );
    assert_eq!(end.status, Status::Unset);
    assert!(end.duration > 0.0 && end.end >= start.start);
    assert_eq!(
        seen[0].headers.get("traceparent"),
        Some(&traceparent(attempts.len()))
    );
}

fn reqwest_url(sandbox: &Sandbox) -> reqwest::Url {
    sandbox.url().parse().expect("the sandbox's URL")
}

#[tokio::test]
async fn a_retried_call_shows_each_attempt_and_a_404_is_an_error() {
    let (sandbox, client) = start(3).await;
    let (client, kept) = traced(&client);
    sandbox.inject_fault(one_503(TENANT_LIST)).expect("a fault");
    let all = Query::new(&pigello::resources::TENANT)
        .build()
        .expect("a query");
    client
        .tenants()
        .list(&all)
        .await
        .expect("the retry succeeds");
    let missing = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
        .parse()
        .expect("a uuid");
    client.tenants().get(missing).await.expect_err("a 404");

    let attempts = kept.attempts();
    let seen: Vec<(Option<&Value>, Option<&Value>, Status)> = attempts
        .iter()
        .map(|(start, end)| {
            (
                attribute(&start.attributes, "http.request.resend_count"),
                attribute(&end.attributes, "error.type"),
                end.status,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (None, Some(&text("503")), Status::Error),
            (Some(&Value::Int(1)), None, Status::Unset),
            (None, Some(&text("404")), Status::Error),
        ]
    );
    let (_, retried) = &attempts[0];
    assert_eq!(
        retried
            .metric_attributes
            .iter()
            .map(|(k, _)| *k)
            .collect::<Vec<_>>(),
        [
            "http.request.method",
            "server.address",
            "server.port",
            "http.response.status_code",
            "error.type"
        ]
    );
}

#[tokio::test]
async fn url_full_shows_flags_and_paging_and_redacts_every_other_value() {
    let (_sandbox, client) = start(3).await;
    let (client, kept) = traced(&client);
    let query = Query::new(&pigello::resources::TENANT)
        .filter("ssn__isnull", false)
        .filter("first_name", "19811218-9875")
        .build()
        .expect("a query");
    client.tenants().list(&query).await.expect("a page");
    let (start, _) = &kept.attempts()[0];
    let Some(Value::Text(url)) = attribute(&start.attributes, "url.full") else {
        panic!("no url.full");
    };
    assert!(url.contains("ssn__isnull=false"), "{url}");
    assert!(url.contains("first_name=REDACTED"), "{url}");
    assert!(!url.contains("19811218"), "{url}");
}

#[tokio::test]
async fn without_telemetry_no_trace_context_is_sent() {
    let (sandbox, client) = start(3).await;
    let all = Query::new(&pigello::resources::TENANT)
        .build()
        .expect("a query");
    client.tenants().list(&all).await.expect("a page");
    let seen = sandbox.requests();
    assert!(seen.iter().all(|r| !r.headers.contains_key("traceparent")));
}

#[tokio::test]
async fn an_attempt_let_go_mid_flight_still_ends_its_span_as_cancelled() {
    let (sandbox, client) = start(3).await;
    let (client, kept) = traced(&client);
    let slow = FaultSpec::new(Some("GET"), TENANT_LIST, FaultAction::Latency { ms: 5_000 });
    sandbox.inject_fault(slow.times(1)).expect("a fault");
    let all = Query::new(&pigello::resources::TENANT)
        .build()
        .expect("a query");
    // The caller's own timeout drops the call's future while it waits.
    let waited = tokio::time::timeout(
        std::time::Duration::from_millis(200),
        client.tenants().list(&all),
    )
    .await;
    assert!(waited.is_err(), "the call was still waiting");

    let attempts = kept.attempts();
    assert_eq!(attempts.len(), 1);
    let (_, end) = &attempts[0];
    assert_eq!(
        attribute(&end.attributes, "error.type"),
        Some(&text("cancelled"))
    );
    assert_eq!(end.status, Status::Unset, "a cancel is not an error");
}
