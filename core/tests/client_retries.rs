//! Retries: what is retried, how long it waits, and that no write is ever sent
//! twice, each checked against the sandbox's fault injection.

mod sandbox;

use std::time::{Duration, Instant};

use pigello::client::{ApiErrorKind, Outcome};
use pigello::prelude::*;
use sandbox::*;

const TENANT_LIST: &str = "/accounts/users/customer/tenant/list/";
const TENANTS: &str = "/accounts/users/customer/tenant/";

fn status(status: u16, retry_after: Option<u32>) -> FaultAction {
    FaultAction::Status {
        status,
        retry_after,
    }
}

fn all() -> pigello::query::ListQuery {
    Query::new(&pigello::resources::TENANT)
        .build()
        .expect("a query")
}

#[tokio::test]
async fn a_get_is_retried_on_each_retryable_status_until_it_succeeds() {
    for code in [408, 429, 502, 503, 504] {
        let (sandbox, client) = start(3).await;
        sandbox
            .inject_fault(FaultSpec::new(Some("GET"), TENANT_LIST, status(code, None)).times(2))
            .expect("rule");
        let page = client
            .tenants()
            .list(&all())
            .await
            .expect("the third attempt succeeds");
        assert_eq!(page.rows.len(), 3);
        assert_eq!(sandbox.fault_hits(), vec![2], "{code}");
    }
}

#[tokio::test]
async fn retries_stop_after_max_retries_and_the_error_says_how_many() {
    let (sandbox, client) = start(3).await;
    sandbox
        .inject_fault(FaultSpec::new(None, "*", status(503, None)))
        .expect("rule");
    let e = client.tenants().list(&all()).await.expect_err("always 503");
    let api = e.api().expect("an API error");
    assert_eq!(
        (api.status, api.kind, api.attempts),
        (503, ApiErrorKind::Server, 3)
    );
    assert_eq!(sandbox.fault_hits(), vec![3]);
    let once = client
        .with_max_retries(0)
        .tenants()
        .list(&all())
        .await
        .expect_err("503");
    assert_eq!(once.api().map(|a| a.attempts), Some(1));
    // 500 means the server failed while handling the call: never retried.
    sandbox.clear_faults();
    sandbox
        .inject_fault(FaultSpec::new(None, "*", status(500, None)))
        .expect("rule");
    client.tenants().list(&all()).await.expect_err("500");
    assert_eq!(sandbox.fault_hits(), vec![1]);
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_long_one_is_handed_to_the_caller() {
    let (sandbox, client) = start(3).await;
    sandbox
        .inject_fault(FaultSpec::new(Some("GET"), TENANT_LIST, status(429, Some(1))).times(1))
        .expect("rule");
    let started = Instant::now();
    client
        .tenants()
        .list(&all())
        .await
        .expect("succeeds after waiting");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );

    sandbox.clear_faults();
    sandbox
        .inject_fault(FaultSpec::new(
            Some("GET"),
            TENANT_LIST,
            status(429, Some(3600)),
        ))
        .expect("rule");
    let e = client
        .tenants()
        .list(&all())
        .await
        .expect_err("an hour is too long to wait");
    let api = e.api().expect("an API error");
    assert_eq!(
        (api.kind, api.retry_after),
        (ApiErrorKind::RateLimited, Some(Duration::from_secs(3600)))
    );
    assert_eq!(sandbox.fault_hits(), vec![1], "not retried");
    assert!(e.to_string().contains("retry after 3600s"), "{e}");
}

