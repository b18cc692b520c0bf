//! Bad input and load: every refusal is a clean 4xx with a JSON body, nothing
//! half-writes, and the store holds under 64 concurrent clients.

mod support;

use pigello_sandbox::SandboxConfig;
use reqwest::{Method, StatusCode};
use support::*;

async fn raw_post(env: &Env, path: &str, content_type: Option<&str>, body: Vec<u8>) -> Answer {
    let mut request = env.http.post(format!("{}{path}", env.url)).body(body);
    for (h, v) in env.credentials().headers() {
        request = request.header(h, v);
    }
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    answer(request.send().await.expect("answer")).await
}

#[tokio::test]
async fn malformed_bodies_and_content_types() {
    let env = start_with(SandboxConfig {
        tenants: 2,
        max_body_bytes: 4096,
        ..Default::default()
    })
    .await;
    let collection = path("Tenant", "collection");
    let before = env.all("Tenant").await.len();
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    for (content_type, body, status, code) in [
        (
            Some("application/json"),
            b"{\"first_name\": ".to_vec(),
            400,
            "parse_error",
        ),
        (
            Some("application/json"),
            b"\xff\xfe".to_vec(),
            400,
            "parse_error",
        ),
        (
            Some("application/json"),
            deep.into_bytes(),
            413,
            "payload_too_large",
        ),
        (Some("application/json"), b"".to_vec(), 400, "parse_error"),
        (
            Some("text/plain"),
            b"{}".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (None, b"{}".to_vec(), 415, "unsupported_media_type"),
        (
            Some("application/json"),
            vec![b' '; 5000],
            413,
            "payload_too_large",
        ),
        (Some("application/json"), b"null".to_vec(), 400, "invalid"),
        (Some("application/json"), b"[1, 2]".to_vec(), 400, "invalid"),
        (
            Some("application/json; charset=utf-8"),
            b"\"text\"".to_vec(),
            400,
            "invalid",
        ),
    ] {
        let a = raw_post(&env, &collection, content_type, body).await;
        assert_eq!(a.status.as_u16(), status, "{content_type:?}: {}", a.text);
        assert_eq!(a.json["code"], code, "{}", a.text);
    }
    let nested = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    let a = raw_post(
        &env,
        &collection,
        Some("application/json"),
        nested.into_bytes(),
    )
    .await;
    assert_eq!(
        (a.status, a.json["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("parse_error"))
    );
    assert_eq!(env.all("Tenant").await.len(), before);
}

#[tokio::test]
async fn long_strings_and_hostile_queries_get_clean_answers() {
    let env = start(3).await;
    let long = "å".repeat(10_000);
    let a = env
        .post(
            &path("Tenant", "collection"),
            json!({"first_name": long, "invoice_email": long}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.has("first_name", "max_length") && a.has("invoice_email", "max_length"));
    assert!(a.text.len() < 2000, "the value is not echoed");
    for q in [
        "%ZZ=%00",
        "first_name__icontains=%27%3B%20DROP%20TABLE%20tenants%3B--",
        "a[]=1&b[x]=2",
        "__=x",
        "!=1",
        "first_name__icontains!!=x",
        "first_name____in=x",
        "_order_by=,,,-,--first_name",
        "_page=99999999999999999999&_page_size=1",
        "_page=2147483647&_page_size=2147483647",
        "first_name=%F0%9F%98%80%00",
        "&&&==&",
    ] {
        let a = env.list("Tenant", q).await;
        assert!(
            a.status.is_success() || a.status.is_client_error(),
            "{q}: {}",
            a.status
        );
        assert!(
            a.json.is_array() || a.json["code"].is_string(),
            "{q}: {}",
            a.text
        );
    }
    let unknown_headers = env
        .http
        .get(format!("{}{}", env.url, path("Tenant", "list")))
        .headers(
            env.credentials()
                .headers()
                .map(|(h, v)| (h.parse().expect("name"), v.parse().expect("value")))
                .collect(),
        )
        .header("X-Unknown", "1")
        .header(
            "X-PIGELLO-EXTRA",
            reqwest::header::HeaderValue::from_bytes(b"caf\xe9").expect("obs-text is allowed"),
        )
        .send()
        .await
        .expect("answer");
    assert_eq!(unknown_headers.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_failed_bulk_write_leaves_the_store_untouched() {
    let env = start(5).await;
    let before = env.control(Method::GET, "state", None).await.json;
    let existing = env.all("Tenant").await[0]["id"].clone();
    let items = json!([
        {"first_name": "Ett"},
        {"id": existing, "first_name": "Ändrad"},
        {"first_name": "Tre", "ssn": "19811218-9875"},
        {"id": unknown_id(), "first_name": "Fyra"},
        {"id": "not-a-uuid"},
    ]);
    let a = env.post(&path("Tenant", "list"), items).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.has("[4].id", "uuid"), "{}", a.text);
    let items = json!([
        {"first_name": "Ett"},
        {"id": existing, "first_name": "Ändrad"},
        {"first_name": "Tre", "ssn": "19811218-9875"},
        {"id": unknown_id(), "first_name": "Fyra"},
        "not an object",
    ]);
    let a = env.post(&path("Tenant", "list"), items).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    for (field, code) in [
        ("[2].ssn", "luhn"),
        ("[3].id", "reference"),
        ("[4]", "type"),
    ] {
        assert!(a.has(field, code), "{field}/{code}: {}", a.text);
    }
    let a = env
        .post(
            &path("Tenant", "list"),
            json!({"first_name": "not an array"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(env.control(Method::GET, "state", None).await.json, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_clients() {
    let env = std::sync::Arc::new(start(10).await);
    let before = env.all("Tenant").await.len();
    let tenant = env
        .post(
            &path("Tenant", "collection"),
            json!({"first_name": "Delad"}),
        )
        .await
        .id();
    let mut tasks = Vec::new();
    for client in 0..64 {
        let env = env.clone();
        let tenant = tenant.clone();
        tasks.push(tokio::spawn(async move {
            let mut created = 0;
            for i in 0..10 {
                let a = env
                    .post(
                        &path("Tenant", "collection"),
                        json!({"first_name": format!("K{client}-{i}")}),
                    )
                    .await;
                assert_eq!(a.status, StatusCode::CREATED);
                created += 1;
                assert_eq!(
                    env.list("Tenant", "_page=1&_page_size=5").await.status,
                    StatusCode::OK
                );
            }
            // Every client races for the one protected identity a tenant may have.
            let pi = env
                .post(
                    &path("Protectedidentity", "collection"),
                    json!({"tenant": {"id": tenant}}),
                )
                .await;
            (created, pi.status)
        }));
    }
    let mut created = 0;
    let mut winners = 0;
    for task in tasks {
        let (n, status) = task.await.expect("a client finished");
        created += n;
        if status == StatusCode::CREATED {
            winners += 1;
        } else {
            assert_eq!(status, StatusCode::BAD_REQUEST);
        }
    }
    assert_eq!(created, 640);
    assert_eq!(winners, 1, "uniqueness holds under concurrency");
    assert_eq!(env.all("Tenant").await.len(), before + 1 + 640);
    let ids: std::collections::HashSet<String> = env
        .all("Tenant")
        .await
        .iter()
        .map(|t| t["id"].to_string())
        .collect();
    assert_eq!(ids.len(), before + 1 + 640, "every id is distinct");
}

#[tokio::test]
async fn a_world_too_large_to_seed_is_refused_before_seeding() {
    // Before seeding anything: a trillion rows would take the machine's memory.
    let started = pigello_sandbox::Sandbox::start(SandboxConfig {
        tenants: pigello_sandbox::MAX_TENANTS + 1,
        ..Default::default()
    })
    .await;
    let Err(refused) = started else {
        panic!("a world too large to seed was seeded");
    };
    assert!(refused.to_string().contains("at most"), "{refused}");
}
