//! Rows as Arrow record batches: every value the JSON rows hold, in the column
//! its field's kind gives, page after page with one page fetched ahead.

mod sandbox;

use std::time::Duration;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use chrono::{DateTime, FixedOffset, NaiveDate};
use futures_util::{StreamExt, TryStreamExt};
use pigello::arrow::{EXTRA_COLUMN, decode_page, decode_rows, schema};
use pigello::description::{ItemKind, ResourceSpec, ValueKind};
use pigello::prelude::*;
use pigello::resources::{INTEGRATION_USER_AGENT, TENANT};
use sandbox::*;
use serde_json::{Value, json};

const TENANT_LIST: &str = "/accounts/users/customer/tenant/list/";

/// A JSON value as its column holds it: a relation as its id, a date-time as
/// microseconds since the epoch (UTC).
fn as_column_holds(kind: ValueKind, value: &Value) -> Value {
    match (kind, value) {
        (_, Value::Null) => Value::Null,
        (ValueKind::Relation, v) => v["id"].clone(),
        (ValueKind::Array(ItemKind::Relation), Value::Array(items)) => {
            items.iter().map(|v| v["id"].clone()).collect()
        }
        (ValueKind::DateTime, Value::String(s)) => {
            let instant: DateTime<FixedOffset> = s.parse().expect("a date-time");
            json!(instant.timestamp_micros())
        }
        (_, v) => v.clone(),
    }
}

/// One cell of a batch, back as JSON (the form of [`as_column_holds`]).
fn cell(batch: &RecordBatch, name: &str, row: usize) -> Value {
    let column = batch.column_by_name(name).expect("a column per field");
    if column.is_null(row) {
        return Value::Null;
    }
    let json_text = batch
        .schema()
        .field_with_name(name)
        .expect("a field")
        .metadata()
        .contains_key(pigello::arrow::JSON_METADATA);
    match column.data_type() {
        DataType::Utf8 if json_text => {
            serde_json::from_str(column.as_string::<i32>().value(row)).expect("JSON text")
        }
        DataType::Utf8 => json!(column.as_string::<i32>().value(row)),
        DataType::Int64 => json!(column.as_primitive::<Int64Type>().value(row)),
        DataType::Boolean => json!(column.as_boolean().value(row)),
        DataType::Date32 => {
            let days = column.as_primitive::<Date32Type>().value(row);
            let date = NaiveDate::default() + chrono::TimeDelta::days(days.into());
            json!(date.to_string())
        }
        DataType::Timestamp(..) => {
            json!(column.as_primitive::<TimestampMicrosecondType>().value(row))
        }
        DataType::List(_) => {
            let items = column.as_list::<i32>().value(row);
            let items = items.as_string::<i32>();
            items.iter().map(|s| json!(s)).collect()
        }
        other => panic!("no column is {other}"),
    }
}

fn assert_batch_holds(spec: &'static ResourceSpec, batch: &RecordBatch, rows: &[Value]) {
    assert_eq!(batch.num_rows(), rows.len());
    assert_eq!(batch.schema(), schema(spec));
    for (i, row) in rows.iter().enumerate() {
        let object = row.as_object().expect("an object");
        for field in spec.fields {
            let expected = object.get(field.name).unwrap_or(&Value::Null);
            assert_eq!(
                cell(batch, field.name, i),
                as_column_holds(field.kind, expected),
                "row {i}, {}",
                field.name
            );
        }
        let undocumented: serde_json::Map<String, Value> = object
            .iter()
            .filter(|(key, _)| spec.field(key).is_none())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let extra = cell(batch, EXTRA_COLUMN, i);
        if undocumented.is_empty() {
            assert_eq!(extra, Value::Null);
        } else {
            assert_eq!(extra, Value::Object(undocumented));
        }
    }
}

#[tokio::test]
async fn a_page_as_a_batch_holds_every_value_of_the_json_rows() {
    let (_sandbox, client) = start(40).await;
    let raw = client.tenants().raw().clone();
    let query = raw.query().page(1, 40).build().expect("a query");
    let rows = raw.list(&query).await.expect("a page").rows;
    let page = raw.list_batch(&query).await.expect("a batch");
    assert_eq!(page.rows.len(), 1);
    assert_batch_holds(&TENANT, &page.rows[0], &rows);
    // The seeded rows fill the columns that matter most.
    for name in ["id", "created_at", "first_name", "ssn"] {
        let column = page.rows[0].column_by_name(name).expect(name);
        assert!(column.null_count() < column.len(), "{name} holds values");
    }
}

#[test]
fn every_layout_decodes_as_the_json_says() {
    let body = br#"[
        {"id": "a\"b\\c", "birth_date": "1981-12-18", "created_at": "2024-03-01T12:00:00.123456+02:00",
         "anonymized": true, "current_registered_address": {"id": "addr", "street": "x"},
         "realestates": [{"id": "r1"}, {"id": null}], "profile_picture": {"name": "p.png"},
         "block_notifications_for": [1, "two"], "n\u00e4mnd": "\u00e5", "undocumented": {"deep": [null]}},
        {"birth_date": null, "created_at": null, "future_address": {}, "realestates": null,
         "profile_picture": null}
    ]"#;
    let batch = decode_page(&TENANT, body).expect("a batch");
    let rows: Vec<Value> = serde_json::from_slice(body).expect("JSON");
    assert_batch_holds(&TENANT, &batch, &rows);
    assert_eq!(cell(&batch, "id", 0), json!("a\"b\\c"));
    assert_eq!(
        cell(&batch, "future_address", 1),
        Value::Null,
        "a relation without an id"
    );
    assert_eq!(
        cell(&batch, EXTRA_COLUMN, 0),
        json!({"nämnd": "å", "undocumented": {"deep": [null]}})
    );

    let agent =
        br#"[{"registered_ip_addresses":["a","b\n"]},{"registered_ip_addresses":[]},{"x":1}]"#;
    let batch = decode_page(&INTEGRATION_USER_AGENT, agent).expect("a batch");
    let rows: Vec<Value> = serde_json::from_slice(agent).expect("JSON");
    assert_batch_holds(&INTEGRATION_USER_AGENT, &batch, &rows);

    // Rows handed over one by one (a page a binding already holds) give the same.
    let texts: Vec<String> = rows.iter().map(Value::to_string).collect();
    let texts: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
    let one_by_one = decode_rows(&INTEGRATION_USER_AGENT, &texts).expect("a batch");
    assert_eq!(one_by_one, batch);
}

