//! List queries from the client: checked before sending, walked page by page
//! without loss or repetition, and streamed as JSON lines.

mod sandbox;

use futures_util::{StreamExt, TryStreamExt};
use pigello::description::Operator;
use pigello::prelude::*;
use sandbox::*;

const TENANT_LIST: &str = "/accounts/users/customer/tenant/list/";

#[tokio::test]
async fn a_bad_query_is_refused_before_anything_is_sent() {
    let (sandbox, client) = start(5).await;
    sandbox.inject_fault(counter("GET", "*")).expect("rule");
    let built = client
        .tenants()
        .query()
        .filter("shoe_size", 42)
        .filter("birth_date__icontains", "19")
        .filter("birth_date__gt", "yesterday")
        .order_by("nope")
        .page(0, 10)
        .build();
    let Err(Error::Query { resource, problems }) = built else {
        panic!("expected a query error, got {built:?}");
    };
    assert_eq!(resource, "Tenant");
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.param.as_str(), p.code))
        .collect();
    assert_eq!(
        found,
        vec![
            ("shoe_size", "unknown_filter"),
            ("birth_date__icontains", "unsupported_operator"),
            ("birth_date__gt", "invalid_value"),
            ("_order_by", "unknown_order_field"),
            ("_page", "minimum"),
        ]
    );
    // A resource whose filter list is complete refuses anything else.
    let segment = client
        .organization_user_segments()
        .query()
        .filter("first_name", "x")
        .build();
    assert!(segment.is_err());
    assert_eq!(sandbox.fault_hits(), vec![0], "nothing was sent");
}

#[tokio::test]
async fn iterate_walks_every_page_once_with_filters_and_ordering() {
    let (sandbox, client) = start(60).await;
    let tenants = client.tenants();
    let query = tenants
        .query()
        .filter("last_name__isnull", false)
        .exclude("last_name", Operator::Istartswith, "a")
        .order_by("last_name")
        .order_by_desc("birth_date")
        .build()
        .expect("a query");
    let everything = tenants.list(&query).await.expect("one list").rows;
    assert!(everything.len() > 20, "{}", everything.len());

    sandbox
        .inject_fault(counter("GET", TENANT_LIST))
        .expect("rule");
    let walked: Vec<Tenant> = tenants
        .iterate(query.clone(), Some(7))
        .try_collect()
        .await
        .expect("iterate");
    let ids = |rows: &[Tenant]| rows.iter().map(|t| t.id).collect::<Vec<_>>();
    let unique: std::collections::HashSet<_> = walked.iter().map(|t| t.id).collect();
    assert_eq!(unique.len(), walked.len(), "no row twice");
    let mut expected = ids(&everything);
    expected.sort();
    let mut got = ids(&walked);
    got.sort();
    assert_eq!(got, expected, "no row lost");
    assert!(
        walked.windows(2).all(|w| w[0].last_name <= w[1].last_name),
        "ordered"
    );
    assert!(walked.iter().all(|t| {
        !t.last_name
            .as_deref()
            .unwrap_or("")
            .to_lowercase()
            .starts_with('a')
    }));
    let pages = walked.len().div_ceil(7) + usize::from(walked.len().is_multiple_of(7));
    assert_eq!(
        sandbox.fault_hits(),
        vec![pages as u64],
        "one request per page, stopping at the first short page"
    );
}

#[tokio::test]
async fn one_page_with_statistics() {
    let (_sandbox, client) = start(30).await;
    let tenants = client.tenants();
    let q = tenants
        .query()
        .filter("first_name__isnull", false)
        .statistics(true)
        .page(2, 5)
        .build()
        .expect("q");
    let page = tenants.list(&q).await.expect("a page");
    assert_eq!(page.rows.len(), 5);
    let everyone = tenants
        .query()
        .filter("first_name__isnull", false)
        .build()
        .expect("q");
    assert_eq!(
        page.total,
        Some(tenants.list(&everyone).await.expect("all").rows.len() as u64)
    );
    assert!(page.request_id.is_some());
}

#[tokio::test]
async fn stream_reads_json_lines_row_by_row() {
    let (_sandbox, client) = start(2500).await;
    let tenants = client.tenants();
    let query = tenants
        .query()
        .filter("ssn__isnull", false)
        .order_by("birth_date")
        .build()
        .expect("q");
    let mut stream = tenants.stream(query.clone()).boxed();
    let mut streamed = Vec::new();
    while let Some(row) = stream.next().await {
        streamed.push(row.expect("a row").id);
    }
    let paged: Vec<Uuid> = tenants
        .iterate(query, Some(500))
        .map_ok(|t| t.id)
        .try_collect()
        .await
        .expect("pages");
    assert!(streamed.len() > 1500);
    assert_eq!(streamed, paged, "the same rows in the same order");
}
