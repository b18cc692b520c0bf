//! Building a list query for one resource, checked against its description
//! before anything is sent.

use super::filter_arg::FilterArg;
use super::options::CallOptions;
use crate::description::{Operator, ResourceSpec};
use crate::query::{
    Filter, LIST_PARAMS, ListQuery, OrderBy, Page, QueryError, check_page_param, filterable,
    split_param,
};
use crate::{Error, Result};

/// A list query for one resource. Every filter and sort key is checked against
/// the resource's description as it is added; the problems are reported
/// together, naming each parameter, when the query is sent.
///
/// ```
/// use pigello::client::Query;
/// use pigello::description::Operator;
/// use pigello::resources::TENANT;
///
/// let query = Query::new(&TENANT)
///     .filter("first_name__icontains", "an")
///     .filter("last_name__in__not", ["Berg", "Ek"])
///     .where_(
///         "birth_date",
///         Operator::Gte,
///         chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
///     )
///     .order_by("last_name")
///     .order_by_desc("birth_date")
///     .page(1, 50)
///     .build()?;
/// assert_eq!(
///     query.to_query_string(),
///     "first_name__icontains=an&last_name__in%21=Berg%2CEk&birth_date__gte=1980-01-01\
///      &_order_by=last_name%2C-birth_date&_page=1&_page_size=50"
/// );
/// let refused = Query::new(&TENANT).filter("shoe_size__gt", 40).build();
/// assert!(refused.unwrap_err().to_string().contains("shoe_size__gt"));
/// # Ok::<(), pigello::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Query {
    spec: &'static ResourceSpec,
    query: ListQuery,
    problems: Vec<QueryError>,
}

impl Query {
    /// An empty query: every row.
    pub fn new(spec: &'static ResourceSpec) -> Self {
        Query {
            spec,
            query: ListQuery::default(),
            problems: Vec::new(),
        }
    }

    /// The resource queried.
    pub fn spec(&self) -> &'static ResourceSpec {
        self.spec
    }

    /// A filter written as the API spells it: `field`, `field__op`, either with
    /// a trailing `!` to negate (`custom_id__icontains!`). A trailing `__not`
    /// negates too (`custom_id__icontains__not`), for languages whose keyword
    /// arguments cannot hold a `!`; it is sent as `!`.
    pub fn filter(mut self, param: &str, value: impl FilterArg) -> Self {
        let param = match param.strip_suffix("__not") {
            Some(rest) => format!("{rest}!"),
            None => param.to_owned(),
        };
        if let Some(reason) = value.refusal() {
            self.problems
                .push(QueryError::new(&param, "invalid_value", reason));
            return self;
        }
        let (field, op, negate) = split_param(&param);
        let field = field.to_owned();
        let kind = filterable(self.spec, &field).map(|f| f.value);
        self.add(&field, op, negate, value.to_raw_for(kind))
    }

    /// A query parameter the reference does not list, sent as given: the
    /// escape hatch past the refusal of unknown filters. The documented list
    /// parameters (`_order_by`, `_page`, ...) stay the client's.
    pub fn extra_query(mut self, name: &str, value: impl FilterArg) -> Self {
        // The client sets these from its own options (and while paging and
        // streaming); an extra parameter cannot replace them.
        if LIST_PARAMS.contains(&name) {
            self.problems.push(QueryError::new(
                name,
                "reserved_parameter",
                format!("{name} is a documented list parameter; use the option that sets it"),
            ));
        } else if let Some(reason) = value.refusal() {
            self.problems
                .push(QueryError::new(name, "invalid_value", reason));
        } else {
            self.query.extra.push((name.to_owned(), value.to_raw()));
        }
        self
    }

    /// `field` compared with `op`.
    pub fn where_(self, field: &str, op: Operator, value: impl FilterArg) -> Self {
        self.add(field, op, false, value.to_raw())
    }

    /// The rows that do **not** match `field` compared with `op` (the API's `!`).
    pub fn exclude(self, field: &str, op: Operator, value: impl FilterArg) -> Self {
        self.add(field, op, true, value.to_raw())
    }

    fn add(mut self, field: &str, op: Operator, negate: bool, raw: String) -> Self {
        match Filter::parse(self.spec, field, op, negate, &raw) {
            Ok(filter) => self.query.filters.push(filter),
            Err(e) => self.problems.push(e),
        }
        self
    }

    /// Sorts by `field`, smallest first; later keys break ties.
    pub fn order_by(self, field: &str) -> Self {
        self.order(field, false)
    }

    /// Sorts by `field`, largest first.
    pub fn order_by_desc(self, field: &str) -> Self {
        self.order(field, true)
    }

    /// Sort keys as the API writes them: comma-separated, each with a leading
    /// `-` for largest first (`"last_name,-birth_date"`); read as the server
    /// reads `_order_by`.
    pub fn sort(mut self, keys: &str) -> Self {
        let keys = OrderBy::parse_keys(self.spec, keys, &mut self.problems);
        self.query.order_by.extend(keys);
        self
    }

    fn order(self, field: &str, descending: bool) -> Self {
        let key = format!("{}{field}", if descending { "-" } else { "" });
        self.sort(&key)
    }

    /// One page: `number` from 1, `size` rows, each within the bounds the
    /// server reads `_page` and `_page_size` with.
    pub fn page(mut self, number: u32, size: u32) -> Self {
        for (param, n) in [("_page", number), ("_page_size", size)] {
            if let Err(problem) = check_page_param(param, n.into()) {
                self.problems.push(problem);
            }
        }
        self.query.page = Some(Page { number, size });
        self
    }

    /// Free-text search.
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.query.search = Some(text.into());
        self
    }

    /// Asks for the slim representation.
    pub fn slim(mut self, on: bool) -> Self {
        self.query.slim = on;
        self
    }

    /// Asks for statistics (the total count across pages).
    pub fn statistics(mut self, on: bool) -> Self {
        self.query.statistics = on;
        self
    }

    /// The checked query, or every problem found.
    pub fn build(self) -> Result<ListQuery> {
        if self.problems.is_empty() {
            Ok(self.query)
        } else {
            Err(Error::Query {
                resource: self.spec.name,
                problems: self.problems,
            })
        }
    }
}

