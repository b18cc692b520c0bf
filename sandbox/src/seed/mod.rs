//! The seeded world: a deterministic, realistic, rule-valid set of objects for
//! two customers. Every object is written through the same checked path as an
//! API call, so the world obeys every documented rule by construction.
//!
//! The first customer (`00000000-0000-4000-8000-000000000001`) gets the asked
//! number of tenants and a few rows of every other resource; the second
//! (`…-000000000002`) a fifth as many tenants (at least one). Each customer's
//! objects are created over five years from 2020-01-02T08:00:00Z, in order, a
//! seeded number of minutes apart, so a date filter on `created_at` picks some
//! of them whatever the world's size.

mod names;
mod numbers;

use chrono::{DateTime, Duration, Utc};
use pigello::description::ResourceSpec;
use pigello::resources as r;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::config::{FIRST_CUSTOMER, SECOND_CUSTOMER, SandboxConfig};
use crate::error::ApiError;
use crate::externals;
use crate::rng::Rng;
use crate::store::Store;

/// A store holding the seeded world for this configuration.
pub fn build(config: &SandboxConfig) -> Result<Store, ApiError> {
    let mut store = Store::new(config.seed);
    let mut seeder = Seeder {
        store: &mut store,
        rng: Rng::derived(config.seed, "world"),
        clock: START,
        step_max: 1,
        customer: FIRST_CUSTOMER,
    };
    seeder.world(config.tenants)?;
    seeder.customer = SECOND_CUSTOMER;
    seeder.world((config.tenants / 5).max(1))?;
    Ok(store)
}

/// When the first object of a customer is created (2020-01-02T08:00:00Z).
const START: DateTime<Utc> = match DateTime::from_timestamp(1_577_952_000, 0) {
    Some(start) => start,
    None => DateTime::UNIX_EPOCH,
};

/// How long a customer's objects take to be created, in minutes (five years).
const SPAN_MINUTES: i64 = 5 * 365 * 24 * 60;

struct Seeder<'a> {
    store: &'a mut Store,
    rng: Rng,
    clock: DateTime<Utc>,
    /// The most minutes between two objects: twice the mean gap that spreads
    /// one customer's objects over the span.
    step_max: i64,
    customer: Uuid,
}

fn rel(id: Uuid) -> Value {
    json!({ "id": id })
}

