//! Peak memory of exporting every tenant, three ways, each in its own process:
//!
//! - `stream`: `Handle::stream` (`_jsonl=true`), one row decoded at a time;
//! - `iterate`: `Handle::iterate`, one page of 500 rows at a time;
//! - `collect`: what a user would otherwise write, one list call decoded into a
//!   `Vec` (the baseline).
//!
//! `cargo run --release -p pigello-bench --bin export_memory [tenants] [base URL]`
//!
//! The sandbox runs in a separate process (this binary with `--serve`, or the
//! one at the base URL given, which must hold `tenants` tenants), so its memory
//! is not counted. Peak memory is the client process's `VmHWM`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use futures_util::StreamExt;
use pigello::{Client, Credentials};
use pigello_sandbox::{FIRST_CUSTOMER, Sandbox, SandboxConfig};

/// The process's peak resident memory, in KiB (Linux).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

async fn serve(tenants: usize) {
    let sandbox = Sandbox::start(SandboxConfig {
        tenants,
        ..Default::default()
    })
    .await
    .expect("a sandbox");
    println!("{}", sandbox.url());
    let _ = tokio::signal::ctrl_c().await;
}

async fn export(way: &str, url: &str) {
    // The sandbox takes any non-empty credentials; the customer id picks the seeded world.
    let credentials = Credentials::from_lookup(|name| {
        Some(match name {
            "PIGELLO_CUSTOMER_ID" => FIRST_CUSTOMER.to_string(),
            _ => "bench".to_owned(),
        })
    })
    .expect("credentials");
    let client = Client::builder()
        .base_url(url)
        .credentials(credentials)
        .build()
        .expect("a client");
    let tenants = client.tenants();
    let query = tenants.query().build().expect("a query");
    let started = Instant::now();
    let rows = match way {
        "stream" => {
            let mut rows = 0usize;
            let mut stream = tenants.stream(query).boxed();
            while let Some(row) = stream.next().await {
                row.expect("a row");
                rows += 1;
            }
            rows
        }
        "iterate" => {
            let mut rows = 0usize;
            let mut stream = tenants.iterate(query, Some(500)).boxed();
            while let Some(row) = stream.next().await {
                row.expect("a row");
                rows += 1;
            }
            rows
        }
        _ => tenants.list(&query).await.expect("one list").rows.len(),
    };
    println!("{rows} {} {}", started.elapsed().as_millis(), peak_kib());
}

fn measure(way: &str, url: &str) -> (usize, u64, u64) {
    let out = Command::new(std::env::current_exe().expect("this binary"))
        .args(["--export", way, url])
        .output()
        .expect("the client process runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<u64> = text
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    assert_eq!(fields.len(), 3, "unexpected output: {text}");
    (fields[0] as usize, fields[1], fields[2])
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--serve") => {
            return serve(args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100_000)).await;
        }
        Some("--export") => return export(&args[1], &args[2]).await,
        _ => {}
    }
    let tenants: usize = args.first().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let (url, mut server) = match args.get(1) {
        Some(url) => (url.clone(), None),
        None => {
            let mut server = Command::new(std::env::current_exe().expect("this binary"))
                .args(["--serve", &tenants.to_string()])
                .stdout(Stdio::piped())
                .spawn()
                .expect("the sandbox process starts");
            let mut url = String::new();
            BufReader::new(server.stdout.take().expect("stdout"))
                .read_line(&mut url)
                .expect("the sandbox's URL");
            (url.trim().to_owned(), Some(server))
        }
    };

    println!("export of {tenants} tenants; peak memory (VmHWM) of the client process");
    println!(
        "{:<46} {:>8} {:>10} {:>12} {:>8}",
        "way", "rows", "time ms", "peak MiB", "ratio"
    );
    let (_, _, baseline) = measure("collect", &url);
    for (way, label) in [
        ("collect", "one list call into a Vec (baseline)"),
        ("iterate", "Handle::iterate, pages of 500"),
        ("stream", "Handle::stream, JSON lines"),
    ] {
        let (rows, ms, peak) = measure(way, &url);
        assert_eq!(rows, tenants, "{label}: {rows} rows, not {tenants}");
        println!(
            "{label:<46} {rows:>8} {ms:>10} {:>12.1} {:>8.2}",
            peak as f64 / 1024.0,
            peak as f64 / baseline as f64
        );
    }
    if let Some(server) = server.as_mut() {
        let _ = server.kill();
        let _ = server.wait();
    }
}
