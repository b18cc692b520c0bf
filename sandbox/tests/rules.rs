//! Each kind of rule, enforced by the server with the core's validators, plus
//! the server-only rules: uniqueness, references and read-only fields.

mod support;

use reqwest::StatusCode;
use support::*;

async fn refused(env: &Env, resource: &str, body: serde_json::Value, field: &str, code: &str) {
    let before = env.all(resource).await.len();
    let a = env.post(&path(resource, "collection"), body).await;
    assert_eq!(
        a.status,
        StatusCode::BAD_REQUEST,
        "{resource} {field} {code}: {}",
        a.text
    );
    assert_eq!(a.json["code"], "invalid");
    assert!(
        a.has(field, code),
        "{resource}: expected {field}/{code} in {}",
        a.text
    );
    assert_eq!(env.all(resource).await.len(), before, "nothing was written");
}

#[tokio::test]
async fn field_rules() {
    let env = start(3).await;
    let tenant = env.all("Tenant").await[0]["id"].clone();
    let user = env.all("Organizationuser").await[0]["id"].clone();
    let pi = |extra: serde_json::Value| {
        let mut body = json!({"tenant": {"id": "placeholder"}});
        body["tenant"]["id"] = tenant.clone();
        for (k, v) in extra.as_object().expect("object") {
            body[k] = v.clone();
        }
        body
    };
    refused(&env, "Workengagement", json!({}), "name", "required").await;
    refused(
        &env,
        "Workengagement",
        json!({"name": null}),
        "name",
        "not_null",
    )
    .await;
    refused(&env, "Workengagement", json!({"name": 5}), "name", "type").await;
    refused(
        &env,
        "Workengagement",
        json!({"name": "x".repeat(256)}),
        "name",
        "max_length",
    )
    .await;
    refused(
        &env,
        "Workengagement",
        json!({"name": "a", "color_code": "zzz"}),
        "color_code",
        "pattern",
    )
    .await;
    refused(
        &env,
        "Subtenant",
        json!({"fmi": "short"}),
        "fmi",
        "min_length",
    )
    .await;
    refused(
        &env,
        "Integrationuseragent",
        json!({"service_id": "nope"}),
        "service_id",
        "uuid",
    )
    .await;
    refused(
        &env,
        "Tenant",
        json!({"first_name": "A", "birth_date": "2024-02-30"}),
        "birth_date",
        "date",
    )
    .await;
    refused(
        &env,
        "Tenant",
        json!({"first_name": "A", "active_to": "tomorrow"}),
        "active_to",
        "date_time",
    )
    .await;
    refused(
        &env,
        "Tenant",
        json!({"first_name": "A", "invoice_email": "a@b"}),
        "invoice_email",
        "email",
    )
    .await;
    refused(
        &env,
        "Organizationuser",
        json!({"first_name": "A", "detail_access": 7}),
        "detail_access",
        "enum",
    )
    .await;
    refused(
        &env,
        "Protectedidentity",
        pi(json!({"ssn": "19811218-9875"})),
        "ssn",
        "luhn",
    )
    .await;
    refused(
        &env,
        "Tenant",
        json!({"first_name": "A", "gln13_number": "7350000000001"}),
        "gln13_number",
        "gln13",
    )
    .await;
    let segment =
        json!({"user": {"id": user}, "segment": {"id": "e000000f-0000-4000-a000-000000000001"}});
    let mut no_id = segment.clone();
    no_id["user"] = json!({});
    refused(
        &env,
        "Organizationusersegment",
        no_id,
        "user.id",
        "required",
    )
    .await;
}

#[tokio::test]
async fn cross_field_rules() {
    let env = start(3).await;
    let tenant = env.all("Tenant").await[0]["id"].clone();
    let sub = env.all("Subtenant").await[0]["id"].clone();
    refused(
        &env,
        "Protectedidentity",
        json!({"tenant": {"id": tenant}, "sub_tenant": {"id": sub}}),
        "tenant",
        "cannot_be_set_with",
    )
    .await;
    refused(
        &env,
        "Protectedidentity",
        json!({"first_name": "A"}),
        "tenant",
        "at_least_one_of",
    )
    .await;
    refused(
        &env,
        "Tenant",
        json!({"popular_name": "A"}),
        "corporate_name",
        "at_least_one_of",
    )
    .await;
    refused(
        &env,
        "Subtenant",
        json!({"first_name": "A", "sni_number": "68.310"}),
        "sni_number",
        "requires",
    )
    .await;
    refused(
        &env,
        "Integrationuseragent",
        json!({"activation_object_id": "e0000001-0000-4000-a000-000000000001"}),
        "activation_object_id",
        "set_together_with",
    )
    .await;
    let engagement = &env.all("Organizationuserworkengagement").await[0];
    let mut body = writable_copy("Organizationuserworkengagement", engagement);
    body["start_date"] = json!("2025-06-01");
    body["end_date"] = json!("2025-01-01");
    refused(
        &env,
        "Organizationuserworkengagement",
        body.clone(),
        "end_date",
        "ordered_with",
    )
    .await;
    body["end_date"] = json!(null);
    body["receive_notifications_for"] = json!([1]);
    body["receive_email_notifications_for"] = json!([2]);
    refused(
        &env,
        "Organizationuserworkengagement",
        body,
        "receive_email_notifications_for[0]",
        "must_match_values_of",
    )
    .await;
}