impl Seeder<'_> {
    fn write(&mut self, spec: &'static ResourceSpec, body: Value) -> Result<Uuid, ApiError> {
        self.clock += Duration::minutes(self.rng.between(1, self.step_max));
        let now = self
            .clock
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let object = self.store.create(self.customer, spec, &body, &now)?;
        object
            .get("id")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::try_parse(s).ok())
            .ok_or_else(|| ApiError::invalid("a seeded object has no id", Vec::new()))
    }

    fn external(&mut self, kind: &str) -> Value {
        let ids = externals::ids(kind);
        rel(*self.rng.pick(&ids))
    }

    fn person(&mut self) -> (String, String, String) {
        let first = (*self.rng.pick(names::FIRST_NAMES)).to_owned();
        let last = (*self.rng.pick(names::LAST_NAMES)).to_owned();
        let email = format!(
            "{}.{}{}@example.se",
            names::ascii(&first),
            names::ascii(&last),
            self.rng.below(100)
        );
        (first, last, email)
    }

    fn company_name(&mut self) -> String {
        format!(
            "{} {}",
            self.rng.pick(names::COMPANY_WORDS),
            self.rng.pick(names::COMPANY_KINDS)
        )
    }

    fn date(&mut self, from_year: i32, years: i64) -> chrono::NaiveDate {
        let start = chrono::NaiveDate::from_ymd_opt(from_year, 1, 1).unwrap_or_default();
        start + chrono::Days::new(self.rng.between(0, 365 * years) as u64)
    }

    fn world(&mut self, tenants: usize) -> Result<(), ApiError> {
        // Tenants, three objects per subtenant, and about 25 others.
        let objects = tenants + 3 * (tenants / 10).clamp(3, 50) + 25;
        self.clock = START;
        self.step_max = (2 * SPAN_MINUTES / objects as i64).max(2);
        let engagements = self.work_engagements()?;
        let users = self.organization_users(6)?;
        for (i, user) in users.iter().enumerate() {
            let start = self.date(2022, 2);
            let end = start + chrono::Days::new(self.rng.between(180, 900) as u64);
            let body = json!({
                "user": rel(*user),
                "work_engagement": rel(engagements[i % engagements.len()]),
                "start_date": start.to_string(),
                "end_date": if i % 3 == 0 { Value::Null } else { json!(end.to_string()) },
                "organization": self.external("Organization"),
                "buildings": [self.external("Building")],
                "receive_notifications_for": [],
                "custom_id": format!("OUWE-{:03}", i + 1),
            });
            self.write(&r::ORGANIZATION_USER_WORK_ENGAGEMENT, body)?;
        }
        for (i, user) in users.iter().take(4).enumerate() {
            let body = json!({
                "user": rel(*user),
                "segment": self.external("Segment"),
                "role": self.external("Role"),
                "organization": self.external("Organization"),
                "custom_id": format!("SEG-{:03}", i + 1),
            });
            self.write(&r::ORGANIZATION_USER_SEGMENT, body)?;
        }
        let tenant_ids = self.tenants(tenants)?;
        let subtenant_ids = self.subtenants((tenants / 10).clamp(3, 50))?;
        for (i, sub) in subtenant_ids.iter().enumerate() {
            let Some(&tenant) = tenant_ids.get(i % tenant_ids.len().max(1)) else {
                break;
            };
            let body = json!({
                "sub_tenant": rel(*sub),
                "tenant": rel(tenant),
                "stakeholder_type": self.rng.between(0, 2),
                "category": self.rng.between(0, 9),
                "is_active": true,
                "organization": self.external("Organization"),
                "custom_id": format!("STC-{:04}", i + 1),
            });
            self.write(&r::SUBTENANT_TENANT_CONNECTION, body)?;
            let start = self.date(2021, 3);
            let end = start + chrono::Days::new(self.rng.between(365, 1500) as u64);
            let body = json!({
                "sub_tenant": rel(*sub),
                "stakeholder_type": self.rng.between(0, 2),
                "apartment_contract": self.external("Apartmentcontract"),
                "start_date": start.to_string(),
                "end_date": end.to_string(),
                "signed_time": format!("{start}T10:00:00Z"),
                "custom_id": format!("SCC-{:04}", i + 1),
            });
            self.write(&r::SUBTENANT_CONTRACT_CONNECTION, body)?;
        }
        for i in 0..2 {
            let activation = self.external("Realestate")["id"].clone();
            let body = json!({
                "application_id": self.rng.uuid(),
                "service_id": self.rng.uuid(),
                "service_version_id": self.rng.uuid(),
                "clashing_priority": i + 1,
                "is_active": true,
                "category": if i == 0 { "accounting" } else { "access_control" },
                "activation_object_id": activation,
                "activation_content_type": self.external("Contenttype"),
                "access_requires_specific_object_connection": i == 1,
                "personal_information_acceptance_mode": i,
                "organization": self.external("Organization"),
                "custom_id": format!("IUA-{}", i + 1),
            });
            self.write(&r::INTEGRATION_USER_AGENT, body)?;
        }
        let protected = tenant_ids.len().min(3);
        for tenant in tenant_ids.iter().take(protected) {
            let body = self.protected_identity(json!({ "tenant": rel(*tenant) }));
            self.write(&r::PROTECTED_IDENTITY, body)?;
        }
        let body = self.protected_identity(json!({ "sub_tenant": rel(subtenant_ids[0]) }));
        self.write(&r::PROTECTED_IDENTITY, body)?;
        Ok(())
    }

    fn work_engagements(&mut self) -> Result<Vec<Uuid>, ApiError> {
        names::WORK_ENGAGEMENTS
            .iter()
            .enumerate()
            .map(|(i, (name, color))| {
                let body = json!({
                    "name": name,
                    "color_code": color,
                    "organization": self.external("Organization"),
                    "custom_id": format!("WE-{:02}", i + 1),
                });
                self.write(&r::WORK_ENGAGEMENT, body)
            })
            .collect()
    }

    fn organization_users(&mut self, n: usize) -> Result<Vec<Uuid>, ApiError> {
        (0..n)
            .map(|i| {
                let (first, last, email) = self.person();
                let (ssn, birth) = numbers::personal_number(&mut self.rng);
                let body = json!({
                    "detail_access": self.rng.between(0, 2),
                    "first_name": first,
                    "last_name": last,
                    "email": email.replace("@example.se", "@forvaltning.example.se"),
                    "phone_number": numbers::phone(&mut self.rng),
                    "ssn": ssn,
                    "birth_date": birth.to_string(),
                    "organization": self.external("Organization"),
                    "role": self.external("Role"),
                    "is_active": i != n - 1,
                    "custom_id": format!("OU-{:03}", i + 1),
                });
                self.write(&r::ORGANIZATION_USER, body)
            })
            .collect()
    }

    fn tenants(&mut self, n: usize) -> Result<Vec<Uuid>, ApiError> {
        (0..n)
            .map(|i| {
                let company = self.rng.chance(0.15);
                let custom_id = format!("T-{:05}", i + 1);
                let body = if company {
                    let name = self.company_name();
                    json!({
                        "corporate_name": name,
                        "invoice_email": format!("faktura{}@{}.example.se", i + 1, names::ascii(&name)),
                        "gln13_number": numbers::gln13(&mut self.rng),
                        "sni_number": self.rng.pick(names::SNI_CODES),
                        "realestates": [self.external("Realestate")],
                        "custom_id": custom_id,
                    })
                } else {
                    let (first, last, email) = self.person();
                    let (ssn, birth) = numbers::personal_number(&mut self.rng);
                    json!({
                        "first_name": first,
                        "last_name": last,
                        "invoice_email": email,
                        "ssn": ssn,
                        "birth_date": birth.to_string(),
                        "popular_name": if self.rng.chance(0.2) { json!(first) } else { Value::Null },
                        "current_registered_address": self.external("Address"),
                        "realestates": [self.external("Realestate")],
                        "anonymized": false,
                        "custom_id": custom_id,
                    })
                };
                self.write(&r::TENANT, body)
            })
            .collect()
    }

    fn subtenants(&mut self, n: usize) -> Result<Vec<Uuid>, ApiError> {
        (0..n)
            .map(|i| {
                let mut body = json!({
                    "allow_errands_access_through_connections": true,
                    "allow_personal_information_access": false,
                    "add_connection_description_on_invoice": i % 2 == 0,
                    "allow_notifications": true,
                    "allow_revenue_row_access": false,
                    "allow_brf_access": false,
                    "allow_cancel_contract_access": false,
                    "allow_errands_access": true,
                    "allow_contracts_access": true,
                    "allow_invoice_access": i % 3 != 0,
                    "allow_objects_access": true,
                    "allow_my_pages_access": true,
                    "phone_number": numbers::phone(&mut self.rng),
                    "invoice_address": self.external("Address"),
                    "custom_id": format!("S-{:04}", i + 1),
                });
                let extra = if i % 4 == 3 {
                    json!({
                        "corporate_name": self.company_name(),
                        "org_no": numbers::org_number(&mut self.rng),
                        "sni_number": self.rng.pick(names::SNI_CODES),
                    })
                } else {
                    let (first, last, email) = self.person();
                    let (ssn, birth) = numbers::personal_number(&mut self.rng);
                    json!({
                        "first_name": first, "last_name": last, "email": email,
                        "ssn": ssn, "birth_date": birth.to_string(),
                    })
                };
                if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
                    body.extend(extra.clone());
                }
                self.write(&r::SUBTENANT, body)
            })
            .collect()
    }

    fn protected_identity(&mut self, owner: Value) -> Value {
        let (first, last, email) = self.person();
        let (ssn, birth) = numbers::personal_number(&mut self.rng);
        let mut body = json!({
            "first_name": first,
            "last_name": last,
            "email": email,
            "ssn": ssn,
            "birth_date": birth.to_string(),
            "phone_number": numbers::phone(&mut self.rng),
            "future_address": self.external("Address"),
        });
        if let (Some(body), Some(owner)) = (body.as_object_mut(), owner.as_object()) {
            body.extend(owner.clone());
        }
        body
    }
}
