//! `_order_by`, with `id` as the last key so the order is total and pages
//! never overlap or skip a row.

use std::cmp::Ordering;

use pigello::description::{ResourceSpec, ValueKind};
use pigello::query::OrderBy;
use serde_json::Value;

use uuid::Uuid;

use crate::store::{Object, relation_ids};

/// Sorts rows by the keys, then by id. Rows come in id order (the tables are
/// keyed by id), so ordering by id alone needs no sort.
pub fn sort(spec: &ResourceSpec, keys: &[OrderBy], rows: &mut [(&Uuid, &Object)]) {
    if keys.iter().all(|k| k.field == "id" && !k.descending) {
        return;
    }
    let kinds: Vec<(&str, ValueKind, bool)> = keys
        .iter()
        .filter_map(|k| Some((k.field.as_str(), spec.field(&k.field)?.kind, k.descending)))
        .collect();
    rows.sort_by(|(a_id, a), (b_id, b)| {
        for (field, kind, descending) in &kinds {
            let ord = compare(kind, a.get(*field), b.get(*field), *descending);
            if ord != Ordering::Equal {
                return ord;
            }
        }
        a_id.cmp(b_id)
    });
}

/// Null last ascending, first descending (as PostgreSQL does).
fn compare(kind: &ValueKind, a: Option<&Value>, b: Option<&Value>, descending: bool) -> Ordering {
    fn present(v: Option<&Value>) -> Option<&Value> {
        v.filter(|v| !v.is_null())
    }
    let ord = match (present(a), present(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => typed(kind, a, b),
    };
    if descending { ord.reverse() } else { ord }
}

fn typed(kind: &ValueKind, a: &Value, b: &Value) -> Ordering {
    match kind {
        ValueKind::Integer => a.as_i64().cmp(&b.as_i64()),
        ValueKind::Boolean => a.as_bool().cmp(&b.as_bool()),
        ValueKind::DateTime => {
            let parse = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str()?).ok();
            parse(a).cmp(&parse(b))
        }
        ValueKind::Relation => relation_ids(Some(a))
            .first()
            .cmp(&relation_ids(Some(b)).first()),
        _ => match (a.as_str(), b.as_str()) {
            (Some(x), Some(y)) => x.cmp(y),
            _ => a.to_string().cmp(&b.to_string()),
        },
    }
}
