//! The typed models: what they send, what they keep, and what they never show.

mod support;

use pigello::prelude::*;
use serde_json::json;
use support::{accepts_patch, body, rejects_patch};

const ID: &str = "497f6eca-6276-4993-bfeb-53cbbbba6f08";

fn id() -> Uuid {
    ID.parse().expect("a uuid")
}

#[test]
fn a_patch_sends_set_fields_nulls_cleared_ones_and_leaves_out_the_rest() {
    let patch = TenantPatch::new().first_name("Anna").clear_popular_name();
    assert_eq!(
        patch.to_json().expect("encodes"),
        json!({ "first_name": "Anna", "popular_name": null })
    );
    let back: TenantPatch =
        serde_json::from_value(json!({ "first_name": "Anna", "popular_name": null }))
            .expect("decodes");
    assert_eq!(back.first_name, Patch::Set("Anna".into()));
    assert_eq!(back.popular_name, Patch::Null);
    assert_eq!(back.last_name, Patch::Unset);
    assert_eq!(back, patch);
}

#[test]
fn a_create_sends_required_fields_and_only_the_optional_ones_set() {
    let create = OrganizationusersegmentCreate::new(id(), id()).custom_id("seg-1");
    assert_eq!(
        create.validated_json().expect("valid"),
        json!({ "segment": { "id": ID }, "user": { "id": ID }, "custom_id": "seg-1" })
    );
}

#[test]
fn extra_fields_are_sent_and_a_documented_name_in_extra_is_still_validated() {
    let create = TenantCreate::new()
        .first_name("Anna")
        .with_extra("org_no_undocumented", json!("x"));
    assert_eq!(
        create.validated_json().expect("valid")["org_no_undocumented"],
        "x"
    );
    // `extra` cannot smuggle a value past a documented rule.
    let smuggled = TenantCreate::new()
        .first_name("Anna")
        .with_extra("ssn", json!("19811218-9875"));
    let Err(Error::Validation(e)) = smuggled.validated_json() else {
        panic!("refused")
    };
    assert_eq!(e.violations[0].path.as_str(), "ssn");
    assert_eq!(e.violations[0].rule.code(), "luhn");
    assert_eq!(e.resource, "Tenant");
}

#[test]
fn unknown_fields_from_a_server_round_trip_at_every_level() {
    let json = json!({
        "id": ID,
        "segment": { "id": ID, "name": "Nord", "nested": { "a": [1, 2] } },
        "user": {},
        "role": null,
        "brand_new_field": { "x": true },
        "custom_id": null
    });
    let s: Organizationusersegment = pigello::decode(
        "Organizationusersegment",
        &serde_json::to_vec(&json).expect("encodes"),
    )
    .expect("decodes");
    assert_eq!(s.id(), id());
    assert_eq!(s.segment.as_ref().and_then(|r| r.id), Some(id()));
    assert_eq!(
        s.segment.as_ref().map(|r| &r.extra["name"]),
        Some(&json!("Nord"))
    );
    assert_eq!(s.extra["brand_new_field"], json!({ "x": true }));
    assert_eq!(
        serde_json::to_value(&s).expect("encodes"),
        json!({
            "id": ID,
            "segment": { "id": ID, "name": "Nord", "nested": { "a": [1, 2] } },
            "user": {},
            "role": null,
            "organization": null,
            "brand_new_field": { "x": true },
            "custom_id": null
        })
    );
}

