//! One resource's calls, each built and returned unsent (a `PendingCall`): the
//! package's `Resource` waits for it, its `AsyncResource` awaits it, so both
//! clients share every call and its conversion.

use crate::arg::{Arg, opt};
use std::future::Future;

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use serde_json::Value;
use uuid::Uuid;

use pigello::client::{CallOptions, DEFAULT_PAGE_SIZE, Query, RawHandle, RequestOptions};
use pigello::description::ResourceSpec;
use pigello::query::ListQuery;

use arrow_array::RecordBatch;

use crate::arrow::{ArrowStream, BatchStream, Batches};
use crate::classes::instantiate;
use crate::client::request_options;
use crate::convert::{Step, filter_value, py_to_json, py_to_json_at, text_argument};
use crate::errors::to_py;
use crate::frame::Undocumented;
use crate::model::Model;
use crate::page::Page;
use crate::partition::Partition;
use crate::pending::{CallState, Finish, PendingCall};
use crate::progress::Progress;
use crate::row::{LazyRows, Row};
use crate::runtime::{Birth, Driver, ProcessBound};

/// Which client a resource's calls belong to: what a page's `next_page()`
/// gives back (a result, or a coroutine of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    Blocking,
    Awaitable,
}

pub use crate::rows::Rows;

/// The calls of one resource, each returned unsent.
#[pyclass(module = "pigello._native", name = "ResourceCalls", frozen)]
pub struct ResourceCalls {
    raw: ProcessBound<RawHandle>,
    spec: &'static ResourceSpec,
    birth: Birth,
    pub kind: ClientKind,
    /// What runs the calls a blocking client waits for.
    driver: Driver,
}

impl ResourceCalls {
    pub fn new(
        client: pigello::Client,
        spec: &'static ResourceSpec,
        birth: Birth,
        (kind, driver): (ClientKind, Driver),
    ) -> Self {
        ResourceCalls {
            raw: ProcessBound::new(client.resource(spec)),
            spec,
            birth,
            kind,
            driver,
        }
    }

    /// What runs this resource's blocking calls, and where its client was made.
    pub fn runner(&self) -> (Driver, Birth) {
        (self.driver.clone(), self.birth)
    }

    /// The resource's handle for one call: its own options, a fresh token
    /// that Ctrl-C cancels and a recorder of its answer (see `PendingCall`).
    fn for_call(&self, options: RequestOptions) -> (RawHandle, CallState) {
        Python::attach(crate::logging::refresh);
        let state = CallState::default();
        let options = options
            .cancel(state.cancel.clone())
            .record(state.record.clone());
        (self.raw.with_options(&options), state)
    }

