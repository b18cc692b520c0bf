//! List queries: every operator with and without `!`, ordering, pagination,
//! search, slim, statistics and JSON lines, on a small known data set.

mod support;

use pigello::Credentials;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use support::*;

const REALESTATE: &str = "e000000d-0000-4000-a000-000000000002";

/// A customer of its own with six tenants whose values the cases below know.
async fn known_tenants(env: &Env) -> (Credentials, Vec<String>) {
    let creds = env.sandbox.credentials_for(uuid::Uuid::from_u128(0xABC));
    let rows = json!([
        {"first_name": "Anna", "last_name": "Berg", "birth_date": "1980-01-01", "anonymized": false,
         "active_to": "2025-01-01T00:00:00Z", "realestates": [{"id": REALESTATE}]},
        {"first_name": "anna", "last_name": "Ek", "birth_date": "1990-06-15", "anonymized": true},
        {"first_name": "Bo", "last_name": "Berg", "birth_date": "2000-12-31",
         "active_to": "2026-03-01T12:00:00+01:00", "realestates": [{"id": REALESTATE}]},
        {"corporate_name": "Ankan AB"},
        {"first_name": "Åsa", "last_name": "Öberg", "birth_date": "1975-05-05"},
        {"first_name": "Lena", "last_name": "Anderberg", "birth_date": "1985-03-03"},
    ]);
    let a = env
        .call_as(&creds, Method::POST, &path("Tenant", "list"), Some(rows))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let ids = a
        .json
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect();
    (creds, ids)
}

