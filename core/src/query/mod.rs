//! The list query: filters, ordering, pagination and the list flags, with one
//! parser and one encoder so the client and the sandbox read the query string the
//! same way.
//!
//! The documented parameters (`list_query_common` in `spec/accounts.json`):
//! `_page` (≥ 1) and `_page_size` only together, `_order_by` as a comma list with
//! `-` for descending, `_search`, `_slim`, `_statistics`, `_jsonl`; and the field
//! filters, `field` for an exact match or `field__op`, either negated by a trailing
//! `!` (see [`filter`]).

pub mod filter;

use std::fmt;

pub use filter::{
    Filter, FilterValue, Filterable, ScalarKind, filter_params, filterable, param_name, split_param,
};

use crate::description::ResourceSpec;

/// The documented list parameters, each read by [`ListQuery::parse`] and
/// written by [`ListQuery::to_pairs`]; any other parameter is a filter (or, with
/// a leading `_`, refused).
pub const LIST_PARAMS: [&str; 7] = [
    "_order_by",
    "_page",
    "_page_size",
    "_search",
    "_slim",
    "_statistics",
    "_jsonl",
];

/// A list query parameter the reader refused: which one, why, and a rule code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The parameter as written (`created_at__gte`, `_page`).
    pub param: String,
    /// `unknown_filter`, `unsupported_operator`, `invalid_value`,
    /// `set_together_with`, `minimum`, `maximum`, `unknown_order_field` or
    /// `reserved_parameter`.
    pub code: &'static str,
    /// What is wrong, without repeating the value.
    pub message: String,
}

impl QueryError {
    pub(crate) fn new(param: &str, code: &'static str, message: impl Into<String>) -> Self {
        QueryError {
            param: param.to_owned(),
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.param, self.message, self.code)
    }
}

impl std::error::Error for QueryError {}

/// One key of `_order_by`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBy {
    /// The field.
    pub field: String,
    /// `-field`: largest first.
    pub descending: bool,
}

impl OrderBy {
    /// Sort keys as the API writes them: comma-separated, each with a leading
    /// `-` for largest first (`"last_name,-birth_date"`); blanks around a key
    /// are ignored. A key naming no field of `spec` is an error in `errors`.
    pub fn parse_keys(
        spec: &ResourceSpec,
        keys: &str,
        errors: &mut Vec<QueryError>,
    ) -> Vec<OrderBy> {
        let mut out = Vec::new();
        for key in keys.split(',').map(str::trim).filter(|k| !k.is_empty()) {
            let (field, descending) = match key.strip_prefix('-') {
                Some(field) => (field, true),
                None => (key, false),
            };
            if spec.field(field).is_none() {
                let hint = crate::validate::closest(field, spec.fields.iter().map(|f| f.name))
                    .map(|near| {
                        format!(
                            "; did you mean {}{near}?",
                            if descending { "-" } else { "" }
                        )
                    })
                    .unwrap_or_default();
                errors.push(QueryError::new(
                    "_order_by",
                    "unknown_order_field",
                    format!("{} has no field {field} to order by{hint}", spec.name),
                ));
            }
            out.push(OrderBy {
                field: field.to_owned(),
                descending,
            });
        }
        out
    }
}

/// A page request: `_page` and `_page_size` always travel together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    /// Rows per page.
    pub size: u32,
}

/// A whole list query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListQuery {
    /// The field filters, all of which must hold.
    pub filters: Vec<Filter>,
    /// Sort keys, most significant first.
    pub order_by: Vec<OrderBy>,
    /// `_page` and `_page_size`.
    pub page: Option<Page>,
    /// `_search`: free text.
    pub search: Option<String>,
    /// `_slim`.
    pub slim: bool,
    /// `_statistics`.
    pub statistics: bool,
    /// `_jsonl`: one JSON object per line instead of an array.
    pub jsonl: bool,
    /// Parameters the reference does not list, sent last as given: the
    /// client's escape hatch (`extra_query`). A server reading a query string
    /// never fills it: it refuses what it does not know.
    pub extra: Vec<(String, String)>,
}

