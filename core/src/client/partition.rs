//! A list split into parts by `created_at` ranges, for exports spread over
//! processes or machines (Dask, `multiprocessing`): each part is a query of
//! its own, fetched anywhere, and every row falls in exactly one part.
//!
//! Ranges of `created_at` rather than page offsets: a row added while the
//! parts are fetched lands in the last part (its `created_at` is later than
//! every boundary) instead of shifting every later page by one.

use chrono::{DateTime, FixedOffset};
use futures_util::{StreamExt, TryStreamExt, stream};

use super::handle::RawHandle;
use crate::description::Operator;
use crate::query::{Filter, FilterValue, ListQuery, OrderBy, QueryError};
use crate::{Error, Result};

/// The field parts are split by: every resource has it, and the server sets
/// it once, so a row never moves between parts.
const SPLIT_FIELD: &str = "created_at";

/// Boundary rows asked for at once.
const CONCURRENT_SAMPLES: usize = 4;

/// One part of a list: the list's query with a `created_at` range added.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// Its place among the parts, from 0.
    pub index: usize,
    /// How many parts the list was split into.
    pub count: usize,
    /// The rows of this part.
    pub query: ListQuery,
}

impl RawHandle {
    /// Splits the rows `query` matches into at most `parts` parts of about as
    /// many rows each, by `created_at` ranges: part `i` holds the rows created
    /// from boundary `i` (inclusive) to boundary `i + 1` (exclusive), the first
    /// has no lower bound and the last no upper one. The boundaries are the
    /// `created_at` of the rows at evenly spaced offsets of the list ordered by
    /// `created_at` (one request for the count, then one per boundary). Fewer
    /// parts come back when rows share a `created_at` across a boundary or
    /// when there are fewer rows than parts; never none.
    pub async fn partitions(&self, query: ListQuery, parts: usize) -> Result<Vec<Partition>> {
        let spec = self.spec();
        let refused = |problem: QueryError| Error::Query {
            resource: spec.name,
            problems: vec![problem],
        };
        if parts == 0 {
            return Err(refused(QueryError::new(
                "partitions",
                "minimum",
                "partitions must be at least 1",
            )));
        }
        // The split needs `created_at` ranges the server understands.
        for op in [Operator::Gte, Operator::Lt] {
            Filter::parse(spec, SPLIT_FIELD, op, false, "2000-01-01T00:00:00Z").map_err(refused)?;
        }
        let mut ordered = query.clone();
        ordered.order_by = vec![
            OrderBy {
                field: SPLIT_FIELD.into(),
                descending: false,
            },
            OrderBy {
                field: "id".into(),
                descending: false,
            },
        ];
        ordered.page = None;
        let mut counted = ordered.clone().with_page(1, 1);
        counted.statistics = true;
        let total = self.list(&counted).await?.total.unwrap_or(0);
        let offsets: Vec<u64> = (1..parts as u64)
            .map(|k| k * total / parts as u64)
            .filter(|&offset| offset > 0 && offset < total)
            .collect();
        let mut boundaries: Vec<DateTime<FixedOffset>> = stream::iter(offsets)
            .map(|offset| {
                // A page of one row is the row at that offset (a page number
                // is an int32, as the reference bounds it).
                let number = u32::try_from(offset + 1).unwrap_or(i32::MAX as u32);
                let sample = ordered.clone().with_page(number, 1);
                async move { self.created_at(&sample).await }
            })
            .buffered(CONCURRENT_SAMPLES)
            .try_filter_map(|found| async move { Ok(found) })
            .try_collect()
            .await?;
        boundaries.sort();
        boundaries.dedup();
        let count = boundaries.len() + 1;
        let bounds = std::iter::once(None)
            .chain(boundaries.iter().map(Some))
            .chain(std::iter::once(None))
            .collect::<Vec<_>>();
        Ok(bounds
            .windows(2)
            .enumerate()
            .map(|(index, range)| Partition {
                index,
                count,
                query: in_range(&query, range[0], range[1]),
            })
            .collect())
    }

    /// The `created_at` of the one row a query's page holds, if any.
    async fn created_at(&self, sample: &ListQuery) -> Result<Option<DateTime<FixedOffset>>> {
        let page = self.list(sample).await?;
        let Some(text) = page.rows.first().and_then(|row| row[SPLIT_FIELD].as_str()) else {
            return Ok(None);
        };
        DateTime::parse_from_rfc3339(text)
            .map(Some)
            .map_err(|e| Error::Decode {
                model: self.spec().name,
                path: format!("[0].{SPLIT_FIELD}"),
                message: e.to_string(),
            })
    }
}

/// `query` limited to `from <= created_at < to`. A bound of the caller's own
/// on the same side is dropped: the boundary is the `created_at` of a row the
/// query matched, so it is already within it.
fn in_range(
    query: &ListQuery,
    from: Option<&DateTime<FixedOffset>>,
    to: Option<&DateTime<FixedOffset>>,
) -> ListQuery {
    let mut query = query.clone();
    let bound = |op, at: &DateTime<FixedOffset>| Filter {
        field: SPLIT_FIELD.into(),
        op,
        negate: false,
        value: FilterValue::DateTime(*at),
    };
    let same_side =
        |f: &Filter, ops: [Operator; 2]| f.field == SPLIT_FIELD && !f.negate && ops.contains(&f.op);
    if let Some(from) = from {
        query
            .filters
            .retain(|f| !same_side(f, [Operator::Gte, Operator::Gt]));
        query.filters.push(bound(Operator::Gte, from));
    }
    if let Some(to) = to {
        query
            .filters
            .retain(|f| !same_side(f, [Operator::Lt, Operator::Lte]));
        query.filters.push(bound(Operator::Lt, to));
    }
    query
}
