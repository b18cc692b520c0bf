//! Bulk writes: every item checked first, then chunks in order, and an exact
//! account of what is stored when a chunk fails.

mod sandbox;

use pigello::client::BulkItem;
use pigello::prelude::*;
use sandbox::*;
use serde_json::json;

#[tokio::test]
async fn every_item_is_checked_before_anything_is_sent() {
    let (sandbox, client) = start(3).await;
    sandbox.inject_fault(counter("POST", "*")).expect("rule");
    let items = vec![
        BulkItem::Create(TenantCreate::new().first_name("Ok")),
        BulkItem::Create(TenantCreate::new().ssn("19811218-9875").first_name("Bad")),
        BulkItem::Update(Uuid::nil(), TenantPatch::new().invoice_email("nope")),
    ];
    let Err(Error::Validation(v)) = client.tenants().bulk_write(items).await else {
        panic!("expected a validation error");
    };
    let found: Vec<(&str, &str)> = v
        .violations
        .iter()
        .map(|v| (v.path.as_str(), v.rule.code()))
        .collect();
    assert_eq!(
        found,
        vec![("[1].ssn", "luhn"), ("[2].invoice_email", "email")]
    );
    assert_eq!(sandbox.fault_hits(), vec![0]);
}

#[tokio::test]
async fn items_go_in_chunks_and_a_refused_chunk_is_reported_exactly() {
    let (sandbox, client) = start(3).await;
    let chunked = Client::builder()
        .base_url(sandbox.url())
        .credentials(sandbox.credentials())
        .bulk_chunk_size(3)
        .build()
        .expect("client");
    let list = "/accounts/users/customer/protectedidentity/list/";
    sandbox.inject_fault(counter("POST", list)).expect("rule");
    let mut tenants = Vec::new();
    for i in 0..10 {
        tenants.push(
            client
                .tenants()
                .create(&TenantCreate::new().first_name(format!("T{i}")))
                .await
                .expect("tenant")
                .id,
        );
    }
    let items = |owners: &[Uuid]| -> Vec<BulkItem<Protectedidentity>> {
        owners
            .iter()
            .map(|t| BulkItem::Create(ProtectedidentityCreate::new().tenant(*t)))
            .collect()
    };
    let written = chunked
        .protected_identities()
        .bulk_write(items(&tenants[..7]))
        .await
        .expect("written");
    assert_eq!(written.len(), 7);
    assert_eq!(sandbox.fault_hits(), vec![3], "7 items in chunks of 3");

    // Items 3..6 repeat a tenant already protected: the second chunk is refused
    // by the server (uniqueness), the first is stored, the rest never sent.
    let mut owners = tenants[7..10].to_vec();
    owners.extend([tenants[0], tenants[7], tenants[8]]);
    owners.extend(tenants[..3].iter().copied());
    let before = stored(&sandbox, "Protectedidentity").len();
    let Err(Error::Bulk(report)) = chunked
        .protected_identities()
        .bulk_write(items(&owners))
        .await
    else {
        panic!("expected a bulk error");
    };
    assert_eq!(
        (
            report.written.clone(),
            report.failed.clone(),
            report.not_attempted.clone()
        ),
        (0..3, 3..6, 6..9)
    );
    assert_eq!(report.written_rows.len(), 3);
    assert_eq!(report.cause.api().map(|a| a.status), Some(400));
    assert!(
        report
            .cause
            .api()
            .expect("api")
            .errors
            .iter()
            .any(|e| e.code == "unique")
    );
    // Paths count over the whole list, not within the failed chunk.
    let paths: Vec<&str> = report
        .cause
        .api()
        .expect("api")
        .errors
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    assert!(
        !paths.is_empty()
            && paths
                .iter()
                .all(|p| ["[3].tenant", "[4].tenant", "[5].tenant"].contains(p)),
        "{paths:?}"
    );
    assert_eq!(stored(&sandbox, "Protectedidentity").len(), before + 3);
    let message = Error::Bulk(report).to_string();
    assert!(
        message
            .contains("items 0..3 were written, items 3..6 were refused, items 6..9 were not sent"),
        "{message}"
    );
}

#[tokio::test]
async fn json_level_bulk_writes_mix_creates_and_updates() {
    let (sandbox, client) = start(3).await;
    let raw = client.resource(&pigello::resources::WORK_ENGAGEMENT);
    let first = stored(&sandbox, "Workengagement")[0]["id"]
        .as_str()
        .expect("id")
        .parse::<Uuid>()
        .expect("uuid");
    let rows = raw
        .bulk_write(&[
            BulkItem::Create(json!({"name": "Ny roll"})),
            BulkItem::Update(first, json!({"color_code": "abcdef"})),
        ])
        .await
        .expect("written");
    assert_eq!(rows[0]["name"], "Ny roll");
    assert_eq!(rows[1]["id"], json!(first));
    assert_eq!(rows[1]["color_code"], "abcdef");
}