#[tokio::test]
async fn a_patch_is_checked_on_the_merged_object() {
    let env = start(3).await;
    let engagement = &env.all("Organizationuserworkengagement").await[1];
    let id = engagement["id"].as_str().expect("id");
    let start = engagement["start_date"]
        .as_str()
        .expect("a start date")
        .to_owned();
    // The body alone is fine; merged with the stored start date it is out of order.
    let a = env
        .patch(
            &path("Organizationuserworkengagement", id),
            json!({"end_date": "2000-01-01"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
    assert!(a.has("end_date", "ordered_with"), "{}", a.text);
    assert_eq!(
        env.get(&path("Organizationuserworkengagement", id))
            .await
            .json,
        *engagement
    );
    // Clearing the only name of a person leaves none of "at least one of".
    let tenant = env
        .post(&path("Tenant", "collection"), json!({"first_name": "Solo"}))
        .await
        .id();
    let a = env
        .patch(&path("Tenant", &tenant), json!({"first_name": null}))
        .await;
    assert!(
        a.has("corporate_name", "at_least_one_of") || a.has("first_name", "at_least_one_of"),
        "{}",
        a.text
    );
    // `null` clears a nullable field, and fields left out stay.
    let a = env
        .patch(
            &path("Tenant", &tenant),
            json!({"last_name": "Berg", "first_name": null}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.json["first_name"], json!(null));
    assert_eq!(a.json["last_name"], "Berg");
    let ok = env
        .patch(
            &path("Organizationuserworkengagement", id),
            json!({"end_date": start}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
}

#[tokio::test]
async fn uniqueness_and_references_are_checked_by_the_server() {
    let env = start(3).await;
    let identities = env.all("Protectedidentity").await;
    let taken = identities
        .iter()
        .find(|pi| pi["tenant"].is_object())
        .expect("a tenant's identity")["tenant"]
        .clone();
    refused(
        &env,
        "Protectedidentity",
        json!({"tenant": taken}),
        "tenant",
        "unique",
    )
    .await;
    refused(
        &env,
        "Protectedidentity",
        json!({"tenant": {"id": unknown_id()}}),
        "tenant",
        "reference",
    )
    .await;
    // A relation to an object outside the Accounts application must use a
    // documented external id.
    let tenant = env
        .post(&path("Tenant", "collection"), json!({"first_name": "Ny"}))
        .await
        .id();
    let mut body = json!({"tenant": {"id": tenant}, "organization": {"id": unknown_id()}});
    refused(
        &env,
        "Protectedidentity",
        body.clone(),
        "organization",
        "reference",
    )
    .await;
    body["organization"] = json!({"id": "e0000008-0000-4000-a000-000000000003"});
    let a = env
        .post(&path("Protectedidentity", "collection"), body)
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    // Arrays of relations are checked item by item.
    refused(
        &env,
        "Tenant",
        json!({"first_name": "A", "realestates": [{"id": "e000000d-0000-4000-a000-000000000001"}, {"id": unknown_id()}]}),
        "realestates[1]",
        "reference",
    )
    .await;
    // Two items of one bulk write cannot claim the same unique value.
    let fresh = env
        .post(&path("Tenant", "collection"), json!({"first_name": "Två"}))
        .await
        .id();
    let a = env
        .post(
            &path("Protectedidentity", "list"),
            json!([{"tenant": {"id": fresh}}, {"tenant": {"id": fresh}}]),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.has("[1].tenant", "unique"), "{}", a.text);
}

#[tokio::test]
async fn read_only_and_undocumented_fields_are_ignored_on_write() {
    let env = start(3).await;
    let a = env
        .post(
            &path("Workengagement", "collection"),
            json!({"name": "Städ", "id": unknown_id(), "created_at": "1999-01-01T00:00:00Z", "tags": ["x"], "not_a_field": 1}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_ne!(a.json["id"], json!(unknown_id()));
    assert_ne!(a.json["created_at"], "1999-01-01T00:00:00Z");
    assert!(a.json.get("not_a_field").is_none());
    assert_eq!(a.json["name"], "Städ");
    let id = a.id();
    let b = env
        .patch(
            &path("Workengagement", &id),
            json!({"id": unknown_id(), "created_at": null}),
        )
        .await;
    assert_eq!(b.status, StatusCode::OK, "{}", b.text);
    assert_eq!(b.json, a.json);
}

#[tokio::test]
async fn every_violation_is_listed_at_once() {
    let env = start(3).await;
    let a = env
        .post(
            &path("Protectedidentity", "collection"),
            json!({"ssn": "123", "email": "nope", "phone_number": "abc"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    for (field, code) in [
        ("ssn", "min_length"),
        ("email", "email"),
        ("phone_number", "pattern"),
        ("tenant", "at_least_one_of"),
    ] {
        assert!(a.has(field, code), "{field}/{code} in {}", a.text);
    }
    assert!(!a.text.contains("nope"), "messages never repeat a value");
}