    /// [`ResourceCalls::for_call`] with a call's own `timeout=`,
    /// `max_retries=` and `extra_headers=`.
    fn sending(
        &self,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(RawHandle, CallState)> {
        let options = request_options(timeout, max_retries, extra_headers, "extra_headers")?;
        Ok(self.for_call(options))
    }

    /// A core call, unsent; `convert` turns its result into Python values
    /// once it is answered.
    fn finish<T, F>(
        &self,
        (call, state): (F, CallState),
        convert: fn(Python<'_>, &'static ResourceSpec, T) -> PyResult<Py<PyAny>>,
    ) -> PyResult<PendingCall>
    where
        T: Send + 'static,
        F: Future<Output = pigello::Result<T>> + Send + 'static,
    {
        self.birth.check("client")?;
        let spec = self.spec;
        let record = state.record.clone();
        let work = async move {
            let value = call.await.map_err(to_py)?;
            let request_id = record.last().and_then(|answer| answer.request_id);
            let finish: Finish = Box::new(move |py| {
                let value = convert(py, spec, value)?;
                crate::model::stamp(value.bind(py), request_id.as_deref())?;
                Ok(value)
            });
            Ok(finish)
        };
        Ok(PendingCall::new(self.runner(), work, state))
    }

    /// One page of `query` (which names its page), as a `Page` that knows the
    /// query of the next one.
    pub fn list_page(&self, me: Py<ResourceCalls>, query: ListQuery) -> PyResult<PendingCall> {
        let (raw, state) = self.for_call(RequestOptions::default());
        let listed = async move {
            let listed = raw.list_with(&query, &LazyRows).await?;
            let next = listed.next_query(&query);
            Ok((listed, next, me))
        };
        self.finish((listed, state), |py, spec, (listed, next, resource)| {
            let page = listed.page.unwrap_or(pigello::query::Page {
                number: 1,
                size: DEFAULT_PAGE_SIZE,
            });
            let rows = models(py, spec, listed.rows)?;
            for row in &rows {
                crate::model::stamp(row.bind(py).as_any(), listed.request_id.as_deref())?;
            }
            let page = Page {
                spec,
                rows,
                total: listed.total,
                page: page.number,
                page_size: page.size,
                request_id: listed.request_id,
                resource: Some(resource),
                more: next.is_some(),
                next,
            };
            Ok(Py::new(py, page)?.into_any())
        })
    }
}

fn one(py: Python<'_>, spec: &'static ResourceSpec, row: Row) -> PyResult<Py<PyAny>> {
    Ok(instantiate(py, Model::new(spec, row))?.into_any())
}

fn many(py: Python<'_>, spec: &'static ResourceSpec, rows: Vec<Value>) -> PyResult<Py<PyAny>> {
    let rows = rows
        .iter()
        .map(|row| Row::from_json(spec, row).map_err(to_py))
        .collect::<PyResult<_>>()?;
    Ok(PyList::new(py, models(py, spec, rows)?)?
        .into_any()
        .unbind())
}

fn nothing(py: Python<'_>, _: &'static ResourceSpec, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}

fn plain(py: Python<'_>, _: &'static ResourceSpec, value: Value) -> PyResult<Py<PyAny>> {
    Ok(crate::convert::json_to_py(py, &value)?.unbind())
}

/// An id given as a `str`, a `uuid.UUID` or a model; the core checks it (not a
/// uuid is a `ValidationError`), anything else is a `TypeError`.
pub fn parse_id(raw: &RawHandle, value: &Bound<'_, PyAny>) -> PyResult<Uuid> {
    let text = match py_to_json(value) {
        Ok(Value::String(s)) => s,
        // A str that cannot be sent (a lone surrogate) says so.
        Err(e) if value.is_instance_of::<PyString>() => return Err(e),
        _ => {
            return Err(PyTypeError::new_err(format!(
                "id must be a uuid string, a uuid.UUID or a model, not {}",
                value.get_type().name()?
            )));
        }
    };
    raw.parse_id(&text).map_err(to_py)
}

/// A body from keyword arguments (the core sends a relation given as an id
/// as `{"id": ...}`).
fn body(fields: Option<&Bound<'_, PyDict>>) -> PyResult<Value> {
    match fields {
        Some(fields) => py_to_json(fields.as_any()),
        None => Ok(Value::Object(Default::default())),
    }
}

/// The options of a write from its reserved keywords (`extra_body=`).
fn call_options(extra_body: Option<&Bound<'_, PyDict>>) -> PyResult<CallOptions> {
    let mut options = CallOptions::default();
    if let Some(Value::Object(extra)) = extra_body.map(|d| py_to_json(d.as_any())).transpose()? {
        options.extra_body = extra;
    }
    Ok(options)
}

/// The list keywords that are not filters.
pub struct ListArgs<'a, 'py> {
    pub order_by: Option<&'a Bound<'py, PyAny>>,
    pub search: Option<Bound<'py, PyAny>>,
    pub slim: Option<bool>,
    pub statistics: Option<bool>,
    pub extra_query: Option<&'a Bound<'py, PyDict>>,
}

/// A list query from the keyword arguments.
pub fn query(
    spec: &'static ResourceSpec,
    args: ListArgs<'_, '_>,
    filters: Option<&Bound<'_, PyDict>>,
) -> PyResult<Query> {
    let ListArgs {
        order_by,
        search,
        slim,
        statistics,
        extra_query,
    } = args;
    let mut q = Query::new(spec);
    for (name, value) in filters.into_iter().flat_map(|f| f.iter()) {
        let name = text_argument("a filter's name", &name)?;
        q = q.filter(&name, filter_value(&name, &value)?);
    }
    for (name, value) in extra_query.into_iter().flat_map(|f| f.iter()) {
        let name = text_argument("an extra_query parameter's name", &name)?;
        q = q.extra_query(&name, filter_value(&name, &value)?);
    }
    if let Some(order) = order_by {
        let keys: Vec<String> = if order.is_instance_of::<PyString>() {
            vec![text_argument("order_by", order)?]
        } else {
            order
                .try_iter()?
                .map(|key| text_argument("order_by", &key?))
                .collect::<PyResult<_>>()?
        };
        for key in &keys {
            q = q.sort(key);
        }
    }
    if let Some(text) = search {
        q = q.search(text_argument("search", &text)?);
    }
    Ok(q.slim(slim.unwrap_or(false))
        .statistics(statistics.unwrap_or(false)))
}

fn models(py: Python<'_>, spec: &'static ResourceSpec, rows: Vec<Row>) -> PyResult<Vec<Py<Model>>> {
    rows.into_iter()
        .map(|row| instantiate(py, Model::new(spec, row)))
        .collect()
}

#[pymethods]
impl ResourceCalls {
    /// The resource's name, as the API spells it.
    #[getter]
    fn name(&self) -> &'static str {
        self.spec.name
    }

