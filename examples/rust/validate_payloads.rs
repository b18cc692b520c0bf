//! Builds sample payloads for the Accounts API, good and bad, and prints what the
//! validator says about each: nothing is sent anywhere.
//!
//! Run with `make demo` or `cargo run -p pigello --example validate_payloads`.

use pigello::prelude::*;
use pigello::validate::{validate_bulk, validate_create};
use serde_json::json;

fn report(title: &str, result: pigello::Result<serde_json::Value>) {
    println!("\n== {title}");
    match result {
        Ok(body) => println!("   ok, would send: {body}"),
        Err(Error::Validation(e)) => {
            let n = e.violations.len();
            println!(
                "   refused before sending ({n} violation{}):",
                if n == 1 { "" } else { "s" }
            );
            for v in &e.violations {
                println!(
                    "   - {:<28} {:<20} {}",
                    v.path.to_string(),
                    v.rule.code(),
                    v.message
                );
            }
        }
        Err(other) => println!("   error: {other}"),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tenant_id: Uuid = "497f6eca-6276-4993-bfeb-53cbbbba6f08".parse()?;

    report(
        "a protected identity for a tenant",
        ProtectedidentityCreate::new()
            .tenant(tenant_id)
            .first_name("Anna")
            .last_name("Svensson")
            .ssn("19811218-9876")
            .phone_number("+46701234567")
            .validated_json(),
    );

    report(
        "the same, with a mistyped personal number and both tenant and sub_tenant",
        ProtectedidentityCreate::new()
            .tenant(tenant_id)
            .sub_tenant(tenant_id)
            .ssn("19811218-9875")
            .email("anna.svensson@")
            .validated_json(),
    );

    report(
        "a tenant with no name at all",
        TenantCreate::new()
            .invoice_email("faktura@example.se")
            .gln13_number("7350053850018")
            .validated_json(),
    );

    report(
        "a work engagement of an organization user that ends before it starts",
        OrganizationuserworkengagementCreate::new(tenant_id, tenant_id)
            .start_date(Date::from_ymd_opt(2024, 3, 1).ok_or("date")?)
            .end_date(Date::from_ymd_opt(2024, 2, 29).ok_or("date")?)
            .validated_json(),
    );

    report(
        "a patch that clears every name of a tenant at once",
        TenantPatch::new()
            .clear_first_name()
            .clear_last_name()
            .clear_corporate_name()
            .validated_json(),
    );

    println!("\n== a bulk write of three subtenant-tenant connections, as JSON");
    let items = vec![
        json!({"sub_tenant": {"id": tenant_id}, "tenant": {"id": tenant_id}, "stakeholder_type": 1}),
        json!({"sub_tenant": {}, "tenant": {"id": tenant_id}, "stakeholder_type": 9}),
        json!({"tenant": {"id": tenant_id}, "stakeholder_type": 0, "custom_id": "x".repeat(129)}),
    ];
    for v in validate_bulk(&SUBTENANT_TENANT_CONNECTION, &items) {
        println!(
            "   - {:<28} {:<20} {}",
            v.path.to_string(),
            v.rule.code(),
            v.message
        );
    }

    println!("\n== a hostile body: numbers past int32 and the wrong types");
    let hostile = json!({"service_id": 5, "clashing_priority": 99_999_999_999_i64,
        "service_version_id": "not-a-uuid", "application_id": null});
    for v in validate_create(&INTEGRATION_USER_AGENT, &hostile) {
        println!(
            "   - {:<28} {:<20} {}",
            v.path.to_string(),
            v.rule.code(),
            v.message
        );
    }
    Ok(())
}