#[test]
fn of_a_repeated_key_the_last_value_counts_as_in_every_reader() {
    let body = br#"[{"first_name": "a"}, {"first_name": "b", "x": 1, "first_name": "c", "x": 2}]"#;
    let batch = decode_page(&TENANT, body).expect("a batch");
    assert_eq!(cell(&batch, "first_name", 0), json!("a"));
    assert_eq!(cell(&batch, "first_name", 1), json!("c"));
    assert_eq!(cell(&batch, EXTRA_COLUMN, 1), json!({"x": 2}));
    let rows: [&[u8]; 1] = [br#"{"anonymized": true, "anonymized": false}"#];
    let batch = decode_rows(&TENANT, &rows).expect("a batch");
    assert_eq!(cell(&batch, "anonymized", 0), json!(false));
}

#[test]
fn a_value_of_the_wrong_type_names_its_row_and_field_and_not_its_value() {
    let cases: [(&[u8], &str); 6] = [
        (br#"[{}, {"created_at": 198112189875}]"#, "[1].created_at"),
        (br#"[{"birth_date": "1981-02-30"}]"#, "[0].birth_date"),
        (br#"[{"created_at": "19811218-9875"}]"#, "[0].created_at"),
        (br#"[{"anonymized": "yes"}]"#, "[0].anonymized"),
        (br#"[{"ssn": 198112189875}]"#, "[0].ssn"),
        (br#"[{}, 3]"#, "[1]"),
    ];
    for (body, path) in cases {
        let Err(Error::Decode {
            model,
            path: at,
            message,
        }) = decode_page(&TENANT, body)
        else {
            panic!("{} decodes", String::from_utf8_lossy(body));
        };
        assert_eq!((model, at.as_str()), ("Tenant", path), "{message}");
        assert!(!message.contains("9875"), "{message}");
    }
    for body in [&b"{}"[..], b"[{}] trailing", b"[{}"] {
        assert!(decode_page(&TENANT, body).is_err(), "{body:?}");
    }
}

#[tokio::test]
async fn batches_walk_every_row_once_with_one_page_fetched_ahead() {
    let (sandbox, client) = start(250).await;
    let raw = client.tenants().raw().clone();
    let lists = || {
        sandbox
            .requests()
            .into_iter()
            .filter(|r| r.path == TENANT_LIST)
            .count()
    };
    let mut batches = raw
        .batches(raw.query().build().expect("a query"), Some(100))
        .boxed();
    let first = batches.next().await.expect("a batch").expect("no error");
    assert_eq!(first.num_rows(), 100);
    // The second page is fetched while the first is read; the third is not
    // asked for until the second is taken.
    let mut waited = 0;
    while lists() < 2 {
        assert!(waited < 1000, "the next page was never fetched ahead");
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 1;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(lists(), 2, "no more than one page ahead");

    let rest: Vec<RecordBatch> = batches.try_collect().await.expect("every page");
    let sizes: Vec<usize> = rest.iter().map(RecordBatch::num_rows).collect();
    assert_eq!(sizes, [100, 50]);
    assert_eq!(lists(), 3);

    // The same rows, in the same order, as walking the JSON rows.
    let ids = |batch: &RecordBatch| -> Vec<String> {
        let column = batch.column_by_name("id").expect("ids");
        column
            .as_string::<i32>()
            .iter()
            .map(|s| s.expect("an id").to_owned())
            .collect()
    };
    let walked: Vec<String> = std::iter::once(&first).chain(&rest).flat_map(ids).collect();
    let json: Vec<Value> = raw
        .iterate(raw.query().build().expect("a query"), Some(100))
        .try_collect()
        .await
        .expect("rows");
    let expected: Vec<String> = json
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(walked, expected);
    assert_eq!(
        walked
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len(),
        250
    );
}

#[tokio::test]
async fn a_walk_given_up_sends_nothing_more_and_an_empty_list_gives_no_batch() {
    let (sandbox, client) = start(250).await;
    let raw = client.tenants().raw().clone();
    let mut batches = raw
        .batches(raw.query().build().expect("a query"), Some(100))
        .boxed();
    batches.next().await.expect("a batch").expect("no error");
    drop(batches);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let lists = sandbox
        .requests()
        .iter()
        .filter(|r| r.path == TENANT_LIST)
        .count();
    assert!(lists <= 2, "{lists} pages asked for");

    let none = raw
        .query()
        .filter("first_name", "nobody by this name")
        .build()
        .expect("a query");
    let batches: Vec<RecordBatch> = raw
        .batches(none, None)
        .try_collect()
        .await
        .expect("no error");
    assert!(batches.is_empty());

    let refused = raw
        .batches(raw.query().build().expect("a query"), Some(0))
        .boxed()
        .next()
        .await;
    assert!(
        matches!(refused, Some(Err(Error::Query { .. }))),
        "{refused:?}"
    );
}
