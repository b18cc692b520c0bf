//! Requests per second the sandbox serves for a get and for a list of 100 rows,
//! beside a bare axum server answering the same bytes from memory: the ratio is
//! what the sandbox's own work (credentials, lookup, query parsing, filtering,
//! serialization) costs over the HTTP stack it stands on.
//!
//! `cargo run --release -p pigello-bench --bin sandbox_throughput [seconds] [clients]`
//!
//! The load generator runs in the same process, so on a small machine it
//! competes with the server for the cores: the figures are a floor.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use pigello_sandbox::{Sandbox, SandboxConfig};

async fn requests_per_second(
    url: String,
    headers: reqwest::header::HeaderMap,
    clients: usize,
    seconds: u64,
) -> f64 {
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("a client");
    // Warm the connections up first.
    for _ in 0..clients {
        let _ = http
            .get(&url)
            .send()
            .await
            .and_then(|r| r.error_for_status());
    }
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (http, url, done) = (http.clone(), url.clone(), done.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let response = http.get(&url).send().await.expect("an answer");
                    assert!(response.status().is_success(), "{}", response.status());
                    let _ = response.bytes().await.expect("a body");
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a client task");
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// A server that answers one path with fixed bytes, as fast as axum can.
async fn bare(body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!(
        "http://{}/fixed",
        listener.local_addr().expect("an address")
    );
    let body = Arc::new(body);
    let app = Router::new().route(
        "/fixed",
        get(move || {
            let body = body.clone();
            async move { ([("content-type", "application/json")], (*body).clone()) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::main]
async fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let seconds = args.first().copied().unwrap_or(5);
    let clients = args.get(1).copied().unwrap_or(16) as usize;
    let sandbox = Sandbox::start(SandboxConfig {
        tenants: 1000,
        ..Default::default()
    })
    .await
    .expect("a sandbox");
    let headers: reqwest::header::HeaderMap = sandbox
        .credentials()
        .headers()
        .map(|(h, v)| (h.parse().expect("a name"), v.parse().expect("a value")))
        .collect();
    let http = reqwest::Client::builder()
        .default_headers(headers.clone())
        .build()
        .expect("a client");
    let list_url = format!(
        "{}/accounts/users/customer/tenant/list/?_page=1&_page_size=100",
        sandbox.url()
    );
    let list_body = http
        .get(&list_url)
        .send()
        .await
        .expect("list")
        .bytes()
        .await
        .expect("body");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&list_body).expect("rows");
    assert_eq!(rows.len(), 100);
    let id = rows[0]["id"].as_str().expect("an id").to_owned();
    let get_url = format!("{}/accounts/users/customer/tenant/{id}/", sandbox.url());
    let get_body = http
        .get(&get_url)
        .send()
        .await
        .expect("get")
        .bytes()
        .await
        .expect("body");

    println!(
        "sandbox throughput, {clients} concurrent keep-alive clients, {seconds} s per case, 1000 seeded tenants"
    );
    println!(
        "{:<28} {:>12} {:>14} {:>8}",
        "case", "sandbox rps", "bare axum rps", "ratio"
    );
    for (case, url, body) in [
        ("get one tenant", get_url, get_body),
        ("list 100 tenants", list_url, list_body),
    ] {
        let ours = requests_per_second(url, headers.clone(), clients, seconds).await;
        let baseline =
            requests_per_second(bare(body.to_vec()).await, headers.clone(), clients, seconds).await;
        println!(
            "{case:<28} {ours:>12.0} {baseline:>14.0} {:>8.2}",
            ours / baseline
        );
    }
    sandbox.stop().await.expect("stops");
}
