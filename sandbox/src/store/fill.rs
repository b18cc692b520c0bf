//! What the server puts into an object that the client did not send: defaults
//! for fields left out on create, and the read-only fields only a server knows.
//!
//! The reference documents neither, so these are the sandbox's assumptions (see
//! the crate docs): a nullable field left out is `null`, a boolean `false`
//! (`is_active` is `true`), an array `[]`, an object `{}`, an enum its first
//! documented value, and an untyped read-only field the shape its name suggests.

use pigello::description::{EnumValue, FieldSpec, ResourceSpec, ValueKind};
use serde_json::{Value, json};
use uuid::Uuid;

use super::Object;

/// A new object with every field that has a default set to it.
pub fn new_object(spec: &ResourceSpec) -> Object {
    spec.writable_fields()
        .filter(|f| !f.required)
        .filter_map(|f| default(f).map(|v| (f.name.to_owned(), v)))
        .collect()
}

/// Sets the read-only fields of a new object and recomputes the derived ones.
pub fn server_fields(spec: &ResourceSpec, object: &mut Object, id: Uuid, now: &str, new: bool) {
    if new {
        for field in spec.fields.iter().filter(|f| f.read_only) {
            let value = match field.name {
                "id" => Some(Value::String(id.to_string())),
                "created_at" => Some(Value::String(now.to_owned())),
                _ => default(field),
            };
            if let Some(value) = value {
                object.insert(field.name.to_owned(), value);
            }
        }
    }
    derive(spec, object);
}

fn default(field: &FieldSpec) -> Option<Value> {
    if let Some(values) = field.enum_values
        && !field.nullable
        && let Some(first) = values.values.first()
    {
        return Some(match first {
            EnumValue::Int(n) => json!(n),
            EnumValue::Str(s) => json!(s),
        });
    }
    if field.nullable {
        return Some(Value::Null);
    }
    Some(match field.kind {
        ValueKind::Boolean => Value::Bool(field.name == "is_active"),
        ValueKind::Array(_) => json!([]),
        ValueKind::Object => json!({}),
        // Untyped read-only fields the reference shows without a schema: shapes
        // their names suggest.
        ValueKind::Any => match field.name {
            "tags" => json!([]),
            "customer_columns" => json!({}),
            "pending_monitor_approval_amount" => json!(0),
            "is_company" => json!(false),
            _ => json!(""),
        },
        _ => return None,
    })
}

/// The read-only fields whose value follows from others: a display name, and
/// whether the party is a company.
fn derive(spec: &ResourceSpec, object: &mut Object) {
    let text = |o: &Object, k: &str| {
        o.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let corporate = text(object, "corporate_name");
    let person = [text(object, "first_name"), text(object, "last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let display = corporate.clone().or((!person.is_empty()).then_some(person));
    for name in ["full_name", "communication_name"] {
        if spec.field(name).is_some_and(|f| f.read_only) {
            object.insert(
                name.into(),
                display.clone().map_or(Value::Null, Value::String),
            );
        }
    }
    if spec.field("is_company").is_some_and(|f| f.read_only) {
        let company = corporate.is_some() || text(object, "org_no").is_some();
        object.insert("is_company".into(), Value::Bool(company));
    }
}