#[test]
fn dates_and_date_times_are_typed_and_keep_their_offset() {
    let w: Organizationuserworkengagement = pigello::decode(
        "Organizationuserworkengagement",
        format!(r#"{{"id": "{ID}", "start_date": "2024-02-29", "created_at": "2024-02-29T12:30:00.250+01:00"}}"#).as_bytes(),
    )
    .expect("decodes");
    assert_eq!(w.start_date, Date::from_ymd_opt(2024, 2, 29));
    let created = w.created_at.expect("set");
    assert_eq!(created.offset().local_minus_utc(), 3600);
    assert_eq!(
        serde_json::to_value(&w).expect("encodes")["created_at"],
        "2024-02-29T12:30:00.250+01:00"
    );
}

#[test]
fn enums_keep_documented_and_unknown_values() {
    assert_eq!(SubtenanttenantconnectionCategory::KNOWN.len(), 22);
    assert_eq!(
        SubtenanttenantconnectionCategory::from_value(21),
        SubtenanttenantconnectionCategory::V21
    );
    assert_eq!(
        SubtenanttenantconnectionCategory::from_value(22).value(),
        22
    );
    let create = SubtenanttenantconnectionCreate::new(
        id(),
        id(),
        SubtenanttenantconnectionStakeholderType::Unknown(7),
    );
    let Err(Error::Validation(e)) = create.validated_json() else {
        panic!("refused")
    };
    assert_eq!(
        (e.violations[0].path.as_str(), e.violations[0].rule.code()),
        ("stakeholder_type", "enum")
    );
    // An enum the reference may have cut off is not enforced on input.
    let patch = SubtenantPatch::new()
        .sni_number(SubtenantSniNumber::Unknown("01.110".into()))
        .corporate_name("AB");
    assert!(patch.validate().is_ok());
}

#[test]
fn patch_cross_rules_are_checked_where_the_body_alone_decides() {
    // Both of two excluding relations set: refused. One of them: fine.
    rejects_patch(
        "Protectedidentity",
        &body(&format!(
            r#"{{"tenant": {{"id": "{ID}"}}, "sub_tenant": {{"id": "{ID}"}}}}"#
        )),
        "tenant",
        "cannot_be_set_with",
    );
    accepts_patch(
        "Protectedidentity",
        &body(&format!(r#"{{"tenant": {{"id": "{ID}"}}}}"#)),
    );
    accepts_patch(
        "Protectedidentity",
        &body(&format!(
            r#"{{"tenant": {{"id": "{ID}"}}, "sub_tenant": null}}"#
        )),
    );
    // Clearing every field of an "at least one of" group: refused. Clearing one: fine.
    rejects_patch(
        "Tenant",
        &body(r#"{"first_name": null, "last_name": null, "corporate_name": null}"#),
        "corporate_name",
        "at_least_one_of",
    );
    accepts_patch(
        "Tenant",
        &body(r#"{"first_name": null, "last_name": null}"#),
    );
    // A start after an end, both in the body: refused. Only one of them: unknown, fine.
    rejects_patch(
        "Organizationuserworkengagement",
        &body(r#"{"start_date": "2024-03-01", "end_date": "2024-02-01"}"#),
        "end_date",
        "ordered_with",
    );
    accepts_patch(
        "Organizationuserworkengagement",
        &body(r#"{"end_date": "2024-02-01"}"#),
    );
    // Set together: one set and the other cleared in the same body is refused.
    rejects_patch(
        "Integrationuseragent",
        &body(&format!(
            r#"{{"activation_object_id": "{ID}", "activation_content_type": null}}"#
        )),
        "activation_object_id",
        "set_together_with",
    );
    accepts_patch(
        "Integrationuseragent",
        &body(&format!(r#"{{"activation_object_id": "{ID}"}}"#)),
    );
    // Requires: an SNI code with the corporate name cleared is refused.
    rejects_patch(
        "Subtenant",
        &body(r#"{"sni_number": "20.520", "corporate_name": null}"#),
        "sni_number",
        "requires",
    );
    accepts_patch("Subtenant", &body(r#"{"sni_number": "20.520"}"#));
    // Must match: both lists in the body are compared; one alone is unknown.
    rejects_patch(
        "Organizationuserworkengagement",
        &body(r#"{"receive_notifications_for": [], "receive_sms_notifications_for": ["a"]}"#),
        "receive_sms_notifications_for[0]",
        "must_match_values_of",
    );
    accepts_patch(
        "Organizationuserworkengagement",
        &body(r#"{"receive_sms_notifications_for": ["a"]}"#),
    );
    // Required fields are not required on a patch, but may not be cleared.
    accepts_patch("Organizationusersegment", &body("{}"));
    rejects_patch(
        "Organizationusersegment",
        &body(r#"{"user": null}"#),
        "user",
        "not_null",
    );
}

#[test]
fn read_only_fields_carry_their_rules_for_a_server_to_use() {
    use pigello::validate::validate_field;
    let username = SUBTENANT.field("username").expect("documented");
    assert!(username.read_only && username.unique);
    assert!(validate_field(username, &json!("anna.svensson@example.se")).is_empty());
    assert!(validate_field(username, &json!("anna_svensson+1")).is_empty());
    let codes = |v: serde_json::Value| {
        validate_field(username, &v)
            .into_iter()
            .map(|v| v.rule.code())
            .collect::<Vec<_>>()
    };
    // `\Z` is the very end: a final newline is refused (Python's `$` would allow it).
    assert_eq!(codes(json!("anna.svensson\n")), ["pattern"]);
    assert_eq!(codes(json!("anna svensson")), ["pattern"]);
    assert_eq!(codes(json!("anna")), ["min_length"]);
    assert_eq!(codes(json!("a".repeat(151))), ["max_length"]);
    // The phone pattern ends in `$`, which in the documented (Python) syntax also
    // matches before one final newline: the server accepts that, so the SDK does too.
    let phone = TENANT
        .field("phone_number")
        .or(SUBTENANT.field("phone_number"))
        .expect("documented");
    assert!(validate_field(phone, &json!("+46701234567\n")).is_empty());
    assert_eq!(validate_field(phone, &json!("+46701234567\n\n")).len(), 1);
    // Unique relations are flagged for the server.
    assert!(PROTECTED_IDENTITY.field("tenant").is_some_and(|f| f.unique));
}

#[test]
fn the_secret_never_shows() {
    let creds = Credentials::from_lookup(|name| Some(format!("value-of-{name}"))).expect("all set");
    let secret = creds.client_secret.expose().to_owned();
    assert_eq!(secret, "value-of-PIGELLO_CLIENT_SECRET");
    for shown in [
        format!("{creds:?}"),
        format!("{creds:#?}"),
        format!("{creds}"),
        format!("{:?}", creds.client_secret),
        creds.client_secret.to_string(),
    ] {
        assert!(!shown.contains(&secret), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
    assert!(format!("{creds:?}").contains("value-of-PIGELLO_CUSTOMER_ID"));
    let headers: Vec<(&str, &str)> = creds.headers().collect();
    assert_eq!(headers.len(), 7);
    assert!(headers.contains(&(
        "X-PIGELLO-CLIENT-ENTITY",
        "value-of-PIGELLO_CLIENT_OBJECT_ID"
    )));
    assert!(headers.contains(&("X-PIGELLO-CLIENT-SECRET", secret.as_str())));
}

#[test]
fn a_missing_credential_is_named_and_its_neighbours_are_not_shown() {
    let err = Credentials::from_lookup(|name| {
        (name != "PIGELLO_SERVICE_ID").then(|| "s3cr3t".to_owned())
    })
    .expect_err("one missing");
    let shown = err.to_string();
    assert!(shown.contains("PIGELLO_SERVICE_ID"), "{shown}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    let err = Credentials::from_lookup(|name| (name != "PIGELLO_CLIENT_SECRET").then(String::new))
        .expect_err("empty is missing");
    assert!(err.to_string().contains("PIGELLO_CUSTOMER_ID"));
}

#[test]
fn violations_report_every_rule_at_once_in_field_order() {
    let Err(Error::Validation(e)) = ProtectedidentityCreate::new()
        .tenant(id())
        .sub_tenant(id())
        .ssn("1981121898")
        .phone_number("070 123")
        .email("nope")
        .validated_json()
    else {
        panic!("refused")
    };
    let found: Vec<(&str, &str)> = e
        .violations
        .iter()
        .map(|v| (v.path.as_str(), v.rule.code()))
        .collect();
    assert_eq!(
        found,
        [
            ("email", "email"),
            ("phone_number", "pattern"),
            ("ssn", "min_length"),
            ("tenant", "cannot_be_set_with"),
            ("sub_tenant", "cannot_be_set_with"),
        ]
    );
    let text = e.to_string();
    assert!(
        text.starts_with("invalid Protectedidentity (5 violations): "),
        "{text}"
    );
    assert!(
        !text.contains("1981121898"),
        "values never appear in messages: {text}"
    );
}

#[test]
fn every_resource_is_described_once_with_its_paths() {
    use pigello::resources::{ALL, find};
    assert_eq!(ALL.len(), 10);
    for spec in ALL {
        assert!(spec.paths.collection.ends_with('/'));
        assert_eq!(spec.paths.list, format!("{}list/", spec.paths.collection));
        assert_eq!(
            spec.paths.single,
            format!("{}{{pk}}/", spec.paths.collection)
        );
        assert!(
            spec.field("id").is_some_and(|f| f.read_only),
            "{} has an id",
            spec.name
        );
        assert_eq!(find(spec.name), Some(*spec));
        assert_eq!(find(spec.snake_plural), Some(*spec));
    }
    let invites: Vec<&str> = ALL
        .iter()
        .filter(|s| s.invite_path.is_some())
        .map(|s| s.name)
        .collect();
    assert_eq!(invites, ["Tenant", "Organizationuser", "Subtenant"]);
    assert_eq!(
        TENANT.paths.single_for(&id()),
        format!("/accounts/users/customer/tenant/{ID}/")
    );
}

#[test]
fn personal_fields_show_whether_they_are_set_never_their_values() {
    let created = TenantCreate::new()
        .first_name("Anna")
        .ssn("19811218-9876")
        .invoice_email("anna@example.se");
    let patch = OrganizationuserPatch {
        phone_number: Patch::Set("+46701234567".into()),
        email: Patch::Null,
        ..Default::default()
    };
    let row: Tenant = serde_json::from_value(json!({
        "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
        "ssn": "19811218-9876",
        "invoice_email": "anna@example.se",
    }))
    .expect("a row");
    for shown in [
        format!("{created:?}"),
        format!("{patch:#?}"),
        format!("{row:?}"),
    ] {
        for value in ["19811218-9876", "anna@example.se", "+46701234567"] {
            assert!(!shown.contains(value), "{shown}");
        }
        assert!(shown.contains("<redacted>"), "{shown}");
    }
    assert!(format!("{created:?}").contains("first_name: Some(\"Anna\")"));
    assert!(format!("{created:?}").contains("ssn: Some(<redacted>)"));
    assert!(format!("{patch:?}").contains("email: Null"));
    assert!(format!("{row:?}").contains("ssn: Some(<redacted>)"));
}
