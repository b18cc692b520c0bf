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

use bytes::Bytes;
use pigello::description::{ResourceSpec, ValueKind};
use pigello::query::ListQuery;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::store::{Object, World};

/// One page of rows, and how many rows matched in all.
#[derive(Debug)]
pub struct Listed {
    /// The rows of the page, shaped as the query asked, each as JSON text.
    pub rows: Vec<Bytes>,
    /// Matching rows across every page.
    pub total: usize,
}

impl Listed {
    /// The rows as one JSON array.
    pub fn array(&self) -> Vec<u8> {
        let size = self.rows.iter().map(|r| r.len() + 1).sum::<usize>() + 2;
        let mut out = Vec::with_capacity(size);
        out.push(b'[');
        for (i, row) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(row);
        }
        out.push(b']');
        out
    }
}

/// Runs a parsed query over one customer's table. Full rows are served from
/// the texts the world keeps, so a row is serialised once until it is written.
pub fn run(world: Option<&mut World>, spec: &'static ResourceSpec, query: &ListQuery) -> Listed {
    let Some(world) = world else {
        return Listed {
            rows: Vec::new(),
            total: 0,
        };
    };
    let (ids, total) = page_ids(world, spec, query);
    let rows = ids
        .iter()
        .filter_map(|id| {
            if query.slim {
                let object = world.get(spec, id)?;
                Some(Bytes::from(serde_json::to_vec(&slim(object)).ok()?))
            } else {
                world.text(spec, id)
            }
        })
        .collect();
    Listed { rows, total }
}

/// The ids of the page's rows, and how many rows matched in all.
fn page_ids(
    world: &mut World,
    spec: &'static ResourceSpec,
    query: &ListQuery,
) -> (Vec<Uuid>, usize) {
    let window = |ids: &[Uuid]| -> Vec<Uuid> {
        let (start, size) = match query.page {
            Some(page) => (
                (page.number as usize - 1).saturating_mul(page.size as usize),
                page.size as usize,
            ),
            None => (0, ids.len()),
        };
        let start = start.min(ids.len());
        ids[start..start.saturating_add(size).min(ids.len())].to_vec()
    };
    let by_id_only = query
        .order_by
        .iter()
        .all(|k| k.field == "id" && !k.descending);
    if query.filters.is_empty() && query.search.is_none() && by_id_only {
        // Every row, in id order: the page is cut from the kept list of ids.
        let ids = world.ids(spec);
        return (window(ids), ids.len());
    }
    let mut rows: Vec<(&Uuid, &Object)> = world
        .entries(spec)
        .filter(|(_, o)| query.filters.iter().all(|f| matcher::matches(spec, f, o)))
        .filter(|(_, o)| query.search.as_deref().is_none_or(|s| searched(spec, o, s)))
        .collect();
    order::sort(spec, &query.order_by, &mut rows);
    let ids: Vec<Uuid> = rows.iter().map(|(id, _)| **id).collect();
    (window(&ids), ids.len())
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
