//! A list split into parts by `created_at` ranges: every row in exactly one
//! part, the parts about even, rows added later in the last part.

mod sandbox;

use std::collections::HashMap;

use futures_util::TryStreamExt;
use pigello::client::{Partition, RawHandle};
use pigello::prelude::*;
use sandbox::*;
use serde_json::{Value, json};

async fn ids(raw: &RawHandle, query: pigello::query::ListQuery) -> Vec<String> {
    let rows: Vec<Value> = raw
        .iterate(query, Some(50))
        .try_collect()
        .await
        .expect("rows");
    rows.iter()
        .map(|r| r["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// Which part each row fell in; a row in two parts fails.
async fn parts_of(raw: &RawHandle, parts: &[Partition]) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for part in parts {
        for id in ids(raw, part.query.clone()).await {
            let before = seen.insert(id.clone(), part.index);
            assert!(
                before.is_none(),
                "{id} is in parts {before:?} and {}",
                part.index
            );
        }
    }
    seen
}

#[tokio::test]
async fn every_row_falls_in_exactly_one_part_of_about_even_size() {
    let (_sandbox, client) = start(250).await;
    let raw = client.tenants().raw().clone();
    let all = raw.query().build().expect("a query");
    let parts = raw.partitions(all.clone(), 4).await.expect("parts");
    assert_eq!(parts.len(), 4);
    assert!(
        parts
            .iter()
            .enumerate()
            .all(|(i, p)| p.index == i && p.count == 4)
    );
    let seen = parts_of(&raw, &parts).await;
    let mut expected = ids(&raw, all).await;
    let mut got: Vec<String> = seen.keys().cloned().collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    for index in 0..4 {
        let size = seen.values().filter(|&&i| i == index).count();
        assert!((50..=75).contains(&size), "part {index} holds {size} rows");
    }
    // The query string says the range: the first part has no lower bound.
    let first = parts[0].query.to_query_string();
    assert!(first.contains("created_at__lt=") && !first.contains("created_at__gte="));
}

#[tokio::test]
async fn a_filtered_list_splits_within_its_own_range() {
    let (_sandbox, client) = start(200).await;
    let raw = client.tenants().raw().clone();
    let since = raw
        .query()
        .filter("created_at__gte", "2021-01-01T00:00:00Z")
        .filter("first_name__icontains", "a")
        .build()
        .expect("a query");
    let parts = raw.partitions(since.clone(), 3).await.expect("parts");
    let seen = parts_of(&raw, &parts).await;
    assert_eq!(seen.len(), ids(&raw, since).await.len());
    assert!(!seen.is_empty());
    for part in &parts {
        let pairs = part.query.to_pairs();
        let lower = pairs.iter().filter(|(k, _)| k == "created_at__gte").count();
        assert!(lower <= 1, "one lower bound: {pairs:?}");
        assert!(pairs.iter().any(|(k, _)| k == "first_name__icontains"));
    }
}

#[tokio::test]
async fn rows_added_after_the_split_land_in_the_last_part() {
    let (_sandbox, client) = start(40).await;
    let raw = client.tenants().raw().clone();
    let parts = raw
        .partitions(raw.query().build().expect("a query"), 3)
        .await
        .expect("parts");
    let added = raw
        .create(&json!({"first_name": "Later", "last_name": "Added"}))
        .await
        .expect("created");
    let seen = parts_of(&raw, &parts).await;
    assert_eq!(seen.len(), 41);
    assert_eq!(seen[added["id"].as_str().expect("an id")], parts.len() - 1);
}

#[tokio::test]
async fn fewer_rows_than_parts_and_no_parts_at_all() {
    let (_sandbox, client) = start(3).await;
    let raw = client.tenants().raw().clone();
    let all = raw.query().build().expect("a query");
    let parts = raw.partitions(all.clone(), 10).await.expect("parts");
    assert!(parts.len() <= 3, "{} parts", parts.len());
    assert_eq!(parts_of(&raw, &parts).await.len(), 3);

    let one = raw.partitions(all.clone(), 1).await.expect("one part");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].query, all);

    let none = raw
        .query()
        .filter("first_name", "nobody")
        .build()
        .expect("a query");
    assert_eq!(raw.partitions(none, 4).await.expect("parts").len(), 1);

    let refused = raw.partitions(all, 0).await;
    let Err(Error::Query { problems, .. }) = refused else {
        panic!("expected a query error, got {refused:?}");
    };
    assert_eq!(
        (problems[0].param.as_str(), problems[0].code),
        ("partitions", "minimum")
    );
}
