//! Every example payload of the saved reference pages (`spec/docs-pages/`) decodes
//! into its model and re-encodes to equal JSON, unknown fields included.
//!
//! The examples break input rules (`"ssn": "stringstring"`, relations sent as
//! `{}`): decoding what a server sends is lenient about rules, so they must decode.

use pigello::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// One example: the page, the operation heading, whether it is the request body,
/// and the JSON.
struct Example {
    page: String,
    operation: String,
    request: bool,
    json: Value,
}

/// Reads the examples out of the saved pages: the request body of each curl
/// command (`-d '...'`) and the line after each `application/json` response.
fn examples() -> Vec<Example> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/docs-pages");
    let mut out = Vec::new();
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .expect("spec/docs-pages exists")
        .map(|e| e.expect("readable entry").path())
        .collect();
    pages.sort();
    for page in pages {
        let text = std::fs::read_to_string(&page).expect("readable page");
        let lines: Vec<&str> = text.lines().collect();
        let mut operation = String::new();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            if line.ends_with('\'') && line.contains(" '") && !line.starts_with(' ') {
                operation = line.to_owned();
            }
            if let Some(start) = line.strip_prefix("  -d '") {
                let mut body = String::from(start);
                while !body.ends_with('\'') {
                    i += 1;
                    body.push('\n');
                    body.push_str(lines[i]);
                }
                body.pop();
                out.push(Example {
                    page: page.display().to_string(),
                    operation: operation.clone(),
                    request: true,
                    json: serde_json::from_str(&body).expect("request example is JSON"),
                });
            }
            if line == "application/json"
                && i + 1 < lines.len()
                && lines[i + 1].starts_with(['{', '['])
            {
                out.push(Example {
                    page: page.display().to_string(),
                    operation: operation.clone(),
                    request: false,
                    json: serde_json::from_str(lines[i + 1]).expect("response example is JSON"),
                });
            }
            i += 1;
        }
    }
    out
}

fn round_trip<T: DeserializeOwned + Serialize>(json: &Value, what: &str) {
    let bytes = serde_json::to_vec(json).expect("encodes");
    let model: T = pigello::decode(std::any::type_name::<T>(), &bytes)
        .unwrap_or_else(|e| panic!("{what}: does not decode: {e}"));
    let again = serde_json::to_value(&model).expect("re-encodes");
    assert_eq!(&again, json, "{what}: re-encoded JSON differs");
}

/// Decodes one example into the model its operation names, as a single object or
/// as a list of them.
fn check<R, I>(e: &Example)
where
    R: DeserializeOwned + Serialize,
    I: DeserializeOwned + Serialize,
{
    let what = format!(
        "{} / {} / {}",
        e.page,
        e.operation,
        if e.request { "request" } else { "response" }
    );
    match (&e.json, e.request) {
        (Value::Array(items), true) => items.iter().for_each(|j| round_trip::<I>(j, &what)),
        (Value::Array(items), false) => items.iter().for_each(|j| round_trip::<R>(j, &what)),
        (j, true) => round_trip::<I>(j, &what),
        (j, false) => round_trip::<R>(j, &what),
    }
}

#[test]
fn every_saved_example_round_trips_through_its_model() {
    let all = examples();
    assert!(
        all.len() >= 12,
        "expected the examples of four pages, found {}",
        all.len()
    );
    let mut checked = 0;
    for e in &all {
        let update = e.operation.starts_with("Update");
        match e.operation.rsplit(' ').next().unwrap_or_default() {
            "'Organizationuserworkengagement'" if update => {
                check::<Organizationuserworkengagement, OrganizationuserworkengagementPatch>(e)
            }
            "'Organizationuserworkengagement'" => {
                check::<Organizationuserworkengagement, OrganizationuserworkengagementCreate>(e)
            }
            "'Organizationusersegment'" if update => {
                check::<Organizationusersegment, OrganizationusersegmentPatch>(e)
            }
            "'Organizationusersegment'" => {
                check::<Organizationusersegment, OrganizationusersegmentCreate>(e)
            }
            "'Protectedidentity'" if update => {
                check::<Protectedidentity, ProtectedidentityPatch>(e)
            }
            "'Protectedidentity'" => check::<Protectedidentity, ProtectedidentityCreate>(e),
            "'Subtenant'" if update => check::<Subtenant, SubtenantPatch>(e),
            "'Subtenant'" => check::<Subtenant, SubtenantCreate>(e),
            other => panic!(
                "an example under an unexpected heading {other:?} in {}",
                e.page
            ),
        }
        checked += 1;
    }
    assert_eq!(checked, all.len());
}

#[test]
fn the_examples_break_input_rules_and_still_decode() {
    // The Subtenant example carries "ssn": "stringstring", "username": "stringst"
    // and relations sent as {}; all are kept as sent.
    let subtenant = examples()
        .into_iter()
        .find(|e| e.operation == "Get 'Subtenant'" && !e.request)
        .expect("the Get 'Subtenant' response example");
    let bytes = serde_json::to_vec(&subtenant.json).expect("encodes");
    let s: Subtenant = pigello::decode("Subtenant", &bytes).expect("decodes");
    assert_eq!(s.ssn.as_deref(), Some("stringstring"));
    assert_eq!(s.username.as_deref(), Some("stringst"));
    assert_eq!(s.realestates.as_deref(), Some(&[Ref::default()][..]));
    assert_eq!(s.status, Some(SubtenantStatus::V0));
    // And validating it as an input refuses what the docs' placeholders break.
    let refused = pigello::validate::validate_create(&SUBTENANT, &subtenant.json);
    let rules: Vec<(&str, &str)> = refused
        .iter()
        .map(|v| (v.path.as_str(), v.rule.code()))
        .collect();
    assert!(rules.contains(&("ssn", "luhn")), "{rules:?}");
    assert!(
        rules.contains(&("realestates[0].id", "required")),
        "{rules:?}"
    );
    assert!(rules.contains(&("peppol_id", "pattern")), "{rules:?}");
}
