//! Assertions shared by the validation tests.

#![allow(dead_code)]

use pigello::description::ResourceSpec;
use pigello::validate::{Violation, validate_create, validate_patch};
use serde_json::Value;

pub fn spec(resource: &str) -> &'static ResourceSpec {
    pigello::resources::find(resource).unwrap_or_else(|| panic!("no resource {resource}"))
}

/// The field a path starts with: `user` for `user.id`, `ssn` for `ssn`.
fn field_of(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or(path)
}

fn assert_found(resource: &str, body: &Value, found: &[Violation], path: &str, rule: &str) {
    let hit = found
        .iter()
        .find(|v| v.path.as_str() == path && v.rule.code() == rule);
    let Some(hit) = hit else {
        panic!("{resource}: expected `{rule}` at `{path}` for {body}, got {found:#?}");
    };
    assert!(
        hit.message.contains(field_of(path)),
        "the message names the field: {hit:?}"
    );
}

/// A create body passes every rule.
pub fn accepts(resource: &str, body: &Value) {
    let found = validate_create(spec(resource), body);
    assert!(
        found.is_empty(),
        "{resource}: expected {body} to pass, got {found:#?}"
    );
}

/// A create body is refused with `rule` at `path`.
pub fn rejects(resource: &str, body: &Value, path: &str, rule: &str) {
    let found = validate_create(spec(resource), body);
    assert_found(resource, body, &found, path, rule);
}

/// A PATCH body is refused with `rule` at `path`.
pub fn rejects_patch(resource: &str, body: &Value, path: &str, rule: &str) {
    let found = validate_patch(spec(resource), body);
    assert_found(resource, body, &found, path, rule);
}

/// A PATCH body passes every rule the body alone can decide.
pub fn accepts_patch(resource: &str, body: &Value) {
    let found = validate_patch(spec(resource), body);
    assert!(
        found.is_empty(),
        "{resource}: expected patch {body} to pass, got {found:#?}"
    );
}

/// Parses a JSON body written in a test.
pub fn body(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("bad test body {json}: {e}"))
}
