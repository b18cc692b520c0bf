//! Options per call and per derived client (timeout, retries, headers), and
//! closing: each checked against what the sandbox received.

mod sandbox;

use std::time::Duration;

use pigello::client::RequestOptions;
use pigello::prelude::*;
use sandbox::*;

const TENANT_LIST: &str = "/accounts/users/customer/tenant/list/";

fn all() -> pigello::query::ListQuery {
    Query::new(&pigello::resources::TENANT)
        .build()
        .expect("a query")
}

#[tokio::test]
async fn a_derived_client_has_its_own_timeout_and_retries_and_shares_the_pool() {
    let (sandbox, client) = start(2).await;
    sandbox
        .inject_fault(FaultSpec::new(
            Some("GET"),
            TENANT_LIST,
            FaultAction::Latency { ms: 400 },
        ))
        .expect("rule");
    let hasty = client.with_options(
        &RequestOptions::default()
            .timeout(Duration::from_millis(100))
            .max_retries(1),
    );
    let error = hasty.tenants().list(&all()).await.expect_err("too slow");
    match &error {
        Error::Timeout {
            after, attempts, ..
        } => assert_eq!((*after, *attempts), (Duration::from_millis(100), 2)),
        other => panic!("not a timeout: {other}"),
    }
    // The client it came from keeps its own settings.
    assert_eq!(client.timeout(), pigello::client::DEFAULT_TIMEOUT);
    let page = client.tenants().list(&all()).await.expect("patient enough");
    assert_eq!(page.rows.len(), 2);
    assert_eq!(sandbox.fault_hits(), vec![3]);
}

#[tokio::test]
async fn default_and_per_call_headers_are_sent_and_a_later_one_wins() {
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .expect("starts");
    let client = Client::builder()
        .base_url(sandbox.url())
        .credentials(sandbox.credentials())
        .default_header("X-App", "report-job")
        .default_header("X-Trace", "from-client")
        .build()
        .expect("a client");
    let traced = client.with_options(
        &RequestOptions::default()
            .header("x-trace", "from-call", "extra_headers")
            .expect("a header"),
    );
    traced.tenants().list(&all()).await.expect("listed");
    client.tenants().list(&all()).await.expect("listed");
    let seen = sandbox.requests();
    let headers: Vec<(&str, &str)> = seen
        .iter()
        .map(|r| (r.headers["x-app"].as_str(), r.headers["x-trace"].as_str()))
        .collect();
    assert_eq!(
        headers,
        vec![("report-job", "from-call"), ("report-job", "from-client")]
    );
    // The credentials went as the client holds them, and the log keeps none.
    assert_eq!(seen[0].headers["x-pigello-client-secret"], "<redacted>");
}

#[test]
fn no_header_option_can_replace_a_credential_or_send_a_bad_header() {
    for name in ["X-PIGELLO-CLIENT-SECRET", "x-pigello-customer-id"] {
        let refused = RequestOptions::default()
            .header(name, "someone-else", "extra_headers")
            .expect_err("a credential header");
        assert_eq!(refused.code(), "configuration");
        assert!(refused.to_string().contains("credentials are the client's"));
    }
    let refused = Client::builder()
        .credentials(Credentials::new("c", "a", "s", "v", "ct", "o", "secret"))
        .default_header("X-Pigello-Client-Secret", "hunter2")
        .build()
        .expect_err("a credential header");
    assert!(
        refused
            .to_string()
            .starts_with("configuration: default_headers cannot set")
    );
    assert!(!refused.to_string().contains("hunter2"));
    for (name, value) in [("bad name", "v"), ("X-Ok", "line\nbreak")] {
        let refused = RequestOptions::default()
            .header(name, value, "extra_headers")
            .expect_err("not a header");
        assert!(refused.to_string().contains("extra_headers"), "{refused}");
        assert!(!refused.to_string().contains("line\nbreak"));
    }
}

#[tokio::test]
async fn a_closed_client_sends_nothing_and_says_so() {
    let (sandbox, client) = start(2).await;
    let derived = client.with_max_retries(0);
    let copy = client.clone();
    client.tenants().list(&all()).await.expect("open");
    sandbox.clear_requests();
    derived.close();
    for c in [&client, &derived, &copy] {
        assert!(c.is_closed());
        let error = c.tenants().list(&all()).await.expect_err("closed");
        assert_eq!(
            (error.class_name(), error.code()),
            ("PigelloError", "client_closed")
        );
        assert_eq!(
            error.to_string(),
            "client is closed: make a new client to send more calls"
        );
    }
    assert!(sandbox.requests().is_empty());
}

