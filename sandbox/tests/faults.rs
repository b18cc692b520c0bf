//! Each fault kind, injected over the control endpoint and from Rust.

mod support;

use std::time::{Duration, Instant};

use pigello_sandbox::{FaultAction, FaultSpec};
use reqwest::{Method, StatusCode};
use support::*;

#[tokio::test]
async fn a_status_fault_answers_with_retry_after_then_runs_out() {
    let env = start(3).await;
    let rule = json!({"method": "GET", "path": "/accounts/*/tenant/list/",
                      "action": {"kind": "status", "status": 429, "retry_after": 3}, "count": 2});
    let added = env.control(Method::POST, "faults", Some(rule)).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    for _ in 0..2 {
        let a = env.get(&path("Tenant", "list")).await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(a.headers["retry-after"], "3");
        assert_eq!(a.json["code"], "rate_limited");
    }
    assert_eq!(
        env.get(&path("Tenant", "list")).await.status,
        StatusCode::OK
    );
    // Other methods and paths were never hit.
    let listed = env.control(Method::GET, "faults", None).await;
    assert_eq!(listed.json[0]["hits"], 2);
    assert_eq!(
        env.get(&path("Subtenant", "list")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let env = start(3).await;
    env.sandbox
        .inject_fault(FaultSpec::new(
            None,
            "/accounts/*",
            FaultAction::Latency { ms: 300 },
        ))
        .expect("a valid rule");
    let started = Instant::now();
    let a = env.get(&path("Tenant", "list")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
    // The control endpoints are never delayed or failed.
    assert_eq!(
        env.control(Method::GET, "", None).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn drop_closes_the_connection_and_writes_nothing() {
    let env = start(3).await;
    env.sandbox
        .inject_fault(FaultSpec::new(Some("POST"), "*", FaultAction::Drop).times(1))
        .expect("a valid rule");
    let before = env.all("Tenant").await.len();
    let sent = create_tenant(&env, "Tappad").await;
    assert!(sent.is_err(), "no answer: {sent:?}");
    assert_eq!(env.all("Tenant").await.len(), before);
}

#[tokio::test]
async fn drop_after_write_stores_the_write_and_then_closes() {
    let env = start(3).await;
    env.sandbox
        .inject_fault(
            FaultSpec::new(Some("POST"), "*/tenant/", FaultAction::DropAfterWrite).times(1),
        )
        .expect("a valid rule");
    let before = env.all("Tenant").await.len();
    let sent = create_tenant(&env, "Dubbel").await;
    assert!(sent.is_err(), "no answer: {sent:?}");
    let after = env.all("Tenant").await;
    assert_eq!(after.len(), before + 1, "the write was stored");
    assert!(after.iter().any(|t| t["first_name"] == "Dubbel"));
}

#[tokio::test]
async fn a_seeded_probability_is_reproducible() {
    let outcomes = |seed: u64| async move {
        let env = start(1).await;
        let rule = json!({"path": "*", "action": {"kind": "status", "status": 503},
                          "probability": 0.3, "seed": seed});
        env.control(Method::POST, "faults", Some(rule)).await;
        let mut out = Vec::new();
        for _ in 0..40 {
            out.push(
                env.get(&path("Workengagement", "list"))
                    .await
                    .status
                    .as_u16(),
            );
        }
        out
    };
    let first = outcomes(11).await;
    assert_eq!(first, outcomes(11).await);
    let failed = first.iter().filter(|s| **s == 503).count();
    assert!((1..40).contains(&failed), "{failed} of 40 failed");
}

#[tokio::test]
async fn bad_rules_are_refused_and_rules_can_be_cleared() {
    let env = start(1).await;
    for rule in [
        json!({"action": {"kind": "status", "status": 200}}),
        json!({"action": {"kind": "explode"}}),
        json!({"action": {"kind": "drop"}, "probability": 2}),
        json!({"action": {"kind": "drop"}, "surprise": true}),
    ] {
        let a = env
            .control(Method::POST, "faults", Some(rule.clone()))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{rule}");
        assert_eq!(a.json["code"], "invalid_fault");
    }
    env.control(
        Method::POST,
        "faults",
        Some(json!({"action": {"kind": "status", "status": 500}})),
    )
    .await;
    assert_eq!(
        env.get(&path("Tenant", "list")).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        env.control(Method::DELETE, "faults", None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        env.get(&path("Tenant", "list")).await.status,
        StatusCode::OK
    );
}

/// Creates a tenant and returns what the connection gave: an answer or an error.
async fn create_tenant(env: &Env, first_name: &str) -> reqwest::Result<reqwest::Response> {
    env.http
        .post(format!("{}{}", env.url, path("Tenant", "collection")))
        .headers(headers(env))
        .json(&json!({ "first_name": first_name }))
        .send()
        .await
}

fn headers(env: &Env) -> reqwest::header::HeaderMap {
    env.credentials()
        .headers()
        .map(|(h, v)| {
            (
                h.parse().expect("a header name"),
                v.parse().expect("a header value"),
            )
        })
        .collect()
}
