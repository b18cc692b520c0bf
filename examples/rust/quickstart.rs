//! Quickstart in Rust: a get, a filtered list, every page as a stream, and a
//! create refused before it is sent. Against the API when the PIGELLO_*
//! credentials are set (it only reads there); else against a local sandbox.
//!
//!     cargo run -p pigello --example quickstart

use futures_util::TryStreamExt;
use pigello::prelude::*;
use pigello_sandbox::{Sandbox, SandboxConfig};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = match std::env::var_os("PIGELLO_CUSTOMER_ID") {
        Some(_) => None,
        None => Some(
            Sandbox::start(SandboxConfig {
                tenants: 40,
                ..Default::default()
            })
            .await?,
        ),
    };
    let client = match &sandbox {
        Some(sb) => Client::builder()
            .base_url(sb.url())
            .credentials(sb.credentials())
            .build()?,
        None => Client::from_env()?,
    };
    let tenants = client.tenants();

    // A filter as the API spells it (`ssn__isnull!` would negate it), checked before it is sent.
    let query = tenants
        .query()
        .filter("ssn__isnull", false)
        .order_by_desc("birth_date")
        .page(1, 5)
        .build()?;
    let page = tenants.list(&query).await?;
    for t in &page.rows {
        let name = format!(
            "{} {}",
            t.first_name.as_deref().unwrap_or(""),
            t.last_name.as_deref().unwrap_or("")
        );
        let born = t.birth_date.map(|d| d.to_string()).unwrap_or_default();
        println!("{}  {name}  born {born}", t.id);
    }

    let first = tenants.get(page.rows[0].id).await?;
    println!(
        "got {}: invoices to {}",
        first.id,
        first.invoice_email.as_deref().unwrap_or("-")
    );

    let companies: Vec<Tenant> = tenants
        .iterate(
            tenants.query().filter("ssn__isnull", true).build()?,
            Some(10),
        )
        .try_collect()
        .await?;
    println!("{} companies, fetched 10 a page", companies.len());

    let refused = ProtectedidentityCreate::new()
        .tenant(first.id)
        .ssn("19811218-9875");
    match client.protected_identities().create(&refused).await {
        Err(Error::Validation(error)) => {
            println!("refused before sending:");
            for v in &error.violations {
                println!("  {}: {}", v.path.as_str(), v.message);
            }
        }
        other => return Err(format!("expected a validation error, got {other:?}").into()),
    }

    if let Some(sb) = sandbox {
        sb.stop().await?;
    }
    Ok(())
}
