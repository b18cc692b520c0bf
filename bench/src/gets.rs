//! One side of the Rust gets pair, run by bench/python/run.py in a process of
//! its own so that the peak memory it reads is this side's alone:
//!
//! - `pigello`: the typed `client.tenants().get(id)`;
//! - `pigello-otel`: the same, in an application that exports its `tracing`
//!   spans to OpenTelemetry (`tracing-opentelemetry` over the SDK's tracer,
//!   whose spans go to an exporter that drops them) and registered the W3C
//!   propagator: each attempt is a span, and sends its `traceparent`;
//! - `reqwest`: a bare reqwest client and serde_json into a struct of the three
//!   fields read, the floor: no checks, no retries, no typed times.
//!
//! `gets SIDE BASE_URL IDS_FILE`
//!
//! Prints the seconds the gets took as its first line, then
//! `id<TAB>first_name<TAB>last_name` per get for the driver to check. Building
//! the client and one warm-up get (which opens the connection) are outside the
//! timing.

use std::io::Write;
use std::time::Instant;

use pigello::model::Uuid;
use pigello::{Client, Credentials};
use serde::Deserialize;

const CUSTOMER: &str = "00000000-0000-4000-8000-000000000001";

/// What a user decodes for the fields they read; serde skips the rest.
#[derive(Deserialize)]
struct Picked {
    id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    created_at: Option<String>,
}

type Row = (String, Option<String>, Option<String>, bool);

async fn pigello_gets(base: &str, ids: &[String]) -> (f64, Vec<Row>) {
    // The sandbox takes any non-empty credentials; the customer id picks the seeded world.
    let credentials = Credentials::from_lookup(|name| {
        Some(match name {
            "PIGELLO_CUSTOMER_ID" => CUSTOMER.to_owned(),
            _ => "bench".to_owned(),
        })
    })
    .expect("credentials");
    let client = Client::builder()
        .base_url(base)
        .credentials(credentials)
        .build()
        .expect("a client");
    let tenants = client.tenants();
    let ids: Vec<Uuid> = ids.iter().map(|id| id.parse().expect("a uuid")).collect();
    tenants.get(ids[0]).await.expect("the warm-up get");
    let started = Instant::now();
    let mut rows = Vec::with_capacity(ids.len());
    for id in &ids {
        let t = tenants.get(*id).await.expect("a tenant");
        rows.push((
            t.id.to_string(),
            t.first_name,
            t.last_name,
            t.created_at.is_some(),
        ));
    }
    (started.elapsed().as_secs_f64(), rows)
}

async fn reqwest_gets(base: &str, ids: &[String]) -> (f64, Vec<Row>) {
    let headers: reqwest::header::HeaderMap = [
        "CUSTOMER-ID",
        "APPLICATION-ID",
        "SERVICE-ID",
        "SERVICE-VERSION-ID",
        "CLIENT-CT",
        "CLIENT-ENTITY",
        "CLIENT-SECRET",
    ]
    .iter()
    .map(|name| {
        let value = if *name == "CUSTOMER-ID" {
            CUSTOMER
        } else {
            "bench"
        };
        (
            format!("X-PIGELLO-{name}").parse().expect("a name"),
            value.parse().expect("a value"),
        )
    })
    .collect();
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("a client");
    let get = |id: &str| {
        let request = http.get(format!("{base}/accounts/users/customer/tenant/{id}/"));
        async move {
            let answer = request
                .send()
                .await
                .and_then(|a| a.error_for_status())
                .expect("an answer");
            let body = answer.bytes().await.expect("a body");
            serde_json::from_slice::<Picked>(&body).expect("a tenant")
        }
    };
    get(&ids[0]).await;
    let started = Instant::now();
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        let t = get(id).await;
        rows.push((t.id, t.first_name, t.last_name, t.created_at.is_some()));
    }
    (started.elapsed().as_secs_f64(), rows)
}

/// This process's own peak resident set (VmHWM): the kernel's figure for a
/// child (wait4's ru_maxrss) also counts the parent's memory at the fork.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

/// The spans an application exports, dropped: the cost measured is the
/// spans' and the headers', not an exporter's.
#[derive(Debug)]
struct Dropped;

impl opentelemetry_sdk::trace::SpanExporter for Dropped {
    fn export(
        &self,
        _batch: Vec<opentelemetry_sdk::trace::SpanData>,
    ) -> impl std::future::Future<Output = opentelemetry_sdk::error::OTelSdkResult> {
        std::future::ready(Ok(()))
    }
}

/// Sets up OpenTelemetry as an application does: the SDK's tracer behind
/// `tracing`, and the W3C propagator.
fn with_opentelemetry() {
    use opentelemetry::trace::TracerProvider as _;
    use tracing_subscriber::prelude::*;

    let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder()
        .with_simple_exporter(Dropped)
        .build();
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("bench"));
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
        .expect("the only subscriber");
    opentelemetry::global::set_text_map_propagator(
        opentelemetry_sdk::propagation::TraceContextPropagator::new(),
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [side, base, ids_file] = args.as_slice() else {
        panic!("usage: gets pigello|pigello-otel|reqwest BASE_URL IDS_FILE");
    };
    let text = std::fs::read_to_string(ids_file).expect("the ids file");
    let ids: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    let (seconds, rows) = match side.as_str() {
        "pigello" => pigello_gets(base, &ids).await,
        "pigello-otel" => {
            with_opentelemetry();
            pigello_gets(base, &ids).await
        }
        "reqwest" => reqwest_gets(base, &ids).await,
        other => panic!("no side {other}"),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "{{\"seconds\": {seconds}, \"peak_kib\": {}}}",
        peak_kib()
    )
    .expect("stdout");
    for (id, first, last, _) in rows {
        let (first, last) = (first.unwrap_or_default(), last.unwrap_or_default());
        writeln!(out, "{id}\t{first}\t{last}").expect("stdout");
    }
    out.flush().expect("stdout");
}
