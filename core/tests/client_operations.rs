//! Every operation of every resource, typed, against the sandbox over HTTP.

mod sandbox;

use futures_util::TryStreamExt;
use pigello::client::{BulkItem, Handle};
use pigello::prelude::*;
use sandbox::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A create input copied from a stored row (its writable fields).
fn create_from<R: Resource>(row: &Value) -> R::Create
where
    R::Create: DeserializeOwned,
{
    let body: serde_json::Map<String, Value> = row
        .as_object()
        .expect("an object")
        .iter()
        .filter(|(k, _)| R::SPEC.field(k).is_some_and(|f| f.writable()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    serde_json::from_value(Value::Object(body)).expect("a create input")
}

/// The first free-text field of a resource, to patch.
fn text_field(spec: &pigello::description::ResourceSpec) -> &'static str {
    spec.writable_fields()
        .find(|f| {
            f.kind == pigello::description::ValueKind::String
                && f.nullable
                && f.pattern.is_none()
                && f.format.is_none()
                && f.min_length.is_none()
                && f.enum_values.is_none()
        })
        .map(|f| f.name)
        .expect("a text field")
}

async fn every_operation<R>(sandbox: &Sandbox, handle: Handle<R>, fresh_tenant: Option<Uuid>)
where
    R: Resource + PartialEq + std::fmt::Debug,
    R::Create: DeserializeOwned,
    R::Patch: DeserializeOwned,
{
    let name = R::SPEC.name;
    let page = handle
        .list(&handle.query().page(1, 2).build().expect("a query"))
        .await
        .expect("list");
    assert_eq!(page.rows.len(), 2, "{name}");
    let first = &page.rows[0];
    assert_eq!(&handle.get(first.id()).await.expect("get"), first, "{name}");

    let mut row = serde_json::to_value(first).expect("json");
    if let Some(tenant) = fresh_tenant {
        row["tenant"] = json!({"id": tenant});
        row["sub_tenant"] = Value::Null;
    }
    let created = handle
        .create(&create_from::<R>(&row))
        .await
        .expect("create");
    assert_ne!(created.id(), first.id(), "{name}");
    let field = text_field(R::SPEC);
    let patch: R::Patch = serde_json::from_value(json!({ field: "Ändrad" })).expect("a patch");
    let updated = handle.update(created.id(), &patch).await.expect("update");
    assert_eq!(
        serde_json::to_value(&updated).expect("json")[field],
        "Ändrad",
        "{name}"
    );
    handle.delete(created.id()).await.expect("delete");
    let gone = handle.get(created.id()).await.expect_err("deleted");
    assert_eq!(gone.api().map(|e| e.status), Some(404), "{name}");

    let before = stored(sandbox, name).len();
    let patch: R::Patch = serde_json::from_value(json!({ field: "Bulk" })).expect("a patch");
    // The copy created above was deleted, so its unique values are free again.
    let written = handle
        .bulk_write(vec![
            BulkItem::Create(create_from::<R>(&row)),
            BulkItem::Update(first.id(), patch),
        ])
        .await
        .expect("bulk write");
    assert_eq!(written.len(), 2, "{name}");
    assert_eq!(written[1].id(), first.id());
    assert_eq!(stored(sandbox, name).len(), before + 1, "{name}");

    let all: Vec<R> = handle
        .iterate(handle.query().build().expect("q"), Some(3))
        .try_collect()
        .await
        .expect("iterate");
    assert_eq!(all.len(), before + 1, "{name}");
}

#[tokio::test]
async fn every_operation_of_every_resource() {
    let (sandbox, client) = start(12).await;
    let tenant = client
        .tenants()
        .create(&TenantCreate::new().first_name("Fri"))
        .await
        .expect("a tenant");
    every_operation(&sandbox, client.subtenant_contract_connections(), None).await;
    every_operation(&sandbox, client.subtenant_tenant_connections(), None).await;
    every_operation(&sandbox, client.tenants(), None).await;
    every_operation(&sandbox, client.organization_users(), None).await;
    every_operation(&sandbox, client.subtenants(), None).await;
    every_operation(&sandbox, client.organization_user_work_engagements(), None).await;
    every_operation(&sandbox, client.organization_user_segments(), None).await;
    every_operation(&sandbox, client.integration_user_agents(), None).await;
    every_operation(&sandbox, client.protected_identities(), Some(tenant.id)).await;
    every_operation(&sandbox, client.work_engagements(), None).await;
}

#[tokio::test]
async fn invite_endpoints() {
    let (sandbox, client) = start(2).await;
    let body = json!({"email": "ny@example.se"});
    assert_eq!(
        client.tenants().invite(&body).await.expect("invite"),
        Value::Null
    );
    client.subtenants().invite(&body).await.expect("invite");
    client
        .organization_users()
        .invite(&body)
        .await
        .expect("invite");
    let invites = &sandbox.export_state()["customers"][pigello_sandbox::FIRST_CUSTOMER.to_string()]
        ["invites"];
    assert_eq!(invites.as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn typed_models_round_trip_what_the_server_sends() {
    let (_sandbox, client) = start(5).await;
    let identity = client
        .protected_identities()
        .list(
            &Query::new(&pigello::resources::PROTECTED_IDENTITY)
                .build()
                .expect("q"),
        )
        .await
        .expect("list")
        .rows;
    let pi = &identity[0];
    assert!(pi.created_at.is_some());
    assert!(pi.tenant.is_some() || pi.sub_tenant.is_some());
    let tenant = client
        .tenants()
        .create(
            &TenantCreate::new()
                .first_name("Ada")
                .birth_date(chrono::NaiveDate::from_ymd_opt(1990, 1, 2).expect("date")),
        )
        .await
        .expect("create");
    assert_eq!(tenant.first_name.as_deref(), Some("Ada"));
    assert_eq!(
        tenant.birth_date,
        chrono::NaiveDate::from_ymd_opt(1990, 1, 2)
    );
    let cleared = client
        .tenants()
        .update(
            tenant.id,
            &TenantPatch::new().clear_birth_date().last_name("Berg"),
        )
        .await
        .expect("update");
    assert_eq!(
        (
            cleared.birth_date,
            cleared.first_name.as_deref(),
            cleared.last_name.as_deref()
        ),
        (None, Some("Ada"), Some("Berg"))
    );
}