impl ListQuery {
    /// Reads a decoded query (name, value pairs, in order) for a resource.
    /// Returns every refused parameter, not only the first.
    pub fn parse<'a>(
        spec: &ResourceSpec,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<ListQuery, Vec<QueryError>> {
        let mut query = ListQuery::default();
        let mut errors = Vec::new();
        let (mut page, mut page_size) = (None, None);
        for (name, value) in pairs {
            let flag = |errors: &mut Vec<QueryError>| match value {
                "true" | "True" | "1" => true,
                "false" | "False" | "0" => false,
                _ => {
                    errors.push(QueryError::new(
                        name,
                        "invalid_value",
                        "expected true or false",
                    ));
                    false
                }
            };
            match name {
                "_page" => page = Some(positive(name, value, &mut errors)),
                "_page_size" => page_size = Some(positive(name, value, &mut errors)),
                "_order_by" => query
                    .order_by
                    .extend(OrderBy::parse_keys(spec, value, &mut errors)),
                "_search" => query.search = Some(value.to_owned()),
                "_slim" => query.slim = flag(&mut errors),
                "_statistics" => query.statistics = flag(&mut errors),
                "_jsonl" => query.jsonl = flag(&mut errors),
                _ if name.starts_with('_') => errors.push(QueryError::new(
                    name,
                    "unknown_parameter",
                    "not a documented list parameter",
                )),
                _ => {
                    let (field, op, negate) = split_param(name);
                    match Filter::parse(spec, field, op, negate, value) {
                        Ok(filter) => query.filters.push(filter),
                        Err(e) => errors.push(e),
                    }
                }
            }
        }
        match (page, page_size) {
            (Some(Some(number)), Some(Some(size))) => query.page = Some(Page { number, size }),
            (Some(_), None) => errors.push(QueryError::new(
                "_page",
                "set_together_with",
                "_page must be set together with _page_size",
            )),
            (None, Some(_)) => errors.push(QueryError::new(
                "_page_size",
                "set_together_with",
                "_page_size must be set together with _page",
            )),
            _ => {}
        }
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
    }

    /// The same query for one page (`_page`, `_page_size`).
    pub fn with_page(mut self, number: u32, size: u32) -> ListQuery {
        self.page = Some(Page { number, size });
        self
    }

    /// The query as (name, value) pairs, before percent-encoding, in a fixed
    /// order: filters as given, then `_order_by`, `_page`, `_page_size`, `_search`
    /// and the flags that are on.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = self
            .filters
            .iter()
            .map(|f| (f.param(), f.value.to_string()))
            .collect();
        if !self.order_by.is_empty() {
            let keys: Vec<String> = self
                .order_by
                .iter()
                .map(|o| format!("{}{}", if o.descending { "-" } else { "" }, o.field))
                .collect();
            pairs.push(("_order_by".into(), keys.join(",")));
        }
        if let Some(page) = self.page {
            pairs.push(("_page".into(), page.number.to_string()));
            pairs.push(("_page_size".into(), page.size.to_string()));
        }
        if let Some(search) = &self.search {
            pairs.push(("_search".into(), search.clone()));
        }
        for (on, name) in [
            (self.slim, "_slim"),
            (self.statistics, "_statistics"),
            (self.jsonl, "_jsonl"),
        ] {
            if on {
                pairs.push((name.into(), "true".into()));
            }
        }
        pairs.extend(self.extra.iter().cloned());
        pairs
    }

    /// The percent-encoded query string (without the `?`).
    pub fn to_query_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.to_pairs() {
            out.append_pair(&name, &value);
        }
        out.finish()
    }

    /// Parses a raw (percent-encoded) query string, as a server receives it.
    pub fn parse_query_string(
        spec: &ResourceSpec,
        raw: &str,
    ) -> Result<ListQuery, Vec<QueryError>> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
            .into_owned()
            .collect();
        ListQuery::parse(spec, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

/// `_page` or `_page_size` as the reference bounds it: an int32 of at least 1.
pub(crate) fn check_page_param(name: &str, n: u64) -> Result<u32, QueryError> {
    match u32::try_from(n) {
        Ok(0) => Err(QueryError::new(
            name,
            "minimum",
            format!("{name} must be at least 1"),
        )),
        Ok(n) if n <= i32::MAX as u32 => Ok(n),
        _ => Err(QueryError::new(
            name,
            "maximum",
            format!("{name} must be at most {}", i32::MAX),
        )),
    }
}

/// A positive 32-bit integer, or an error for the parameter.
fn positive(name: &str, value: &str, errors: &mut Vec<QueryError>) -> Option<u32> {
    match value.parse::<u64>() {
        Ok(n) => check_page_param(name, n).map_err(|e| errors.push(e)).ok(),
        Err(_) => {
            errors.push(QueryError::new(
                name,
                "invalid_value",
                "expected a positive whole number",
            ));
            None
        }
    }
}