#[tokio::test]
async fn a_create_is_never_retried_once_it_may_have_reached_the_server() {
    let (sandbox, client) = start(3).await;
    // The write is stored, then the connection drops: the outcome is unknown.
    sandbox
        .inject_fault(FaultSpec::new(Some("POST"), TENANTS, FaultAction::DropAfterWrite).times(1))
        .expect("rule");
    let e = client
        .tenants()
        .create(&TenantCreate::new().first_name("En"))
        .await
        .expect_err("no answer");
    assert!(e.outcome_unknown(), "{e:?}");
    assert!(matches!(
        e,
        Error::Connection {
            outcome: Outcome::Unknown,
            method: "POST",
            ..
        }
    ));
    assert!(e.to_string().contains("outcome unknown"), "{e}");
    let named_en = stored(&sandbox, "Tenant")
        .iter()
        .filter(|t| t["first_name"] == "En")
        .count();
    assert_eq!(named_en, 1, "written exactly once, never twice");

    // A status answer means the server decided; a create is not retried on it.
    sandbox.clear_faults();
    sandbox
        .inject_fault(FaultSpec::new(Some("POST"), TENANTS, status(503, None)).times(1))
        .expect("rule");
    let e = client
        .tenants()
        .create(&TenantCreate::new().first_name("Två"))
        .await
        .expect_err("503");
    assert_eq!(e.api().map(|a| a.attempts), Some(1));
    assert_eq!(sandbox.fault_hits(), vec![1]);

    // Dropped before handling: nothing written, but the client cannot know that.
    sandbox.clear_faults();
    sandbox
        .inject_fault(FaultSpec::new(Some("POST"), TENANTS, FaultAction::Drop).times(1))
        .expect("rule");
    let e = client
        .tenants()
        .create(&TenantCreate::new().first_name("Tre"))
        .await
        .expect_err("dropped");
    assert!(e.outcome_unknown());
    assert!(
        stored(&sandbox, "Tenant")
            .iter()
            .all(|t| t["first_name"] != "Tre")
    );
}

