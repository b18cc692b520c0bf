//! Each kind of error, what it carries, and that no error, log line or Debug
//! output holds a credential.

mod sandbox;

use std::io::Write;
use std::sync::{Arc, Mutex};

use pigello::client::{ApiErrorKind, Outcome};
use pigello::prelude::*;
use sandbox::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET: &str = "S3CRET-do-not-print-7f1c";

fn status(status: u16, retry_after: Option<u32>) -> FaultAction {
    FaultAction::Status {
        status,
        retry_after,
    }
}

async fn secret_sandbox() -> (Sandbox, Client) {
    start_with(SandboxConfig {
        tenants: 3,
        require_secret: Some(SECRET.into()),
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn invalid_input_is_refused_before_sending() {
    let (sandbox, client) = start(2).await;
    sandbox.inject_fault(counter("POST", "*")).expect("rule");
    let input = ProtectedidentityCreate::new()
        .tenant(Uuid::nil())
        .sub_tenant(Uuid::nil());
    let Err(Error::Validation(v)) = client.protected_identities().create(&input).await else {
        panic!("expected a validation error");
    };
    assert!(
        v.violations
            .iter()
            .any(|v| v.rule.code() == "cannot_be_set_with")
    );
    let raw = client.resource(&pigello::resources::TENANT);
    let e = raw
        .create(&serde_json::json!({"first_name": 5}))
        .await
        .expect_err("a type error");
    assert!(matches!(e, Error::Validation(_)));
    assert_eq!(sandbox.fault_hits(), vec![0], "nothing was sent");
}

#[tokio::test]
async fn every_api_error_kind_carries_status_body_and_request_id() {
    let (sandbox, client) = secret_sandbox().await;
    let client = client.with_max_retries(0);
    let tenants = client.tenants();
    let all = tenants.query().build().expect("q");

    // 400, with the server's field errors parsed.
    let owner = tenants
        .create(&TenantCreate::new().first_name("Ägare"))
        .await
        .expect("tenant");
    client
        .protected_identities()
        .create(&ProtectedidentityCreate::new().tenant(owner.id))
        .await
        .expect("first");
    let e = client
        .protected_identities()
        .create(&ProtectedidentityCreate::new().tenant(owner.id))
        .await
        .expect_err("taken");
    let api = e.api().expect("api");
    assert_eq!(
        (api.status, api.kind, api.code.as_deref()),
        (400, ApiErrorKind::BadRequest, Some("invalid"))
    );
    assert_eq!(
        (api.errors[0].field.as_str(), api.errors[0].code.as_str()),
        ("tenant", "unique")
    );
    assert!(
        api.request_id
            .as_deref()
            .is_some_and(|id| id.starts_with("req_"))
    );
    assert!(api.body.contains("\"unique\""));

    // 404 and 409.
    let e = tenants.get(Uuid::nil()).await.expect_err("none");
    assert_eq!(e.api().map(|a| a.kind), Some(ApiErrorKind::NotFound));
    let e = tenants.delete(owner.id).await.expect_err("protected");
    assert_eq!(
        e.api().map(|a| (a.kind, a.code.clone())),
        Some((ApiErrorKind::Conflict, Some("protected".into())))
    );

    // 403, 429 (with Retry-After), 5xx, from faults.
    for (code, kind) in [
        (403, ApiErrorKind::PermissionDenied),
        (429, ApiErrorKind::RateLimited),
        (502, ApiErrorKind::Server),
    ] {
        sandbox
            .inject_fault(FaultSpec::new(None, "*", status(code, Some(2))).times(1))
            .expect("rule");
        let e = tenants.list(&all).await.expect_err("fault");
        let api = e.api().expect("api");
        assert_eq!((api.status, api.kind), (code, kind));
        assert_eq!(api.retry_after, Some(std::time::Duration::from_secs(2)));
    }

    // 401: a wrong secret.
    let mut wrong = sandbox.credentials();
    wrong.client_secret = "not-the-secret".into();
    let stranger = Client::builder()
        .base_url(sandbox.url())
        .credentials(wrong)
        .build()
        .expect("client");
    let e = stranger.tenants().list(&all).await.expect_err("refused");
    assert_eq!(e.api().map(|a| a.kind), Some(ApiErrorKind::Authentication));
    assert!(!e.to_string().contains("not-the-secret"));
}

/// A server that answers every request with `body` and status 200.
async fn fixed_server(body: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    url
}

#[tokio::test]
async fn an_answer_that_is_not_the_model_is_a_decode_error_with_an_excerpt() {
    let (sandbox, _) = start(1).await;
    for (body, expected) in [
        (
            "<html>maintenance</html>",
            "the body starts with \"<html>maintenance</html>\"",
        ),
        ("{\"id\": 7}", "id"),
    ] {
        let url = fixed_server(body).await;
        let client = Client::builder()
            .base_url(url)
            .credentials(sandbox.credentials())
            .build()
            .expect("client");
        let e = client
            .tenants()
            .get(Uuid::nil())
            .await
            .expect_err("not a tenant");
        assert!(
            matches!(
                e,
                Error::Decode {
                    model: "Tenant",
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(e.to_string().contains(expected), "{e}");
    }
}

/// Collects log lines in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_credential_or_personal_data_in_any_error_log_line_or_debug_output() {
    const PERSONAL_NUMBER: &str = "19811218-9876";
    const BAD_PERSONAL_NUMBER: &str = "19811218-9875";
    const EMAIL: &str = "anna@example.se";
    const PHONE: &str = "+46701234567";
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // Global, not scoped to this thread: a scoped subscriber races with the
    // other tests of this binary over which spans are enabled. Their lines are
    // captured too, and must not hold a secret either.
    tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");

    let (sandbox, client) = secret_sandbox().await;
    let credentials = sandbox.credentials();
    let mut seen: Vec<String> = vec![
        format!("{client:?}"),
        format!("{credentials:?}"),
        credentials.to_string(),
    ];
    let tenants = client.tenants();
    let q = tenants
        .query()
        .filter("first_name__icontains", "a")
        .build()
        .expect("q");
    tenants.list(&q).await.expect("a list");
    // Personal data in a filter, a search and a body never reaches a log line
    // or an error.
    for search in [EMAIL, PHONE] {
        let personal = tenants
            .query()
            .filter("ssn", PERSONAL_NUMBER)
            .search(search)
            .build()
            .expect("q");
        tenants.list(&personal).await.expect("a list");
    }
    let mut errors = vec![
        tenants
            .create(&TenantCreate::new().first_name("P").ssn(BAD_PERSONAL_NUMBER))
            .await
            .expect_err("a bad checksum"),
        tenants.get(Uuid::nil()).await.expect_err("404"),
        tenants
            .create(&TenantCreate::new())
            .await
            .expect_err("invalid"),
        tenants
            .query()
            .filter("nope", 1)
            .build()
            .expect_err("bad query"),
    ];
    sandbox
        .inject_fault(FaultSpec::new(Some("POST"), "*", FaultAction::DropAfterWrite).times(1))
        .expect("rule");
    errors.push(
        tenants
            .create(&TenantCreate::new().first_name("X"))
            .await
            .expect_err("unknown outcome"),
    );
    sandbox
        .inject_fault(FaultSpec::new(None, "*", status(429, Some(1))).times(3))
        .expect("rule");
    errors.push(tenants.list(&q).await.expect_err("429"));
    let mut wrong = credentials.clone();
    wrong.client_secret = "wrong-secret-value".into();
    let refused = Client::builder()
        .base_url(sandbox.url())
        .credentials(wrong)
        .build()
        .expect("client");
    errors.push(refused.tenants().list(&q).await.expect_err("401"));
    let closed = Client::builder()
        .base_url("http://127.0.0.1:9")
        .credentials(credentials.clone())
        .max_retries(0)
        .build()
        .expect("client");
    errors.push(closed.tenants().list(&q).await.expect_err("refused"));
    for e in &errors {
        seen.push(e.to_string());
        seen.push(format!("{e:?}"));
    }
    assert!(errors.iter().any(|e| matches!(
        e,
        Error::Connection {
            outcome: Outcome::NotSent,
            ..
        }
    )));

    let log = String::from_utf8(captured.0.lock().expect("log").clone()).expect("utf-8");
    assert!(
        log.contains("pigello.request"),
        "requests are logged:\n{log}"
    );
    assert!(log.contains("status=429"), "{log}");
    seen.push(log);
    for text in &seen {
        for value in [SECRET, "wrong-secret-value"] {
            assert!(!text.contains(value), "a secret leaked into: {text}");
        }
        for value in [
            PERSONAL_NUMBER,
            BAD_PERSONAL_NUMBER,
            EMAIL,
            "anna%40example",
            PHONE,
        ] {
            assert!(!text.contains(value), "personal data leaked into: {text}");
        }
        for header in ["X-PIGELLO-CLIENT-SECRET", "x-pigello-client-secret"] {
            assert!(
                !text.contains(&format!("{header}: ")),
                "a header was printed: {text}"
            );
        }
    }
}
