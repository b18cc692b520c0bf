//! Client-side validation of every documented rule.
//!
//! The validators read the resource description and check a JSON body, so the same
//! code serves the typed Rust inputs (serialized first), the bindings (which build
//! JSON from Python and JS values) and the sandbox (which receives JSON). They
//! collect **every** violation rather than stopping at the first.
//!
//! A read-only field in a body is not checked: the API ignores it on write. A
//! key the description does not list is refused by the client ([`client_write`],
//! rule `unknown_field`), because the API would ignore it without a word; the
//! caller sends such a field on purpose as an extra body field. The sandbox,
//! like the API, ignores it. Messages never repeat the value, which may be
//! personal data.

mod checksum;
mod cross;
mod field;
pub(crate) mod format;
mod nesting;
mod unknown;
mod violation;

pub use checksum::{gln_check_digit_ok, luhn_ok, swedish_identity_number_ok};
pub use format::{is_email, pattern_matches};
pub use nesting::{MAX_DEPTH, nesting_violation, too_deep};
pub use unknown::closest;
pub(crate) use unknown::edit_distance;
pub use violation::{Path, Rule, SHOWN_IN_MESSAGE, ValidationError, Violation};

use serde_json::{Map, Value};

use crate::description::ResourceSpec;

/// What kind of write a body is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A whole new object (create, or one item of a bulk write): required fields
    /// must be present and every cross-field rule is checked.
    Create,
    /// A partial update: only what the body itself shows can be checked.
    Patch,
}

/// Checks a create body.
pub fn validate_create(spec: &ResourceSpec, body: &Value) -> Vec<Violation> {
    validate_object(spec, body, Mode::Create, &Path::root())
}

/// Checks a PATCH body.
pub fn validate_patch(spec: &ResourceSpec, body: &Value) -> Vec<Violation> {
    validate_object(spec, body, Mode::Patch, &Path::root())
}

/// Checks each item of a bulk write as a create body; paths start with `[i]`.
pub fn validate_bulk(spec: &ResourceSpec, items: &[Value]) -> Vec<Violation> {
    items
        .iter()
        .enumerate()
        .flat_map(|(i, item)| validate_object(spec, item, Mode::Create, &Path::root().index(i)))
        .collect()
}

/// Checks one JSON object against a resource, with paths under `at`.
pub fn validate_object(spec: &ResourceSpec, body: &Value, mode: Mode, at: &Path) -> Vec<Violation> {
    let mut out = Vec::new();
    let Some(object) = body.as_object() else {
        out.push(Violation::new(
            at.clone(),
            Rule::Type,
            format!("a {} body must be a JSON object", spec.name),
        ));
        return out;
    };
    // A path is text built per field: only for the fields a body has, or
    // lacks while required (a million bulk items each skip dozens of others).
    for field in spec.writable_fields() {
        match object.get(field.name) {
            Some(value) => field::check(field, value, &at.key(field.name), &mut out),
            None if mode == Mode::Create && field.required => out.push(Violation::new(
                at.key(field.name),
                Rule::Required,
                format!("{} is required", field.name),
            )),
            None => {}
        }
    }
    cross::check(spec, object, mode, at, &mut out);
    out
}

/// Checks a body the client is about to send, with paths under `at`: no key the
/// resource does not document, and every documented rule. A relation given as
/// a bare id is sent as `{"id": ...}`. `extra` holds fields
/// sent on purpose (the escape hatch for what the reference does not list): it
/// is merged in after the unknown-key check, and a key of it that names a
/// documented field is checked as that field. Returns the body to send and the
/// violations.
pub fn client_write(
    spec: &ResourceSpec,
    body: &Value,
    extra: &Map<String, Value>,
    mode: Mode,
    at: &Path,
) -> (Value, Vec<Violation>) {
    let mut out = Vec::new();
    // Checked first and alone: the other checks would walk the whole value.
    // The extra fields sit in the body, as deep as its own.
    let extra_too_deep = || nesting_violation(&Value::Object(extra.clone()), at);
    if let Some(too_deep) = nesting_violation(body, at).or_else(extra_too_deep) {
        return (body.clone(), vec![too_deep]);
    }
    let Some(object) = body.as_object() else {
        return (body.clone(), validate_object(spec, body, mode, at));
    };
    unknown::check(spec, object, at, &mut out);
    let mut merged = object.clone();
    merged.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut merged = Value::Object(merged);
    crate::model::resolve_body_instants(spec, &mut merged);
    crate::model::wrap_relation_ids(spec, &mut merged);
    out.extend(validate_object(spec, &merged, mode, at));
    (merged, out)
}

/// Checks one value against one field's own rules, whatever the field's access.
/// Used for read-only fields a server fills in (the sandbox) and by tests.
pub fn validate_field(field: &crate::description::FieldSpec, value: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    field::check(field, value, &Path::root().key(field.name), &mut out);
    out
}