#[tokio::test]
async fn a_client_with_new_connections_keeps_its_settings_and_closes_on_its_own() {
    let (sandbox, client) = start(2).await;
    let client = client.with_options(
        &RequestOptions::default()
            .timeout(Duration::from_secs(7))
            .max_retries(5)
            .header("X-Team", "exports", "extra_headers")
            .expect("a header"),
    );
    let fresh = client.with_new_connections().expect("a pool");
    assert_eq!(
        (fresh.timeout(), fresh.max_retries()),
        (Duration::from_secs(7), 5)
    );
    client.close();
    assert!(!fresh.is_closed());
    assert_eq!(
        fresh.tenants().list(&all()).await.expect("open").rows.len(),
        2
    );
    let seen = sandbox.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].headers.get("x-team").map(String::as_str),
        Some("exports")
    );
    let closed = client.with_new_connections().expect("a client");
    assert!(closed.is_closed());
}

#[tokio::test]
async fn a_streamed_export_waits_for_its_answer_within_the_timeout() {
    let (sandbox, client) = start(3).await;
    sandbox
        .inject_fault(FaultSpec::new(
            Some("GET"),
            TENANT_LIST,
            FaultAction::Latency { ms: 400 },
        ))
        .expect("rule");
    use futures_util::TryStreamExt;
    let hasty = client.with_options(
        &RequestOptions::default()
            .timeout(Duration::from_millis(100))
            .max_retries(0),
    );
    let error = hasty
        .tenants()
        .stream(all())
        .try_collect::<Vec<_>>()
        .await
        .expect_err("too slow");
    assert_eq!(error.code(), "timeout");
    let rows: Vec<Tenant> = client
        .tenants()
        .stream(all())
        .try_collect()
        .await
        .expect("rows");
    assert_eq!(rows.len(), 3);
}

#[tokio::test]
async fn a_cancelled_call_stops_at_once_and_says_whether_a_write_may_be_in_place() {
    use pigello::client::{CancelToken, Outcome};
    let (sandbox, client) = start(2).await;
    let listed = client.tenants().list(&all()).await.expect("rows");
    let tenant = &listed.rows[0];
    sandbox.clear_requests();
    // Cancelled before it starts: nothing is sent.
    let token = CancelToken::new();
    token.cancel();
    let early = client.with_options(&RequestOptions::default().cancel(token));
    let error = early.tenants().get(tenant.id).await.expect_err("cancelled");
    assert!(matches!(
        error,
        Error::Aborted {
            outcome: Outcome::NotSent,
            ..
        }
    ));
    assert!(sandbox.requests().is_empty());
    // Cancelled while a write is in flight: it may be in place.
    sandbox
        .inject_fault(FaultSpec::new(
            Some("PATCH"),
            "*",
            FaultAction::Latency { ms: 5_000 },
        ))
        .expect("rule");
    let token = CancelToken::new();
    let slow = client.with_options(&RequestOptions::default().cancel(token.clone()));
    let patch = TenantPatch::new().last_name("Ek");
    let tenants = slow.tenants();
    let (result, ()) = tokio::join!(tenants.update(tenant.id, &patch), async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        token.cancel();
    });
    let error = result.expect_err("cancelled");
    assert_eq!(
        (error.class_name(), error.code()),
        ("APIUserAbortError", "aborted")
    );
    assert!(error.outcome_unknown(), "{error}");
    assert!(
        error
            .to_string()
            .contains("the call was cancelled; outcome unknown"),
        "{error}"
    );
}

#[tokio::test]
async fn a_sandbox_environment_is_what_from_env_reads_to_reach_it() {
    let (sandbox, _) = start_with(SandboxConfig {
        tenants: 3,
        require_secret: Some("a-secret-only-this-sandbox-takes".into()),
        ..Default::default()
    })
    .await;
    let env = sandbox.env();
    let names: Vec<&str> = env.iter().map(|(name, _)| *name).collect();
    let mut expected = vec!["PIGELLO_BASE_URL"];
    expected.extend(pigello::Credentials::NAMES.iter().map(|n| n.env));
    assert_eq!(names, expected);
    let client =
        Client::from_lookup(|name| env.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()))
            .expect("a client from the environment");
    assert_eq!(client.base_url(), sandbox.url());
    let page = client
        .tenants()
        .list(&all())
        .await
        .expect("the sandbox answers");
    assert_eq!(page.rows.len(), 3);
}
