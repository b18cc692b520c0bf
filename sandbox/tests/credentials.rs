//! The seven credential headers, the optional required secret, and isolation
//! between customers.

mod support;

use pigello::Credentials;
use pigello_sandbox::{SECOND_CUSTOMER, SandboxConfig};
use reqwest::{Method, StatusCode};
use support::*;

#[tokio::test]
async fn each_missing_or_empty_header_is_401_and_never_echoed() {
    let env = start(2).await;
    let full = env.credentials();
    let list = path("Tenant", "list");
    for (i, name) in Credentials::NAMES.iter().enumerate() {
        for blank in [None, Some("   ")] {
            let mut request = env.http.get(format!("{}{list}", env.url));
            for (j, (header, value)) in full.headers().enumerate() {
                match (i == j, blank) {
                    (false, _) => request = request.header(header, value),
                    (true, Some(b)) => request = request.header(header, b),
                    (true, None) => {}
                }
            }
            let a = answer(request.send().await.expect("answer")).await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", name.header);
            assert_eq!(a.json["code"], "not_authenticated");
            assert!(
                a.json["detail"]
                    .as_str()
                    .expect("detail")
                    .contains(name.header)
            );
            assert!(!a.text.contains(full.client_secret.expose()));
            assert!(!a.text.contains(&full.customer_id));
        }
    }
    let none = answer(
        env.http
            .get(format!("{}{list}", env.url))
            .send()
            .await
            .expect("answer"),
    )
    .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_customer_id_that_is_not_a_uuid_is_401() {
    let env = start(2).await;
    let mut creds = env.credentials();
    creds.customer_id = "acme".into();
    let a = env
        .call_as(&creds, Method::GET, &path("Tenant", "list"), None)
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json["code"], "authentication_failed");
    assert!(!a.text.contains("acme"));
}

#[tokio::test]
async fn a_required_secret_refuses_any_other() {
    let env = start_with(SandboxConfig {
        tenants: 2,
        require_secret: Some("s3cr3t-value".into()),
        ..Default::default()
    })
    .await;
    let good = env.credentials();
    assert_eq!(good.client_secret.expose(), "s3cr3t-value");
    assert_eq!(
        env.get(&path("Tenant", "list")).await.status,
        StatusCode::OK
    );
    let mut bad = good.clone();
    bad.client_secret = "wrong-secret".into();
    let a = env
        .call_as(&bad, Method::GET, &path("Tenant", "list"), None)
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json["code"], "authentication_failed");
    assert!(!a.text.contains("wrong-secret") && !a.text.contains("s3cr3t-value"));
}

#[tokio::test]
async fn customers_never_see_each_other() {
    let env = start(10).await;
    let second = env.sandbox.credentials_for(SECOND_CUSTOMER);
    let stranger = env.sandbox.credentials_for(uuid::Uuid::from_u128(77));
    let mine = env.all("Tenant").await;
    let theirs = env
        .call_as(&second, Method::GET, &path("Tenant", "list"), None)
        .await
        .json;
    assert_eq!(mine.len(), 10);
    assert_eq!(theirs.as_array().map(Vec::len), Some(2));
    let my_id = mine[0]["id"].as_str().expect("id");
    assert!(
        theirs
            .as_array()
            .into_iter()
            .flatten()
            .all(|t| t["id"] != mine[0]["id"])
    );
    for creds in [&second, &stranger] {
        let tenant = path("Tenant", my_id);
        assert_eq!(
            env.call_as(creds, Method::GET, &tenant, None).await.status,
            StatusCode::NOT_FOUND
        );
        let patch = env
            .call_as(
                creds,
                Method::PATCH,
                &tenant,
                Some(json!({"first_name": "Mallory"})),
            )
            .await;
        assert_eq!(patch.status, StatusCode::NOT_FOUND);
        assert_eq!(
            env.call_as(creds, Method::DELETE, &tenant, None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // A relation to another customer's object is not a valid reference.
        let pi = env
            .call_as(
                creds,
                Method::POST,
                &path("Protectedidentity", "collection"),
                Some(json!({"tenant": {"id": my_id}})),
            )
            .await;
        assert_eq!(pi.status, StatusCode::BAD_REQUEST);
        assert!(pi.has("tenant", "reference"), "{}", pi.text);
    }
    assert_eq!(env.get(&path("Tenant", my_id)).await.json, mine[0]);
    let empty = env
        .call_as(&stranger, Method::GET, &path("Tenant", "list"), None)
        .await;
    assert_eq!(empty.json, json!([]));
}