    /// One object by id.
    #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None))]
    fn get(
        &self,
        id: &Bound<'_, PyAny>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PendingCall> {
        let (raw, state) = self.sending(timeout, max_retries, extra_headers)?;
        let id = parse_id(&raw, id)?;
        self.finish(
            (async move { raw.get_with(id, &LazyRows).await }, state),
            one,
        )
    }

    /// One page. Without `page`, the first page of `page_size` (default 100) rows.
    /// Filters are keywords as the API spells them (`first_name__icontains="an"`);
    /// end one with `__not` to negate it (the API's `!`).
    /// The next pages (`Page.next_page()`) are sent with the same options.
    #[pyo3(signature = (*, page=None, page_size=None, order_by=None, search=None, slim=None, statistics=None, extra_query=None, timeout=None, max_retries=None, extra_headers=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn list(
        slf: &Bound<'_, Self>,
        page: Option<Arg<u32>>,
        page_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        slim: Option<Arg<bool>>,
        statistics: Option<Arg<bool>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let args = ListArgs {
            order_by,
            search,
            slim: opt(slim),
            statistics: opt(statistics),
            extra_query,
        };
        let this = slf.get();
        let options = request_options(timeout, max_retries, extra_headers, "extra_headers")?;
        let q = query(this.spec, args, filters)?
            .page(
                opt(page).unwrap_or(1),
                opt(page_size).unwrap_or(DEFAULT_PAGE_SIZE),
            )
            .build()
            .map_err(to_py)?;
        // A page remembers the calls it came from, so its next page is sent
        // with the same options.
        let me = if options.is_empty() {
            slf.clone().unbind()
        } else {
            let derived = ResourceCalls {
                raw: ProcessBound::new(this.raw.with_options(&options)),
                spec: this.spec,
                birth: this.birth,
                kind: this.kind,
                driver: this.driver.clone(),
            };
            Py::new(slf.py(), derived)?
        };
        me.get().list_page(me.clone_ref(slf.py()), q)
    }

    /// Every matching row, one page (of `page_size`, default 100) fetched at a time.
    #[pyo3(signature = (*, page_size=None, order_by=None, search=None, extra_query=None, timeout=None, max_retries=None, extra_headers=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn iterate(
        &self,
        page_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Rows> {
        self.birth.check("client")?;
        // Rows are fetched by `__next__`, whose wait Ctrl-C ends by dropping it.
        let (raw, _) = self.sending(timeout, max_retries, extra_headers)?;
        let args = ListArgs {
            order_by,
            search,
            slim: None,
            statistics: None,
            extra_query,
        };
        let q = query(self.spec, args, filters)?.build().map_err(to_py)?;
        Ok(Rows::new(self.spec, raw, q, opt(page_size), self.runner()))
    }

    /// Every matching row (all pages) as a pandas DataFrame; see `Page.to_pandas`.
    /// `progress` shows the rows fetched: a widget in a notebook with
    /// ipywidgets, text elsewhere (by default in a notebook or a terminal;
    /// `False` never, `True` always). The pages are decoded into Arrow
    /// columns as they come, so only the columns are held, not the bodies.
    #[pyo3(signature = (*, page_size=None, order_by=None, search=None, progress=None, extra_query=None, timeout=None, max_retries=None, extra_headers=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn to_pandas(
        &self,
        py: Python<'_>,
        page_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        progress: Option<Arg<bool>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let export = Export::new(self, order_by, search, extra_query, filters)?;
        let progress = Progress::open(py, self.spec.name, opt(progress))?;
        let spec = self.spec;
        let (collect, state) = self.collect(
            export,
            page_size,
            progress,
            timeout,
            max_retries,
            extra_headers,
        )?;
        let work = async move {
            let batches = collect.await?;
            let finish: Finish = Box::new(move |py| {
                Ok(crate::frame::frame(py, spec, &batches, Undocumented::Columns)?.unbind())
            });
            Ok(finish)
        };
        Ok(PendingCall::new(self.runner(), work, state))
    }

    /// Every matching row as an Arrow stream (the Arrow PyCapsule interface):
    /// `pyarrow.table(s)`, `polars.DataFrame(s)`, `duckdb.sql("from s")`. Pages
    /// of `page_size` rows are fetched as the stream is read, one ahead, so a
    /// reader that writes each batch away holds two pages at most. Read once.
    #[pyo3(signature = (*, page_size=None, order_by=None, search=None, extra_query=None, timeout=None, max_retries=None, extra_headers=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn to_arrow(
        &self,
        page_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<ArrowStream> {
        self.birth.check("client")?;
        let export = Export::new(self, order_by, search, extra_query, filters)?;
        let (raw, _) = self.sending(timeout, max_retries, extra_headers)?;
        let stream = raw.batches(export.query, opt(page_size)).boxed();
        Ok(ArrowStream::walk(self.spec, stream, self.runner()))
    }

    /// [`ResourceCalls::to_arrow`] with every page fetched first (without
    /// blocking, for `AsyncClient`): a stream that can be read any number of
    /// times.
    #[pyo3(signature = (*, page_size=None, order_by=None, search=None, extra_query=None, timeout=None, max_retries=None, extra_headers=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn to_arrow_fetched(
        &self,
        page_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let export = Export::new(self, order_by, search, extra_query, filters)?;
        let spec = self.spec;
        let (collect, state) =
            self.collect(export, page_size, None, timeout, max_retries, extra_headers)?;
        let work = async move {
            let stream = ArrowStream::held(spec, collect.await?);
            let finish: Finish = Box::new(move |py| Ok(Py::new(py, stream)?.into_any()));
            Ok(finish)
        };
        Ok(PendingCall::new(self.runner(), work, state))
    }

    /// Every matching row, a page (`batch_size` rows, the client's page size by
    /// default) at a time as an `ArrowBatch`, by `for` or `async for`; the
    /// next page is fetched while one is read.
    #[pyo3(signature = (*, batch_size=None, order_by=None, search=None, extra_query=None, timeout=None, max_retries=None, extra_headers=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn iter_batches(
        &self,
        batch_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Batches> {
        self.birth.check("client")?;
        let export = Export::new(self, order_by, search, extra_query, filters)?;
        let (raw, _) = self.sending(timeout, max_retries, extra_headers)?;
        let stream = raw.batches(export.query, opt(batch_size)).boxed();
        Ok(Batches::new(self.spec, stream, self.runner()))
    }

    /// The matching rows split into at most `n` parts of about as many rows
    /// each, by `created_at` ranges (see `Partition`): each part pickles, and
    /// is fetched in any process with a client of its own.
    #[pyo3(signature = (n, *, order_by=None, search=None, extra_query=None, timeout=None, max_retries=None, extra_headers=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn partitions(
        &self,
        n: Arg<usize>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let export = Export::new(self, order_by, search, extra_query, filters)?;
        let (raw, state) = self.sending(timeout, max_retries, extra_headers)?;
        self.finish(
            (
                async move { raw.partitions(export.query, n.0).await },
                state,
            ),
            |py, spec, parts: Vec<pigello::client::Partition>| {
                let parts = parts
                    .into_iter()
                    .map(|part| Py::new(py, Partition::new(spec, part)))
                    .collect::<PyResult<Vec<_>>>()?;
                Ok(PyList::new(py, parts)?.into_any().unbind())
            },
        )
    }

    /// Creates an object from keyword arguments. A keyword naming no documented
    /// field is refused before sending; `extra_body` sends fields the reference
    /// does not list.
    #[pyo3(signature = (*, extra_body=None, timeout=None, max_retries=None, extra_headers=None, **fields))]
    fn create(
        &self,
        extra_body: Option<&Bound<'_, PyDict>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let (raw, state) = self.sending(timeout, max_retries, extra_headers)?;
        let body = body(fields)?;
        let options = call_options(extra_body)?;
        let created = async move { raw.create_with(&body, &options, &LazyRows).await };
        self.finish((created, state), one)
    }

    /// Updates an object: a field set to `None` is cleared, one left out stays.
    #[pyo3(signature = (id, *, extra_body=None, timeout=None, max_retries=None, extra_headers=None, **fields))]
    #[allow(clippy::too_many_arguments)]
    fn update(
        &self,
        id: &Bound<'_, PyAny>,
        extra_body: Option<&Bound<'_, PyDict>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let (raw, state) = self.sending(timeout, max_retries, extra_headers)?;
        let (id, body) = (parse_id(&raw, id)?, body(fields)?);
        let options = call_options(extra_body)?;
        let updated = async move { raw.update_with(id, &body, &options, &LazyRows).await };
        self.finish((updated, state), one)
    }

    /// Deletes an object.
    #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None))]
    fn delete(
        &self,
        id: &Bound<'_, PyAny>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PendingCall> {
        let (raw, state) = self.sending(timeout, max_retries, extra_headers)?;
        let id = parse_id(&raw, id)?;
        self.finish((async move { raw.delete(id).await }, state), nothing)
    }

    /// Writes dicts in bulk: one with an `"id"` updates that object, one without
    /// creates a new one. Every item is checked before anything is sent.
    #[pyo3(signature = (items, *, timeout=None, max_retries=None, extra_headers=None))]
    fn bulk_write(
        &self,
        items: &Bound<'_, PyAny>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PendingCall> {
        let (raw, state) = self.sending(timeout, max_retries, extra_headers)?;
        let one_value = items.is_instance_of::<PyDict>()
            || items.is_instance_of::<PyString>()
            || items.is_instance_of::<PyBytes>();
        if one_value {
            return Err(PyTypeError::new_err(
                "bulk_write() takes a list (or any iterable) of items, not one item",
            ));
        }
        let bulk = items
            .try_iter()?
            .enumerate()
            .map(|(i, item)| py_to_json_at(Step::Index(i), &item?))
            .collect::<PyResult<Vec<_>>>()?;
        self.finish(
            (async move { raw.bulk_write_json(bulk).await }, state),
            many,
        )
    }

    /// Calls the resource's invite endpoint (tenants, subtenants and organization
    /// users have one) with a JSON body.
    #[pyo3(signature = (body=None, *, timeout=None, max_retries=None, extra_headers=None, **fields))]
    fn invite(
        &self,
        body: Option<&Bound<'_, PyAny>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let (raw, state) = self.sending(timeout, max_retries, extra_headers)?;
        let value = match (body, fields) {
            (Some(b), _) => py_to_json(b)?,
            (None, Some(f)) => py_to_json(f.as_any())?,
            (None, None) => Value::Object(Default::default()),
        };
        self.finish((async move { raw.invite(&value).await }, state), plain)
    }

    fn __repr__(&self) -> String {
        format!("ResourceCalls({})", self.spec.name)
    }
}

