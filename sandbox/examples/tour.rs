//! A tour of the sandbox over plain HTTP: a page of tenants, a filtered list,
//! a write it accepts, writes it refuses, and a fault that makes a naive retry
//! dangerous. Run by `make demo`.

use pigello_sandbox::{FaultAction, FaultSpec, Sandbox, SandboxConfig};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

const TENANTS: &str = "/accounts/users/customer/tenant/";
const IDENTITIES: &str = "/accounts/users/customer/protectedidentity/";

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("-")
}

fn print_tenants(rows: &[Value]) {
    println!("  id        name                    ssn            invoice_email");
    for t in rows {
        let name = match (t["first_name"].as_str(), t["last_name"].as_str()) {
            (Some(f), Some(l)) => format!("{f} {l}"),
            _ => text(&t["corporate_name"]).to_owned(),
        };
        let id = &text(&t["id"])[..8];
        println!(
            "  {id:<8}  {name:<22}  {:<13}  {}",
            text(&t["ssn"]),
            text(&t["invoice_email"])
        );
    }
}

fn print_errors(answer: &Value) {
    for e in answer["errors"].as_array().into_iter().flatten() {
        println!(
            "    {:<12} {:<20} {}",
            text(&e["field"]),
            text(&e["code"]),
            text(&e["message"])
        );
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start(SandboxConfig {
        seed: 1,
        tenants: 50,
        ..Default::default()
    })
    .await?;
    let url = sandbox.url();
    let headers: HeaderMap = sandbox
        .credentials()
        .headers()
        .map(|(h, v)| Ok((h.parse()?, v.parse()?)))
        .collect::<Result<_, Box<dyn std::error::Error>>>()?;
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()?;
    println!("sandbox listening on {url} (seed 1, 50 tenants)\n");

    let page: Vec<Value> = http
        .get(format!(
            "{url}{TENANTS}list/?_order_by=last_name,first_name&_page=1&_page_size=5"
        ))
        .send()
        .await?
        .json()
        .await?;
    println!("GET {TENANTS}list/?_order_by=last_name,first_name&_page=1&_page_size=5");
    print_tenants(&page);

    let query = "last_name__istartswith!=a&birth_date__gte=1990-01-01&_order_by=-birth_date&_statistics=true&_page=1&_page_size=3";
    let response = http
        .get(format!("{url}{TENANTS}list/?{query}"))
        .send()
        .await?;
    let total = response
        .headers()
        .get("x-total-count")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("?")
        .to_owned();
    let rows: Vec<Value> = response.json().await?;
    println!(
        "\nGET {TENANTS}list/?{query}\n  {total} tenants born 1990 or later whose last name does not start with A; the youngest three:"
    );
    print_tenants(&rows);

    let tenant = &page[0];
    let body =
        json!({"tenant": {"id": tenant["id"]}, "first_name": "Skyddad", "ssn": "19811218-9876"});
    let created = http
        .post(format!("{url}{IDENTITIES}"))
        .json(&body)
        .send()
        .await?;
    println!(
        "\nPOST {IDENTITIES} for tenant {}: {}",
        &text(&tenant["id"])[..8],
        created.status()
    );
    let again = http
        .post(format!("{url}{IDENTITIES}"))
        .json(&body)
        .send()
        .await?;
    println!("POST the same again: {}", again.status());
    print_errors(&again.json().await?);

    let bad = json!({"tenant": {"id": tenant["id"]}, "sub_tenant": {"id": tenant["id"]}, "ssn": "19811218-9875"});
    let refused = http
        .post(format!("{url}{IDENTITIES}"))
        .json(&bad)
        .send()
        .await?;
    println!(
        "\nPOST a body with both tenant and sub_tenant and a bad check digit: {}",
        refused.status()
    );
    print_errors(&refused.json().await?);

    sandbox.inject_fault(
        FaultSpec::new(Some("POST"), TENANTS, FaultAction::DropAfterWrite).times(1),
    )?;
    let count = |rows: Vec<Value>| rows.len();
    let before = count(
        http.get(format!("{url}{TENANTS}list/"))
            .send()
            .await?
            .json()
            .await?,
    );
    let dropped = http
        .post(format!("{url}{TENANTS}"))
        .json(&json!({"first_name": "Dubbel"}))
        .send()
        .await;
    let after = count(
        http.get(format!("{url}{TENANTS}list/"))
            .send()
            .await?
            .json()
            .await?,
    );
    println!(
        "\nfault drop_after_write on POST {TENANTS}: the call {}, yet tenants went from {before} to {after}.\n  A retry that is not idempotent would now create a second one.",
        if dropped.is_err() {
            "failed with a dropped connection"
        } else {
            "unexpectedly succeeded"
        },
    );
    sandbox.stop().await?;
    Ok(())
}
