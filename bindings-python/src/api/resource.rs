//! The methods Python sees of one resource's calls (`ResourceCalls`, held in
//! `calls.rs`), each built and returned unsent (a `PendingCall`): the
//! package's `Resource` waits for it, its `AsyncResource` awaits it, so both
//! clients share every call and its conversion.

use std::future::Future;

use futures_util::StreamExt;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use serde_json::Value;
use uuid::Uuid;

use arrow_array::RecordBatch;
use pigello::client::{LazyRows, ListArgs, RawHandle};
use pigello::query::ListQuery;

use crate::api::calls::ResourceCalls;
use crate::api::options::{ListKeywords, Sent};
use crate::api::partition::Partition;
use crate::call::answer::{self, Answer};
use crate::call::pending::{CallState, PendingCall};
use crate::call::runtime::ProcessBound;
use crate::interop::arrow::ArrowStream;
use crate::interop::batches::{Batches, collect_batches};
use crate::interop::frame::Undocumented;
use crate::interop::progress::Progress;
use crate::values::arg::{Arg, opt};
use crate::values::errors::to_py;
use crate::values::from_python::{Step, py_to_json, py_to_json_at};

use crate::api::rows::Rows;

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

/// Builds a `Sent` from a method's five request-option keywords.
macro_rules! sent {
    ($timeout:ident, $max_retries:ident, $extra_headers:ident, $extra_query:ident, $extra_body:ident) => {
        Sent {
            timeout: $timeout,
            max_retries: $max_retries,
            extra_headers: $extra_headers,
            extra_query: $extra_query,
            extra_body: $extra_body,
        }
    };
}

