//! Whether one stored object passes one filter, with the operator semantics of
//! the API's framework (Django): text operators on the text of the value, `in`
//! against a list, `isnull`, ordered comparisons on typed values, and `!` as an
//! exclusion, so a negated filter also keeps rows whose value is null.

use std::cmp::Ordering;

use pigello::description::{Operator, ResourceSpec};
use pigello::query::{Filter, FilterValue};
use serde_json::Value;

use crate::store::{Object, relation_ids};

/// Whether `object` passes `filter`.
pub fn matches(spec: &ResourceSpec, filter: &Filter, object: &Object) -> bool {
    let Some(field) = spec.field(&filter.field) else {
        // A documented array parameter (`global_realestates`, ...) that names data
        // outside the Accounts application: every row passes.
        return true;
    };
    let value = object.get(field.name).unwrap_or(&Value::Null);
    let hit = match (&filter.op, &filter.value) {
        (Operator::Isnull, FilterValue::Boolean(want)) => is_null(value) == *want,
        (Operator::In, FilterValue::List(items)) => items.iter().any(|item| equals(value, item)),
        (Operator::Exact, wanted) => equals(value, wanted),
        (op, FilterValue::Text(needle)) if pigello::query::filter::is_text_op(*op) => {
            text_of(value).is_some_and(|text| text_matches(*op, &text, needle))
        }
        (op, wanted) => compare(value, wanted).is_some_and(|ord| match op {
            Operator::Gt => ord == Ordering::Greater,
            Operator::Gte => ord != Ordering::Less,
            Operator::Lt => ord == Ordering::Less,
            Operator::Lte => ord != Ordering::Greater,
            _ => false,
        }),
    };
    hit != filter.negate
}

fn is_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// The value as text: a string, a relation's id, a number or a boolean.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(_) => relation_ids(Some(value)).first().map(|id| id.to_string()),
        _ => None,
    }
}

fn text_matches(op: Operator, text: &str, needle: &str) -> bool {
    let (lower_text, lower_needle) = (text.to_lowercase(), needle.to_lowercase());
    match op {
        Operator::Contains => text.contains(needle),
        Operator::Icontains => lower_text.contains(&lower_needle),
        Operator::Startswith => text.starts_with(needle),
        Operator::Istartswith => lower_text.starts_with(&lower_needle),
        Operator::Endswith => text.ends_with(needle),
        Operator::Iendswith => lower_text.ends_with(&lower_needle),
        Operator::Iexact => lower_text == lower_needle,
        _ => false,
    }
}

/// Exact match; on a relation array, whether it holds the id.
fn equals(value: &Value, wanted: &FilterValue) -> bool {
    match (value, wanted) {
        (Value::Array(_), FilterValue::Uuid(id)) => relation_ids(Some(value)).contains(id),
        (Value::Array(items), wanted) => items.iter().any(|item| equals(item, wanted)),
        (Value::Null, _) => false,
        _ => compare(value, wanted) == Some(Ordering::Equal),
    }
}

/// Orders a stored value against a filter value of the field's kind.
fn compare(value: &Value, wanted: &FilterValue) -> Option<Ordering> {
    match wanted {
        FilterValue::Text(s) => Some(text_of(value)?.as_str().cmp(s.as_str())),
        FilterValue::Integer(n) => Some(value.as_i64()?.cmp(n)),
        FilterValue::Boolean(b) => Some(value.as_bool()?.cmp(b)),
        FilterValue::Uuid(id) => {
            let stored = match value {
                Value::Object(_) => *relation_ids(Some(value)).first()?,
                v => uuid::Uuid::try_parse(v.as_str()?).ok()?,
            };
            Some(stored.cmp(id))
        }
        FilterValue::Date(d) => Some(
            chrono::NaiveDate::parse_from_str(value.as_str()?, "%Y-%m-%d")
                .ok()?
                .cmp(d),
        ),
        FilterValue::DateTime(t) => {
            let stored = chrono::DateTime::parse_from_rfc3339(value.as_str()?).ok()?;
            Some(stored.cmp(t))
        }
        FilterValue::List(_) => None,
    }
}
