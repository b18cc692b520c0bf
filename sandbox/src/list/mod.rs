//! Answering a list query: filter, search, order, paginate, then shape the rows.
//!
//! Where the reference is silent, the sandbox assumes (and the crate docs say):
//! - no `_page`/`_page_size`: every matching row;
//! - a page past the end: an empty array, not an error;
//! - rows are ordered by `_order_by`, then always by `id`, so pages never overlap;
//!   `null` sorts last ascending and first descending (as PostgreSQL does);
//! - `_search`: a case-insensitive substring of any text field or the id;
//! - `_slim=true`: only `id` and the fields that hold a value, without arrays and
//!   nested objects (relations stay, as `{"id": ...}`);
//! - `_statistics=true`: the same rows, plus an `X-Total-Count` header with the
//!   number of matching rows across all pages.

mod matcher;
mod order;

use pigello::description::{ResourceSpec, ValueKind};
use pigello::query::ListQuery;
use serde_json::{Map, Value};

use crate::store::{Object, World};

/// One page of rows, and how many rows matched in all.
#[derive(Debug)]
pub struct Listed {
    /// The rows of the page, shaped as the query asked.
    pub rows: Vec<Value>,
    /// Matching rows across every page.
    pub total: usize,
}

/// Runs a parsed query over one customer's table.
pub fn run(world: Option<&World>, spec: &ResourceSpec, query: &ListQuery) -> Listed {
    let mut rows: Vec<&Object> = world
        .into_iter()
        .flat_map(|w| w.table(spec))
        .filter(|o| query.filters.iter().all(|f| matcher::matches(spec, f, o)))
        .filter(|o| query.search.as_deref().is_none_or(|s| searched(spec, o, s)))
        .collect();
    order::sort(spec, &query.order_by, &mut rows);
    let total = rows.len();
    let page: &[&Object] = match query.page {
        Some(page) => {
            let start = (page.number as usize - 1).saturating_mul(page.size as usize);
            let end = start.saturating_add(page.size as usize).min(total);
            rows.get(start..end).unwrap_or(&[])
        }
        None => &rows,
    };
    let rows = page
        .iter()
        .map(|o| {
            if query.slim {
                slim(o)
            } else {
                Value::Object((*o).clone())
            }
        })
        .collect();
    Listed { rows, total }
}

fn searched(spec: &ResourceSpec, object: &Object, needle: &str) -> bool {
    let needle = needle.to_lowercase();
    spec.fields
        .iter()
        .filter(|f| matches!(f.kind, ValueKind::String | ValueKind::Uuid))
        .filter_map(|f| object.get(f.name)?.as_str())
        .any(|text| text.to_lowercase().contains(&needle))
}

fn slim(object: &Object) -> Value {
    let kept: Map<String, Value> = object
        .iter()
        .filter(|(_, v)| match v {
            Value::Null | Value::Array(_) => false,
            Value::Object(o) => o.len() == 1 && o.contains_key("id"),
            _ => true,
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(kept)
}
