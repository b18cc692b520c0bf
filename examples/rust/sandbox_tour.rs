//! A tour of the SDK against the local sandbox: a page of tenants, a filtered
//! list, a write the server accepts, writes refused (by the SDK before sending,
//! and by the server), and a lost answer that the SDK refuses to retry blindly.
//! Run by `make demo`.

use pigello::client::ApiError;
use pigello::prelude::*;
use pigello_sandbox::{FaultAction, FaultSpec, Sandbox, SandboxConfig};

fn print_tenants(rows: &[Tenant]) {
    println!("  id        name                    ssn            invoice_email");
    for t in rows {
        let name = match (&t.first_name, &t.last_name) {
            (Some(f), Some(l)) => format!("{f} {l}"),
            _ => t.corporate_name.clone().unwrap_or_default(),
        };
        let id = &t.id.to_string()[..8];
        let ssn = t.ssn.as_deref().unwrap_or("-");
        let email = t.invoice_email.as_deref().unwrap_or("-");
        println!("  {id:<8}  {name:<22}  {ssn:<13}  {email}");
    }
}

fn print_problems(error: &Error) {
    match error {
        Error::Validation(v) => {
            for v in &v.violations {
                println!(
                    "    {:<12} {:<20} {}",
                    v.path.as_str(),
                    v.rule.code(),
                    v.message
                );
            }
        }
        Error::Api(api) => {
            let ApiError { status, errors, .. } = api.as_ref();
            println!("    (the server answered {status})");
            for e in errors {
                println!("    {:<12} {:<20} {}", e.field, e.code, e.message);
            }
        }
        other => println!("    {other}"),
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
    let client = Client::builder()
        .base_url(sandbox.url())
        .credentials(sandbox.credentials())
        .build()?;
    println!(
        "sandbox listening on {} (seed 1, 50 tenants)\n",
        sandbox.url()
    );
    let tenants = client.tenants();

    let query = tenants
        .query()
        .order_by("last_name")
        .order_by("first_name")
        .page(1, 5)
        .build()?;
    println!(
        "tenants, ordered by name, first page of 5 ({})",
        query.to_query_string()
    );
    let page = tenants.list(&query).await?;
    print_tenants(&page.rows);

    let query = tenants
        .query()
        .filter("last_name__istartswith!", "a")
        .filter(
            "birth_date__gte",
            chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default(),
        )
        .order_by_desc("birth_date")
        .statistics(true)
        .page(1, 3)
        .build()?;
    let young = tenants.list(&query).await?;
    println!(
        "\nborn 1990 or later, last name not starting with A: {} in all; the youngest three",
        young.total.unwrap_or_default()
    );
    print_tenants(&young.rows);

    let tenant = page.rows[0].id;
    let identities = client.protected_identities();
    let identity = ProtectedidentityCreate::new()
        .tenant(tenant)
        .first_name("Skyddad")
        .ssn("19811218-9876");
    let created = identities.create(&identity).await?;
    println!(
        "\ncreated protected identity {} for tenant {}",
        &created.id.to_string()[..8],
        &tenant.to_string()[..8]
    );

    let bad = ProtectedidentityCreate::new()
        .tenant(tenant)
        .sub_tenant(tenant)
        .ssn("19811218-9875");
    let refused = identities
        .create(&bad)
        .await
        .expect_err("refused before sending");
    println!(
        "\nboth tenant and sub_tenant, and a bad check digit: refused by the SDK, nothing sent"
    );
    print_problems(&refused);
    let again = identities
        .create(&identity)
        .await
        .expect_err("refused by the server");
    println!("\nthe same identity again: refused by the server (only it knows what is stored)");
    print_problems(&again);

    let updated = identities
        .update(
            created.id,
            &ProtectedidentityPatch::new().clear_ssn().last_name("Ek"),
        )
        .await?;
    println!(
        "\nupdated: last name {:?}, ssn cleared: {}",
        updated.last_name.unwrap_or_default(),
        updated.ssn.is_none()
    );
    identities.delete(created.id).await?;
    println!("deleted {}", &created.id.to_string()[..8]);

    sandbox
        .inject_fault(
            FaultSpec::new(
                Some("POST"),
                "/accounts/users/customer/tenant/",
                FaultAction::DropAfterWrite,
            )
            .times(1),
        )
        .map_err(std::io::Error::other)?;
    let before = tenants.list(&tenants.query().build()?).await?.rows.len();
    let lost = tenants
        .create(&TenantCreate::new().first_name("Dubbel"))
        .await
        .expect_err("no answer");
    let after = tenants.list(&tenants.query().build()?).await?.rows.len();
    println!("\nthe server stores a new tenant but the connection drops before it answers:");
    println!("    {lost}");
    println!("    tenants: {before} before, {after} after; the SDK did not send it twice");
    sandbox.stop().await?;
    Ok(())
}