#[tokio::test]
async fn a_create_is_retried_when_the_connection_was_never_made() {
    // Nothing listens on this port: the request provably never arrived.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        listener.local_addr().expect("addr").port()
    };
    let (sandbox, _) = start(1).await;
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .credentials(sandbox.credentials())
        .retry_policy(pigello::client::RetryPolicy {
            initial_delay: Duration::from_millis(30),
            ..Default::default()
        })
        .build()
        .expect("client");
    let started = Instant::now();
    let e = client
        .tenants()
        .create(&TenantCreate::new().first_name("X"))
        .await
        .expect_err("refused");
    assert!(
        matches!(
            e,
            Error::Connection {
                outcome: Outcome::NotSent,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(!e.outcome_unknown());
    assert!(e.to_string().contains("before the request was sent"), "{e}");
    // Two retries with backoff of about 30 ms and 60 ms (less up to a quarter).
    assert!(
        started.elapsed() >= Duration::from_millis(65),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn patch_and_delete_are_retried_after_a_lost_answer() {
    let (sandbox, client) = start(3).await;
    let tenant = client
        .tenants()
        .create(&TenantCreate::new().first_name("Ett"))
        .await
        .expect("create");
    let single = format!("{TENANTS}{}/", tenant.id);
    sandbox
        .inject_fault(FaultSpec::new(Some("PATCH"), &single, FaultAction::DropAfterWrite).times(1))
        .expect("rule");
    let updated = client
        .tenants()
        .update(tenant.id, &TenantPatch::new().last_name("Berg"))
        .await
        .expect("retried");
    assert_eq!(updated.last_name.as_deref(), Some("Berg"));

    // The first DELETE is applied but its answer lost; the retry finds nothing,
    // which means the delete happened.
    sandbox
        .inject_fault(FaultSpec::new(Some("DELETE"), &single, FaultAction::DropAfterWrite).times(1))
        .expect("rule");
    client
        .tenants()
        .delete(tenant.id)
        .await
        .expect("counts as deleted");
    assert_eq!(sandbox.fault_hits(), vec![1, 1]);
    // Without a lost attempt, a 404 stays an error.
    let e = client
        .tenants()
        .delete(tenant.id)
        .await
        .expect_err("already gone");
    assert_eq!(e.api().map(|a| a.kind), Some(ApiErrorKind::NotFound));
}

#[tokio::test]
async fn a_write_whose_earlier_attempt_was_lost_is_reported_with_an_unknown_outcome() {
    let (sandbox, client) = start(3).await;
    let tenant = client
        .tenants()
        .create(&TenantCreate::new().first_name("Ett"))
        .await
        .expect("create");
    let single = format!("{TENANTS}{}/", tenant.id);
    // The first PATCH is applied and its answer lost; every retry gets a 503.
    let lost = sandbox
        .inject_fault(FaultSpec::new(Some("PATCH"), &single, FaultAction::DropAfterWrite).times(1))
        .expect("rule");
    let unavailable = sandbox
        .inject_fault(FaultSpec::new(Some("PATCH"), &single, status(503, None)))
        .expect("rule");
    let e = client
        .tenants()
        .update(tenant.id, &TenantPatch::new().last_name("Berg"))
        .await
        .expect_err("503 after a lost answer");
    let hits = sandbox.fault_hits();
    assert_eq!((hits[lost as usize], hits[unavailable as usize]), (1, 2));
    let api = e.api().expect("an API error");
    assert_eq!((api.status, api.outcome), (503, Some(Outcome::Unknown)));
    assert!(e.outcome_unknown());
    assert!(e.to_string().contains("outcome unknown"), "{e}");
    // The write is in place although the last answer was an error.
    sandbox.clear_faults();
    let stored = client.tenants().get(tenant.id).await.expect("get");
    assert_eq!(stored.last_name.as_deref(), Some("Berg"));

    // A 503 with no lost attempt before it says nothing of the kind.
    sandbox
        .inject_fault(FaultSpec::new(Some("PATCH"), &single, status(503, None)))
        .expect("rule");
    let plain = client
        .tenants()
        .update(tenant.id, &TenantPatch::new().last_name("Ek"))
        .await
        .expect_err("503");
    assert_eq!(plain.api().map(|a| a.outcome), Some(None));
    assert!(!plain.outcome_unknown());
}

#[tokio::test]
async fn a_timeout_is_retried_for_a_get_and_reported_for_a_create() {
    let (sandbox, client) = start(3).await;
    let client = client.with_timeout(Duration::from_millis(300));
    sandbox
        .inject_fault(
            FaultSpec::new(Some("GET"), TENANT_LIST, FaultAction::Latency { ms: 1500 }).times(1),
        )
        .expect("rule");
    assert_eq!(
        client
            .tenants()
            .list(&all())
            .await
            .expect("the retry answers")
            .rows
            .len(),
        3
    );

    sandbox
        .inject_fault(
            FaultSpec::new(Some("POST"), TENANTS, FaultAction::Latency { ms: 1500 }).times(1),
        )
        .expect("rule");
    let e = client
        .tenants()
        .create(&TenantCreate::new().first_name("Sen"))
        .await
        .expect_err("timed out");
    assert!(
        matches!(
            e,
            Error::Timeout {
                outcome: Outcome::Unknown,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("no answer within 300ms"), "{e}");
    assert!(e.outcome_unknown());
}

#[tokio::test]
async fn a_read_that_runs_out_of_attempts_says_how_many_and_never_outcome_unknown() {
    let (sandbox, client) = start(3).await;
    let client = client.with_timeout(Duration::from_millis(100));
    sandbox
        .inject_fault(
            FaultSpec::new(Some("GET"), TENANT_LIST, FaultAction::Latency { ms: 600 }).times(3),
        )
        .expect("rule");
    let e = client.tenants().list(&all()).await.expect_err("timed out");
    let text = e.to_string();
    assert!(
        text.contains("no answer within 100ms (after 3 attempts)"),
        "{text}"
    );
    assert!(
        !text.contains("outcome unknown") && !e.outcome_unknown(),
        "{text}"
    );
    assert!(matches!(e, Error::Timeout { attempts: 3, .. }), "{e:?}");
}

#[tokio::test]
async fn a_url_too_long_is_refused_before_anything_is_sent() {
    let (sandbox, client) = start(3).await;
    sandbox.inject_fault(counter("GET", "*")).expect("rule");
    let long = "x".repeat(70_000);
    let query = client
        .tenants()
        .query()
        .filter("first_name", long.as_str())
        .build()
        .expect("a valid filter");
    let e = client.tenants().list(&query).await.expect_err("refused");
    assert_eq!(
        (e.class_name(), e.code()),
        ("PigelloError", "invalid_request"),
        "{e}"
    );
    assert!(e.to_string().contains("nothing was sent"), "{e}");
    assert!(!e.outcome_unknown());
    assert_eq!(
        sandbox.fault_hits(),
        vec![0],
        "no request reached the sandbox"
    );
}
