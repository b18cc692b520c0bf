//! The Rust worker of the soak (`soak/soak.py`): N mixed operations with one
//! client, each written to a ledger as JSON lines: what was asked, what the
//! client reported, how long it took.
//!
//!     soak-worker URL N SEED SECRET LEDGER

use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use futures_util::{FutureExt, TryStreamExt};
use pigello::client::{Query, RawHandle};
use pigello::{Client, Credentials, Error};
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(1);

/// A small seeded generator (xorshift64*), so a run can be replayed.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn index(&mut self, len: usize) -> usize {
        ((self.unit() * len as f64) as usize).min(len.saturating_sub(1))
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, ops, seed, secret, ledger] = args.as_slice() else {
        return Err("usage: soak-worker URL N SEED SECRET LEDGER".into());
    };
    let credentials = Credentials::new(
        "00000000-0000-4000-8000-000000000001",
        "a",
        "s",
        "v",
        "c",
        "o",
        secret.as_str(),
    );
    let client = Client::builder()
        .credentials(credentials)
        .base_url(url.clone())
        .timeout(TIMEOUT)
        .max_retries(2)
        .build()?;
    let tenants = client.resource(&pigello::resources::TENANT);
    let mut rng = Rng(seed.parse::<u64>()?.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut own: Vec<String> = Vec::new();
    let mut out = std::io::BufWriter::new(std::fs::File::create(ledger)?);
    for n in 0..ops.parse::<usize>()? {
        let mut entry = json!({ "n": n });
        let started = Instant::now();
        let outcome = AssertUnwindSafe(step(&tenants, &mut rng, &mut own, n, &mut entry))
            .catch_unwind()
            .await;
        match outcome {
            Ok(Ok(())) => entry["status"] = json!("done"),
            Ok(Err(e)) => {
                let status = if e.outcome_unknown() {
                    "unknown"
                } else {
                    "failed"
                };
                entry["status"] = json!(status);
                entry["error"] = json!(e.class_name());
                entry["text"] = json!(format!("{e}\n{e:?}"));
            }
            Err(_) => {
                entry["status"] = json!("unknown");
                entry["error"] = json!("panic");
                entry["untyped"] = json!(true);
            }
        }
        entry["s"] = json!(started.elapsed().as_secs_f64());
        writeln!(out, "{entry}")?;
    }
    out.flush()?;
    Ok(())
}

/// One operation, chosen by `rng`, recorded in `entry` before it is sent.
async fn step(
    tenants: &RawHandle,
    rng: &mut Rng,
    own: &mut Vec<String>,
    n: usize,
    entry: &mut Value,
) -> Result<(), Error> {
    let prefix = "soak-rust-";
    let roll = rng.unit();
    if roll < 0.2 || own.is_empty() {
        let marker = format!("{prefix}{n}");
        entry["op"] = json!("create");
        entry["markers"] = json!([marker]);
        let made = tenants
            .create(&json!({"first_name": marker, "last_name": "v0"}))
            .await?;
        let id = made["id"].as_str().unwrap_or_default().to_owned();
        entry["ids"] = json!([id]);
        own.push(id);
    } else if roll < 0.4 {
        let target = own[rng.index(own.len())].clone();
        entry["op"] = json!("update");
        entry["updates"] = json!([[target, format!("v{n}")]]);
        let id = tenants.parse_id(&target)?;
        tenants
            .update(id, &json!({"last_name": format!("v{n}")}))
            .await?;
    } else if roll < 0.5 && own.len() > 1 {
        let target = own.remove(rng.index(own.len()));
        entry["op"] = json!("delete");
        entry["id"] = json!(target);
        tenants.delete(tenants.parse_id(&target)?).await?;
    } else if roll < 0.7 {
        entry["op"] = json!("get");
        let id = tenants.parse_id(&own[rng.index(own.len())])?;
        tenants.get(id).await?;
    } else if roll < 0.8 {
        entry["op"] = json!("list");
        let query = Query::new(tenants.spec())
            .filter("first_name__startswith", prefix)
            .page(1, 20)
            .build()?;
        tenants.list(&query).await?;
    } else if roll < 0.85 {
        // The creates of the last hundred or so operations: few pages however
        // long the soak runs (see `recent` in soak.py).
        entry["op"] = json!("iterate");
        let query = Query::new(tenants.spec())
            .filter("first_name__startswith", format!("{prefix}{}", n / 100))
            .build()?;
        let rows: Vec<Value> = tenants.iterate(query, Some(50)).try_collect().await?;
        entry["pages"] = json!(rows.len() / 50 + 1);
    } else if roll < 0.95 {
        let markers = [format!("{prefix}{n}-a"), format!("{prefix}{n}-b")];
        let target = own[rng.index(own.len())].clone();
        entry["op"] = json!("bulk");
        entry["markers"] = json!(markers);
        entry["updates"] = json!([[target, format!("v{n}")]]);
        let written = tenants
            .bulk_write_json(vec![
                json!({"first_name": markers[0], "last_name": "v0"}),
                json!({"first_name": markers[1], "last_name": "v0"}),
                json!({"id": target, "last_name": format!("v{n}")}),
            ])
            .await?;
        let ids: Vec<String> = written[..2]
            .iter()
            .map(|row| row["id"].as_str().unwrap_or_default().to_owned())
            .collect();
        entry["ids"] = json!(ids);
        own.extend(ids);
    } else {
        entry["op"] = json!("invite");
        tenants
            .invite(&json!({"email": format!("soak{n}@example.se")}))
            .await?;
    }
    Ok(())
}
