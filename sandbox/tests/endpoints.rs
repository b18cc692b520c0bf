//! Every documented endpoint of every resource, over HTTP.

mod support;

use pigello::resources::ALL;
use reqwest::{Method, StatusCode};
use support::*;

/// A free-text field of the resource to patch (`custom_id` where there is one).
fn text_field(spec: &pigello::description::ResourceSpec) -> &'static str {
    spec.writable_fields()
        .find(|f| {
            f.kind == pigello::description::ValueKind::String
                && f.nullable
                && f.pattern.is_none()
                && f.min_length.is_none()
                && f.format.is_none()
                && f.enum_values.is_none()
                && f.max_length.is_some_and(|n| n >= 16)
        })
        .map(|f| f.name)
        .expect("a text field")
}

/// A body that creates a new object of the resource: a copy of a seeded one,
/// with the unique relations of a protected identity pointed at a fresh tenant.
async fn new_body(env: &Env, resource: &str) -> serde_json::Value {
    let rows = env.all(resource).await;
    let mut body = writable_copy(resource, &rows[0]);
    if resource == "Protectedidentity" {
        let tenant = env
            .post(&path("Tenant", "collection"), json!({"first_name": "Ny"}))
            .await;
        assert_eq!(tenant.status, StatusCode::CREATED, "{}", tenant.text);
        body["tenant"] = json!({"id": tenant.id()});
        body["sub_tenant"] = json!(null);
    }
    body
}

#[tokio::test]
async fn every_resource_lists_gets_creates_updates_and_deletes() {
    let env = start(12).await;
    for spec in ALL {
        let name = spec.name;
        let rows = env.all(name).await;
        assert!(!rows.is_empty(), "{name} is seeded");

        let first = rows[0]["id"].as_str().expect("id").to_owned();
        let got = env.get(&path(name, &first)).await;
        assert_eq!(got.status, StatusCode::OK, "{name}: {}", got.text);
        assert_eq!(got.json, rows[0]);

        let created = env
            .post(&path(name, "collection"), new_body(&env, name).await)
            .await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{name}: {}",
            created.text
        );
        let id = created.id();
        assert_ne!(id, first);
        assert_eq!(env.get(&path(name, &id)).await.json, created.json);

        let field = text_field(spec);
        let updated = env
            .patch(&path(name, &id), json!({ field: "EDITED-1" }))
            .await;
        assert_eq!(updated.status, StatusCode::OK, "{name}: {}", updated.text);
        assert_eq!(updated.json[field], "EDITED-1");
        let mut expected = created.json.clone();
        expected[field] = json!("EDITED-1");
        assert_eq!(
            updated.json, expected,
            "{name}: only the patched field changed"
        );

        let deleted = env.delete(&path(name, &id)).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{name}");
        assert_eq!(deleted.text, "");
        assert_eq!(
            env.get(&path(name, &id)).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            env.delete(&path(name, &id)).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn bulk_write_creates_and_updates_every_resource() {
    let env = start(12).await;
    for spec in ALL {
        let name = spec.name;
        let rows = env.all(name).await;
        let existing = rows[0]["id"].as_str().expect("id").to_owned();
        let new = new_body(&env, name).await;
        let field = text_field(spec);
        let items = json!([new, {"id": existing, field: "BULK-EDIT"}]);
        let written = env.post(&path(name, "list"), items).await;
        assert_eq!(
            written.status,
            StatusCode::CREATED,
            "{name}: {}",
            written.text
        );
        let out = written.json.as_array().expect("an array");
        assert_eq!(out.len(), 2);
        assert_ne!(out[0]["id"], json!(existing));
        assert_eq!(out[1]["id"], json!(existing));
        assert_eq!(out[1][field], "BULK-EDIT");
        assert_eq!(env.all(name).await.len(), rows.len() + 1, "{name}");
    }
}

#[tokio::test]
async fn invite_endpoints_take_any_json_and_record_it() {
    let env = start(3).await;
    let invites: Vec<_> = ALL.iter().filter_map(|s| s.invite_path).collect();
    assert_eq!(invites.len(), 3);
    for path in &invites {
        let a = env.post(path, json!({"email": "ny@example.se"})).await;
        assert_eq!(a.status, StatusCode::CREATED, "{path}");
        assert_eq!(a.json, serde_json::Value::Null);
        assert_eq!(env.get(path).await.status, StatusCode::METHOD_NOT_ALLOWED);
    }
    let state = env.control(Method::GET, "state", None).await.json;
    let recorded = &state["customers"][first_customer().to_string()]["invites"];
    assert_eq!(recorded.as_array().map(Vec::len), Some(3));
    assert_eq!(recorded[0]["resource"], "Tenant");
}

#[tokio::test]
async fn put_is_405_unknown_paths_and_ids_are_404() {
    let env = start(3).await;
    let tenant = env.all("Tenant").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let put = env
        .call(Method::PUT, &path("Tenant", &tenant), Some(json!({})))
        .await;
    assert_eq!(put.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(put.json["code"], "method_not_allowed");
    for bad in [
        "/accounts/users/customer/tenant".to_owned(),
        "/accounts/users/customer/nothing/".to_owned(),
        "/".to_owned(),
        path("Tenant", "not-a-uuid"),
        path("Tenant", &unknown_id()),
    ] {
        let a = env.get(&bad).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{bad}");
        assert_eq!(a.json["code"], "not_found", "{bad}");
        assert!(a.headers.contains_key("x-request-id"));
    }
    let patch = env
        .patch(&path("Tenant", &unknown_id()), json!({"first_name": "x"}))
        .await;
    assert_eq!(patch.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn delete_of_a_referenced_object_is_refused() {
    let env = start(5).await;
    let tenant = env
        .post(&path("Tenant", "collection"), json!({"last_name": "Ek"}))
        .await
        .id();
    let identity = env
        .post(
            &path("Protectedidentity", "collection"),
            json!({"tenant": {"id": tenant}, "first_name": "Dold"}),
        )
        .await;
    assert_eq!(identity.status, StatusCode::CREATED, "{}", identity.text);
    let a = env.delete(&path("Tenant", &tenant)).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.text);
    assert_eq!(a.json["code"], "protected");
    assert_eq!(
        env.get(&path("Tenant", &tenant)).await.status,
        StatusCode::OK
    );
    let pi = identity.id();
    assert_eq!(
        env.delete(&path("Protectedidentity", &pi)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        env.delete(&path("Tenant", &tenant)).await.status,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn openapi_document_lists_every_path_and_schema() {
    let env = start(1).await;
    let doc = env.control(Method::GET, "openapi.json", None).await.json;
    assert_eq!(doc["openapi"], "3.1.0");
    for spec in ALL {
        for p in [spec.paths.collection, spec.paths.list, spec.paths.single] {
            assert!(doc["paths"][p].is_object(), "{p}");
        }
        assert!(doc["components"]["schemas"][spec.name]["properties"]["id"].is_object());
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["client_object_id"]["name"],
        "X-PIGELLO-CLIENT-ENTITY"
    );
    let ssn = &doc["components"]["schemas"]["Protectedidentity"]["properties"]["ssn"];
    assert_eq!(ssn["maxLength"], 13);
    assert_eq!(ssn["type"], json!(["string", "null"]));
}