#[pymethods]
impl ResourceCalls {
    /// The resource's name, as the API spells it.
    #[getter]
    fn name(&self) -> &'static str {
        self.spec.name
    }

    /// One object by id.
    #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None))]
    fn get(
        &self,
        id: &Bound<'_, PyAny>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (raw, state, options) = self.sending(sent)?;
        let id = parse_id(&raw, id)?;
        let got = async move { raw.get_with(id, &options, &LazyRows).await };
        self.finish((got, state), answer::model)
    }

    /// One page. Without `page`, the first page of `page_size` (default 100) rows.
    /// Filters are keywords as the API spells them (`first_name__icontains="an"`);
    /// end one with `__not` to negate it (the API's `!`).
    /// The next pages (`Page.next_page()`) are sent with the same options.
    #[pyo3(signature = (*, page=None, page_size=None, order_by=None, search=None, slim=None, statistics=None, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn list(
        slf: &Bound<'_, Self>,
        page: Option<Arg<u32>>,
        page_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        slim: Option<Arg<bool>>,
        statistics: Option<Arg<bool>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let keywords = ListKeywords {
            page,
            page_size,
            order_by,
            search,
            slim,
            statistics,
        };
        let this = slf.get();
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (sending, options) = sent.into_core()?;
        let q = keywords
            .into_core(filters)?
            .page_query(this.spec, &options)
            .map_err(to_py)?;
        // A page remembers the calls it came from, so its next page is sent
        // with the same options.
        let me = if sending.is_empty() {
            slf.clone().unbind()
        } else {
            let derived = ResourceCalls {
                raw: ProcessBound::new(this.raw.with_options(&sending)),
                spec: this.spec,
                owner: this.owner,
                kind: this.kind,
                executor: this.executor.clone(),
            };
            Py::new(slf.py(), derived)?
        };
        crate::api::page::fetch(slf.py(), me, q)
    }

    /// Every matching row, one page (of `page_size`, default 100) fetched at a time.
    #[pyo3(signature = (*, page_size=None, order_by=None, search=None, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn iterate(
        &self,
        page_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Rows> {
        self.owner.check("client")?;
        // Rows are fetched by `__next__`, whose wait Ctrl-C ends by dropping it.
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (raw, _, options) = self.sending(sent)?;
        let q = ListKeywords::walk(order_by, search)
            .into_core(filters)?
            .walk_query(self.spec, &options)
            .map_err(to_py)?;
        Ok(Rows::new(self.spec, raw, q, opt(page_size), self.runner()))
    }

    /// Every matching row (all pages) as a pandas DataFrame; see `Page.to_pandas`.
    /// `progress` shows the rows fetched: a widget in a notebook with
    /// ipywidgets, text elsewhere (by default in a notebook or a terminal;
    /// `False` never, `True` always). The pages are decoded into Arrow
    /// columns as they come, so only the columns are held, not the bodies.
    #[pyo3(signature = (*, page_size=None, order_by=None, search=None, progress=None, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn to_pandas(
        &self,
        py: Python<'_>,
        page_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        progress: Option<Arg<bool>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (export, raw, state) = self.export(order_by, search, filters, sent)?;
        let progress = Progress::open(py, self.spec.name, opt(progress))?;
        let spec = self.spec;
        let collect = collect(export, raw, opt(page_size), progress);
        let work = async move {
            let batches = collect.await?;
            let finish: Answer = Box::new(move |py| {
                Ok(
                    crate::interop::frame::frame(py, spec, &batches, Undocumented::Columns)?
                        .unbind(),
                )
            });
            Ok(finish)
        };
        Ok(PendingCall::new(self.runner(), work, state))
    }

    /// Every matching row as an Arrow stream (the Arrow PyCapsule interface):
    /// `pyarrow.table(s)`, `polars.DataFrame(s)`, `duckdb.sql("from s")`. Pages
    /// of `page_size` rows are fetched as the stream is read, one ahead, so a
    /// reader that writes each batch away holds two pages at most. Read once.
    #[pyo3(signature = (*, page_size=None, order_by=None, search=None, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn to_arrow(
        &self,
        page_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<ArrowStream> {
        self.owner.check("client")?;
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (export, raw, _) = self.export(order_by, search, filters, sent)?;
        let stream = raw.batches(export.query, opt(page_size)).boxed();
        Ok(ArrowStream::walk(self.spec, stream, self.runner()))
    }

    /// [`ResourceCalls::to_arrow`] with every page fetched first (without
    /// blocking, for `AsyncClient`): a stream that can be read any number of
    /// times.
    #[pyo3(signature = (*, page_size=None, order_by=None, search=None, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn to_arrow_fetched(
        &self,
        page_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (export, raw, state) = self.export(order_by, search, filters, sent)?;
        let spec = self.spec;
        let collect = collect(export, raw, opt(page_size), None);
        let work = async move {
            let stream = ArrowStream::held(spec, collect.await?);
            let finish: Answer = Box::new(move |py| Ok(Py::new(py, stream)?.into_any()));
            Ok(finish)
        };
        Ok(PendingCall::new(self.runner(), work, state))
    }

    /// Every matching row, a page (`batch_size` rows, the client's page size by
    /// default) at a time as an `ArrowBatch`, by `for` or `async for`; the
    /// next page is fetched while one is read.
    #[pyo3(signature = (*, batch_size=None, order_by=None, search=None, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn iter_batches(
        &self,
        batch_size: Option<Arg<u32>>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Batches> {
        self.owner.check("client")?;
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (export, raw, _) = self.export(order_by, search, filters, sent)?;
        let stream = raw.batches(export.query, opt(batch_size)).boxed();
        Ok(Batches::new(self.spec, stream, self.runner()))
    }

    /// The matching rows split into at most `n` parts of about as many rows
    /// each, by `created_at` ranges (see `Partition`): each part pickles, and
    /// is fetched in any process with a client of its own.
    #[pyo3(signature = (n, *, order_by=None, search=None, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, **filters))]
    #[allow(clippy::too_many_arguments)]
    fn partitions(
        &self,
        n: Arg<usize>,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (export, raw, state) = self.export(order_by, search, filters, sent)?;
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
    #[pyo3(signature = (*, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, **fields))]
    fn create(
        &self,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (raw, state, options) = self.sending(sent)?;
        let body = body(fields)?;
        let created = async move { raw.create_with(&body, &options, &LazyRows).await };
        self.finish((created, state), answer::model)
    }

    /// Updates an object: a field set to `None` is cleared, one left out stays.
    #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, **fields))]
    #[allow(clippy::too_many_arguments)]
    fn update(
        &self,
        id: &Bound<'_, PyAny>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (raw, state, options) = self.sending(sent)?;
        let (id, body) = (parse_id(&raw, id)?, body(fields)?);
        let updated = async move { raw.update_with(id, &body, &options, &LazyRows).await };
        self.finish((updated, state), answer::model)
    }

    /// Deletes an object.
    #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None))]
    fn delete(
        &self,
        id: &Bound<'_, PyAny>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (raw, state, options) = self.sending(sent)?;
        let id = parse_id(&raw, id)?;
        let deleted = async move { raw.delete_with(id, &options).await };
        self.finish((deleted, state), answer::none)
    }

    /// Writes dicts in bulk: one with an `"id"` updates that object, one without
    /// creates a new one. Every item is checked before anything is sent;
    /// `extra_body` is added to every item.
    #[pyo3(signature = (items, *, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None))]
    fn bulk_write(
        &self,
        items: &Bound<'_, PyAny>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (raw, state, options) = self.sending(sent)?;
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
        let written = async move { raw.bulk_write_json_with(bulk, &options).await };
        self.finish((written, state), answer::model_list)
    }

    /// Calls the resource's invite endpoint (tenants, subtenants and organization
    /// users have one) with a JSON body.
    #[pyo3(signature = (body=None, *, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, **fields))]
    #[allow(clippy::too_many_arguments)]
    fn invite(
        &self,
        body: Option<&Bound<'_, PyAny>>,
        timeout: Option<Arg<f64>>,
        max_retries: Option<Arg<u32>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyDict>>,
        extra_body: Option<&Bound<'_, PyDict>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let sent = sent!(timeout, max_retries, extra_headers, extra_query, extra_body);
        let (raw, state, options) = self.sending(sent)?;
        let value = match (body, fields) {
            (Some(b), _) => py_to_json(b)?,
            (None, Some(f)) => py_to_json(f.as_any())?,
            (None, None) => Value::Object(Default::default()),
        };
        let invited = async move { raw.invite_with(&value, &options).await };
        self.finish((invited, state), answer::plain_json)
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

impl ResourceCalls {
    /// An export's queries and the handle that sends them, checked before
    /// anything is sent.
    fn export(
        &self,
        order_by: Option<&Bound<'_, PyAny>>,
        search: Option<Bound<'_, PyAny>>,
        filters: Option<&Bound<'_, PyDict>>,
        sent: Sent<'_, '_>,
    ) -> PyResult<(Export, RawHandle, CallState)> {
        self.owner.check("client")?;
        let (raw, state, options) = self.sending(sent)?;
        let args = ListKeywords::walk(order_by, search).into_core(filters)?;
        let query = args.walk_query(self.spec, &options).map_err(to_py)?;
        let counting = ListArgs {
            statistics: true,
            page: Some(1),
            page_size: Some(1),
            ..args
        };
        let count = counting.page_query(self.spec, &options).map_err(to_py)?;
        Ok((Export { query, count }, raw, state))
    }
}

/// Every batch of an export, the progress redrawn as each comes.
fn collect(
    export: Export,
    raw: RawHandle,
    page_size: Option<u32>,
    progress: Option<Progress>,
) -> impl Future<Output = PyResult<Vec<RecordBatch>>> + Send + 'static {
    let count = progress.is_some().then(|| (raw.clone(), export.count));
    let stream = raw.batches(export.query, page_size).boxed();
    collect_batches(stream, progress, count)
}