/// The query of an export, and the same query counting its rows (for the
/// progress line's total).
struct Export {
    query: ListQuery,
    count: ListQuery,
}

impl Export {
    fn new(
        calls: &ResourceCalls,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Export> {
        let args = |statistics| ListArgs {
            order_by,
            search: search.clone(),
            slim: None,
            statistics,
            extra_query,
        };
        let rows = query(calls.spec, args(None), filters)?
            .build()
            .map_err(to_py)?;
        let count = query(calls.spec, args(Some(true)), filters)?
            .page(1, 1)
            .build()
            .map_err(to_py)?;
        Ok(Export { query: rows, count })
    }
}

impl ResourceCalls {
    /// The batches of a query built elsewhere (a partition's), fetched as
    /// they are read.
    pub fn walk(&self, query: ListQuery, page_size: Option<u32>) -> PyResult<BatchStream> {
        self.birth.check("client")?;
        let (raw, _) = self.sending(None, None, None)?;
        Ok(raw.batches(query, page_size).boxed())
    }

    /// Every batch of an export, the progress redrawn as each comes.
    fn collect(
        &self,
        export: Export,
        page_size: Option<Arg<u32>>,
        progress: Option<Progress>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(
        impl Future<Output = PyResult<Vec<RecordBatch>>> + Send + 'static,
        CallState,
    )> {
        self.birth.check("client")?;
        let (raw, state) = self.sending(timeout, max_retries, extra_headers)?;
        let count = progress.is_some().then(|| (raw.clone(), export.count));
        let stream = raw.batches(export.query, opt(page_size)).boxed();
        Ok((collect_batches(stream, progress, count), state))
    }
}

/// Every batch of a stream. With `progress`, the number of matching rows is
/// asked for first (`count`: the same query, one row, with statistics), then
/// the line is redrawn after each page and ended at the end.
pub async fn collect_batches(
    mut stream: BoxStream<'static, pigello::Result<RecordBatch>>,
    mut progress: Option<Progress>,
    count: Option<(RawHandle, ListQuery)>,
) -> PyResult<Vec<RecordBatch>> {
    if let (Some(progress), Some((raw, query))) = (progress.as_mut(), count) {
        progress.set_total(raw.list(&query).await.map_err(to_py)?.total);
        progress.show(0, false)?;
    }
    let (mut batches, mut rows) = (Vec::new(), 0);
    while let Some(batch) = stream.next().await {
        let batch = batch.map_err(to_py)?;
        rows += batch.num_rows();
        batches.push(batch);
        if let Some(progress) = &progress {
            progress.show(rows, false)?;
        }
    }
    if let Some(progress) = &progress {
        progress.show(rows, true)?;
    }
    Ok(batches)
}