fn encode(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

async fn query(env: &Env, creds: &Credentials, resource: &str, q: &str) -> reqwest::Response {
    let mut request = env
        .http
        .get(format!("{}{}?{q}", env.url, path(resource, "list")));
    for (h, v) in creds.headers() {
        request = request.header(h, v);
    }
    request.send().await.expect("answer")
}

/// The 1-based positions in `ids` of the rows of an answer, in answer order.
fn positions_of(rows: &Value, ids: &[String]) -> Vec<usize> {
    rows.as_array()
        .expect("an array")
        .iter()
        .map(|r| {
            1 + ids
                .iter()
                .position(|id| r["id"] == json!(id))
                .expect("a known row")
        })
        .collect()
}

/// The 1-based positions (in `ids`) of the rows a filter returns, sorted.
async fn positions(
    env: &Env,
    creds: &Credentials,
    ids: &[String],
    param: &str,
    value: &str,
) -> Vec<usize> {
    let a = answer(query(env, creds, "Tenant", &encode(&[(param, value)])).await).await;
    assert_eq!(a.status, StatusCode::OK, "{param}={value}: {}", a.text);
    let mut out = positions_of(&a.json, ids);
    out.sort();
    out
}

#[tokio::test]
async fn every_operator_with_and_without_negation() {
    let env = start(2).await;
    let (creds, ids) = known_tenants(&env).await;
    let (id1, id3, id4) = (ids[0].clone(), ids[2].clone(), ids[3].clone());
    let in_ids = format!("{id1},{id4}");
    let cases: Vec<(&str, &str, Vec<usize>)> = vec![
        ("first_name", "Anna", vec![1]),
        ("first_name__iexact", "anna", vec![1, 2]),
        ("first_name__contains", "nn", vec![1, 2]),
        ("first_name__icontains", "AN", vec![1, 2]),
        ("first_name__startswith", "A", vec![1]),
        ("first_name__istartswith", "a", vec![1, 2]),
        ("first_name__endswith", "a", vec![1, 2, 5, 6]),
        ("first_name__iendswith", "NA", vec![1, 2, 6]),
        ("first_name__in", "Bo,Lena", vec![3, 6]),
        ("first_name__isnull", "true", vec![4]),
        ("first_name__isnull", "false", vec![1, 2, 3, 5, 6]),
        ("first_name", "Åsa", vec![5]),
        ("birth_date", "2000-12-31", vec![3]),
        ("birth_date__gt", "1985-01-01", vec![2, 3, 6]),
        ("birth_date__gte", "1990-06-15", vec![2, 3]),
        ("birth_date__lt", "1980-01-01", vec![5]),
        ("birth_date__lte", "1980-01-01", vec![1, 5]),
        ("birth_date__in", "1980-01-01,1975-05-05", vec![1, 5]),
        ("birth_date__isnull", "true", vec![4]),
        ("active_to__gte", "2026-03-01T11:00:00Z", vec![3]),
        ("active_to__gt", "2026-03-01T11:00:00Z", vec![]),
        ("active_to__lt", "2026-01-01", vec![1]),
        ("active_to__lte", "2025-01-01T01:00:00+01:00", vec![1]),
        ("anonymized", "true", vec![2]),
        ("anonymized__in", "true,false", vec![1, 2, 3, 4, 5, 6]),
        ("id", &id3, vec![3]),
        ("id__in", &in_ids, vec![1, 4]),
        ("realestates", REALESTATE, vec![1, 3]),
        ("realestates__isnull", "true", vec![2, 4, 5, 6]),
    ];
    let everyone: Vec<usize> = (1..=6).collect();
    for (param, value, expected) in &cases {
        assert_eq!(
            &positions(&env, &creds, &ids, param, value).await,
            expected,
            "{param}={value}"
        );
        // `!` keeps exactly the other rows, nulls included (an exclusion).
        let complement: Vec<usize> = everyone
            .iter()
            .copied()
            .filter(|i| !expected.contains(i))
            .collect();
        let negated = format!("{param}!");
        assert_eq!(
            positions(&env, &creds, &ids, &negated, value).await,
            complement,
            "{negated}={value}"
        );
    }
    // Several filters must all hold.
    let a = answer(
        query(
            &env,
            &creds,
            "Tenant",
            "last_name=Berg&birth_date__gt=1990-01-01",
        )
        .await,
    )
    .await;
    assert_eq!(a.json.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn documented_filters_and_integer_fields() {
    let env = start(30).await;
    let creds = env.credentials();
    let rows = env.all("Subtenanttenantconnection").await;
    let expected = rows
        .iter()
        .filter(|r| r["category"].as_i64().is_some_and(|c| c >= 3))
        .count();
    let a = answer(query(&env, &creds, "Subtenanttenantconnection", "category__gte=3").await).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json.as_array().map(Vec::len), Some(expected));
    let a = answer(
        query(
            &env,
            &creds,
            "Subtenanttenantconnection",
            "custom_id__istartswith=stc-000",
        )
        .await,
    )
    .await;
    assert_eq!(a.json.as_array().map(Vec::len), Some(rows.len().min(9)));
}

#[tokio::test]
async fn bad_queries_are_400_and_name_the_parameter() {
    let env = start(2).await;
    let creds = env.credentials();
    for (resource, q, param, code) in [
        (
            "Organizationusersegment",
            "first_name=x",
            "first_name",
            "unknown_filter",
        ),
        (
            "Organizationusersegment",
            "custom_id__gt=1",
            "custom_id__gt",
            "unsupported_operator",
        ),
        (
            "Organizationusersegment",
            "created_at__icontains=1",
            "created_at__icontains",
            "unsupported_operator",
        ),
        (
            "Organizationusersegment",
            "created_at__gte=soon",
            "created_at__gte",
            "invalid_value",
        ),
        ("Organizationusersegment", "id=42", "id", "invalid_value"),
        (
            "Tenant",
            "no_such_field=1",
            "no_such_field",
            "unknown_filter",
        ),
        (
            "Tenant",
            "first_name__isnull=maybe",
            "first_name__isnull",
            "invalid_value",
        ),
        (
            "Tenant",
            "birth_date__in=2020-01-01,never",
            "birth_date__in",
            "invalid_value",
        ),
        (
            "Tenant",
            "profile_picture=1",
            "profile_picture",
            "unknown_filter",
        ),
        ("Tenant", "_page=1", "_page", "set_together_with"),
        ("Tenant", "_page_size=10", "_page_size", "set_together_with"),
        ("Tenant", "_page=0&_page_size=10", "_page", "minimum"),
        ("Tenant", "_page=x&_page_size=10", "_page", "invalid_value"),
        (
            "Tenant",
            "_order_by=shoe_size",
            "_order_by",
            "unknown_order_field",
        ),
        ("Tenant", "_jsonl=yes", "_jsonl", "invalid_value"),
        ("Tenant", "_bogus=1", "_bogus", "unknown_parameter"),
    ] {
        let a = answer(query(&env, &creds, resource, q).await).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{q}");
        assert!(a.has(param, code), "{q}: {}", a.text);
    }
}

#[tokio::test]
async fn pages_cover_every_row_once_in_a_stable_order() {
    let env = start(23).await;
    let creds = env.credentials();
    let all = env.all("Tenant").await;
    let mut seen = Vec::new();
    for page in 1.. {
        let q = format!("_page={page}&_page_size=5&_order_by=last_name");
        let a = answer(query(&env, &creds, "Tenant", &q).await).await;
        let rows = a.json.as_array().expect("array").clone();
        assert!(rows.len() <= 5);
        seen.extend(rows.iter().map(|r| r["id"].clone()));
        if rows.len() < 5 {
            break;
        }
    }
    assert_eq!(seen.len(), all.len());
    let unique: std::collections::HashSet<String> = seen.iter().map(Value::to_string).collect();
    assert_eq!(unique.len(), all.len(), "no row twice");
    let past = answer(query(&env, &creds, "Tenant", "_page=99&_page_size=5").await).await;
    assert_eq!((past.status, past.json), (StatusCode::OK, json!([])));
    // Without _order_by the order is by id.
    let ids: Vec<&str> = all.iter().map(|r| r["id"].as_str().expect("id")).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

#[tokio::test]
async fn ordering_by_several_fields_with_descending_and_nulls() {
    let env = start(2).await;
    let (creds, ids) = known_tenants(&env).await;
    let a = answer(query(&env, &creds, "Tenant", "_order_by=last_name,-first_name").await).await;
    let order = positions_of(&a.json, &ids);
    // Anderberg, Berg (Bo before Anna: descending first name), Ek, Öberg, then the null last name.
    assert_eq!(order, vec![6, 3, 1, 2, 5, 4]);
    let a = answer(query(&env, &creds, "Tenant", "_order_by=-birth_date").await).await;
    let first = &a.json[0];
    assert_eq!(
        first["birth_date"],
        json!(null),
        "null first when descending"
    );
    assert_eq!(a.json[1]["birth_date"], "2000-12-31");
}

#[tokio::test]
async fn search_slim_statistics_and_json_lines() {
    let env = start(2).await;
    let (creds, ids) = known_tenants(&env).await;
    let a = answer(query(&env, &creds, "Tenant", "_search=BERG").await).await;
    assert_eq!(
        a.json.as_array().map(Vec::len),
        Some(4),
        "Berg, Berg, Öberg, Anderberg"
    );

    let a = answer(query(&env, &creds, "Tenant", "_slim=true&first_name=Anna").await).await;
    let row = a.json[0].as_object().expect("object");
    assert_eq!(row["id"], json!(ids[0]));
    assert!(
        row.values().all(|v| !v.is_null() && !v.is_array()),
        "{row:?}"
    );
    assert!(!row.contains_key("realestates"));

    let a = answer(
        query(
            &env,
            &creds,
            "Tenant",
            "_statistics=true&_page=1&_page_size=2&last_name__icontains=berg",
        )
        .await,
    )
    .await;
    assert_eq!(a.json.as_array().map(Vec::len), Some(2));
    assert_eq!(a.headers["x-total-count"], "4");

    let response = query(&env, &creds, "Tenant", "_jsonl=true&_order_by=birth_date").await;
    assert_eq!(response.headers()["content-type"], "application/jsonl");
    let text = response.text().await.expect("body");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let array = answer(query(&env, &creds, "Tenant", "_order_by=birth_date").await).await;
    assert_eq!(Value::Array(lines), array.json);
    assert!(text.ends_with('\n'));
}

#[tokio::test]
async fn json_lines_streams_a_large_table() {
    let env = start(3000).await;
    let creds = env.credentials();
    let mut response = query(&env, &creds, "Tenant", "_jsonl=true").await;
    let (mut chunks, mut rows) = (0, 0);
    let mut rest = Vec::new();
    while let Some(chunk) = response.chunk().await.expect("a chunk") {
        chunks += 1;
        rest.extend_from_slice(&chunk);
        while let Some(end) = rest.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = rest.drain(..=end).collect();
            let row: Value = serde_json::from_slice(&line).expect("a row");
            assert!(row["id"].is_string());
            rows += 1;
        }
    }
    assert_eq!(rows, 3000);
    assert!(rest.is_empty());
    assert!(chunks > 1, "sent in more than one chunk");
}

/// Every resource has `created_at`: filled on create, spread over years in the
/// seed (the tenants over more than two), filterable with the date-time operators (negated too) and orderable.
#[tokio::test]
async fn created_at_is_filterable_and_orderable_on_every_resource() {
    let env = start(60).await;
    for spec in pigello::resources::ALL {
        let all = env.all(spec.name).await;
        let mut stamps: Vec<&str> = all
            .iter()
            .map(|row| row["created_at"].as_str().expect("created_at"))
            .collect();
        assert!(!stamps.is_empty(), "{}", spec.name);
        stamps.sort();
        let (first, last) = (stamps[0], stamps[stamps.len() - 1]);
        let years = |s: &str| s[..4].parse::<i32>().expect("a year");
        if spec.name == "Tenant" {
            assert!(years(last) - years(first) >= 2, "{first}..{last}");
        }
        let middle = stamps[stamps.len() / 2];
        let q = encode(&[("created_at__gte", middle)]);
        let later = env.list(spec.name, &q).await;
        let q = encode(&[("created_at__gte!", middle)]);
        let earlier = env.list(spec.name, &q).await;
        let count = |a: &Answer| a.json.as_array().map(Vec::len).expect("rows");
        assert_eq!(
            count(&later),
            stamps.iter().filter(|s| **s >= middle).count()
        );
        assert_eq!(
            count(&later) + count(&earlier),
            stamps.len(),
            "{}",
            spec.name
        );
        assert!(count(&earlier) > 0 && count(&later) > 0, "{}", spec.name);

        let newest_first = env.list(spec.name, "_order_by=-created_at").await;
        assert_eq!(
            newest_first.json[0]["created_at"],
            json!(last),
            "{}",
            spec.name
        );
    }
    let made = env
        .post(&path("Workengagement", "collection"), json!({"name": "Ny"}))
        .await;
    let stamp = made.json["created_at"].as_str().expect("created_at");
    assert!(
        stamp.starts_with(&chrono::Utc::now().format("%Y-").to_string()),
        "{stamp}"
    );
}

#[tokio::test]
async fn a_list_served_from_stored_text_shows_every_write_at_once() {
    let env = start(30).await;
    let page = "_page=1&_page_size=30";
    let before = env.list("Tenant", page).await;
    let first = before.json[0].clone();
    let id = first["id"].as_str().expect("an id").to_owned();
    // Listed once (its text is kept), then written: the next list shows the write.
    let patched = env
        .patch(&path("Tenant", &id), json!({"first_name": "Ändrad \"x\""}))
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    let after = env.list("Tenant", page).await;
    assert_eq!(after.json[0]["first_name"], "Ändrad \"x\"");
    assert_eq!(
        after.json[1], before.json[1],
        "an unwritten row is as it was"
    );
    let lines = env.list("Tenant", &format!("{page}&_jsonl=true")).await;
    assert!(
        lines
            .text
            .lines()
            .next()
            .expect("a line")
            .contains("Ändrad \\\"x\\\"")
    );
    // Deleted: gone from the next list, and the count follows.
    let deleted = env.delete(&path("Tenant", &id)).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    let counted = env
        .list("Tenant", "_page=1&_page_size=30&_statistics=true")
        .await;
    assert_eq!(counted.json.as_array().expect("rows").len(), 29);
    assert_ne!(counted.json[0]["id"], first["id"]);
    // The body is a JSON array of exactly what the rows hold.
    assert_eq!(before.text.trim_start().as_bytes()[0], b'[');
    assert_eq!(serde_json::to_value(&after.json).expect("JSON"), after.json);
}

#[tokio::test]
async fn an_unfiltered_page_in_id_order_is_the_same_as_a_sorted_one() {
    let env = start(57).await;
    let skipped = env
        .list("Tenant", "_page=3&_page_size=20&_statistics=true")
        .await;
    // A filter every row passes takes the path that looks at every row.
    let sorted = env
        .list(
            "Tenant",
            "_page=3&_page_size=20&_statistics=true&_order_by=id&id__isnull=false",
        )
        .await;
    assert_eq!(skipped.json, sorted.json);
    assert_eq!(skipped.json.as_array().expect("rows").len(), 17);
    let past = env.list("Tenant", "_page=9&_page_size=20").await;
    assert_eq!(past.json, json!([]));
}