/// `query` with `id` as the last sort key, so the order is total and walking
/// pages can neither skip nor repeat a row.
pub(crate) fn with_id_tiebreak(mut query: ListQuery) -> ListQuery {
    if !query.order_by.iter().any(|o| o.field == "id") {
        query.order_by.push(OrderBy {
            field: "id".into(),
            descending: false,
        });
    }
    query
}

/// A list call's arguments as a binding receives them (Python's keywords,
/// Node's options object), turned into a checked query by one function, so
/// the packages read them alike: the same defaults, the same checks, the same
/// order of parameters on the wire.
///
/// ```
/// use pigello::client::{CallOptions, ListArgs};
/// use serde_json::json;
///
/// let args = ListArgs {
///     order_by: vec!["-birth_date".into()],
///     filters: vec![("first_name__icontains".into(), json!("an"))],
///     ..ListArgs::default()
/// };
/// let options = CallOptions::default().extra_query("beta", json!(1));
/// let query = args.page_query(&pigello::resources::TENANT, &options)?;
/// assert_eq!(
///     query.to_query_string(),
///     "first_name__icontains=an&_order_by=-birth_date&_page=1&_page_size=100&beta=1"
/// );
/// # Ok::<(), pigello::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListArgs {
    /// The page, from 1 (default 1).
    pub page: Option<u32>,
    /// Rows per page (default [`crate::client::DEFAULT_PAGE_SIZE`]).
    pub page_size: Option<u32>,
    /// Sort keys as the API writes them, each possibly `"a,-b"`.
    pub order_by: Vec<String>,
    /// Free-text search.
    pub search: Option<String>,
    /// The slim representation.
    pub slim: bool,
    /// The total count across pages.
    pub statistics: bool,
    /// Filters as the API spells them (`first_name__icontains`, a trailing
    /// `!` or `__not` negating), with their values.
    pub filters: Vec<(String, serde_json::Value)>,
}

impl ListArgs {
    /// The query of one page: the first page of
    /// [`crate::client::DEFAULT_PAGE_SIZE`] rows unless the arguments say
    /// otherwise.
    pub fn page_query(
        &self,
        spec: &'static ResourceSpec,
        options: &CallOptions,
    ) -> Result<ListQuery> {
        let number = self.page.unwrap_or(1);
        let size = self.page_size.unwrap_or(crate::client::DEFAULT_PAGE_SIZE);
        self.query(spec, options)?.page(number, size).build()
    }

    /// The query of a walk over every page (an iteration, an export), which
    /// names its own pages; `page` and `page_size` are the walk's to set.
    pub fn walk_query(
        &self,
        spec: &'static ResourceSpec,
        options: &CallOptions,
    ) -> Result<ListQuery> {
        self.query(spec, options)?.build()
    }

    fn query(&self, spec: &'static ResourceSpec, options: &CallOptions) -> Result<Query> {
        options.refuse_body(&reqwest::Method::GET, spec.paths.list)?;
        let mut q = Query::new(spec);
        for (name, value) in &self.filters {
            q = q.filter(name, value);
        }
        for (name, value) in &options.extra_query {
            q = q.extra_query(name, value);
        }
        for keys in &self.order_by {
            q = q.sort(keys);
        }
        if let Some(text) = &self.search {
            q = q.search(text.clone());
        }
        Ok(q.slim(self.slim).statistics(self.statistics))
    }
}
