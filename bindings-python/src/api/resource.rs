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
use pigello::client::{GivenOptions, LazyRows, ListArgs, RawHandle};
use pigello::description::Taker;
use pigello::query::ListQuery;

use crate::api::calls::ResourceCalls;
use crate::api::options::{self, Keywords};
use crate::api::partition::Partition;
use crate::call::answer::{self, Answer};
use crate::call::pending::{CallState, PendingCall};
use crate::call::runtime::ProcessBound;
use crate::interop::arrow::ArrowStream;
use crate::interop::batches::{Batches, collect_batches};
use crate::interop::frame::Undocumented;
use crate::interop::progress::Progress;
use crate::values::arg::Arg;
use crate::values::errors::to_py;
use crate::values::from_python::{Step, filter_value, py_to_json, py_to_json_at, text_argument};

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

/// The request options of a call that takes no other keywords.
fn request_only<'py>(
    taker: Taker,
    keywords: Option<&Bound<'py, PyDict>>,
) -> PyResult<GivenOptions> {
    Ok(options::read(taker, keywords)?.options)
}

/// A walk's keywords: its options, with the filters given as keywords.
fn walk_keywords(taker: Taker, keywords: Option<&Bound<'_, PyDict>>) -> PyResult<GivenOptions> {
    let Keywords {
        mut options,
        arguments,
    } = options::read(taker, keywords)?;
    options.list.filters = named_filters(arguments.as_ref())?;
    Ok(options)
}

/// The filters given as keywords, each value as a filter's is read (a list,
/// set or tuple is several values).
fn named_filters(filters: Option<&Bound<'_, PyDict>>) -> PyResult<Vec<(String, Value)>> {
    filters
        .into_iter()
        .flat_map(|d| d.iter())
        .map(|(name, value)| {
            let name = text_argument("a filter's name", &name)?;
            let value = filter_value(&name, &value)?;
            Ok((name, value))
        })
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
    #[pyo3(signature = (id, **keywords))]
    fn get(
        &self,
        id: &Bound<'_, PyAny>,
        keywords: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let (raw, state, options) = self.sending(request_only(Taker::Get, keywords)?);
        let id = parse_id(&raw, id)?;
        let got = async move { raw.get_with(id, &options, &LazyRows).await };
        self.finish((got, state), answer::model)
    }

    /// One page. Without `page`, the first page of `page_size` (default 100) rows.
    /// Filters are keywords as the API spells them (`first_name__icontains="an"`);
    /// end one with `__not` to negate it (the API's `!`).
    /// The next pages (`Page.next_page()`) are sent with the same options.
    #[pyo3(signature = (**keywords))]
    fn list(slf: &Bound<'_, Self>, keywords: Option<&Bound<'_, PyDict>>) -> PyResult<PendingCall> {
        let this = slf.get();
        let given = walk_keywords(Taker::List, keywords)?;
        let q = given
            .list
            .page_query(this.spec, &given.call)
            .map_err(to_py)?;
        // A page remembers the calls it came from, so its next page is sent
        // with the same options.
        let me = if given.request.is_empty() {
            slf.clone().unbind()
        } else {
            let derived = ResourceCalls {
                raw: ProcessBound::new(this.raw.with_options(&given.request)),
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
    #[pyo3(signature = (**keywords))]
    fn iterate(&self, keywords: Option<&Bound<'_, PyDict>>) -> PyResult<Rows> {
        self.owner.check("client")?;
        // Rows are fetched by `__next__`, whose wait Ctrl-C ends by dropping it.
        let given = walk_keywords(Taker::Iterate, keywords)?;
        let q = given
            .list
            .walk_query(self.spec, &given.call)
            .map_err(to_py)?;
        let page_size = given.list.page_size;
        let (raw, _, _) = self.sending(given);
        Ok(Rows::new(self.spec, raw, q, page_size, self.runner()))
    }

    /// Every matching row (all pages) as a pandas DataFrame; see `Page.to_pandas`.
    /// `progress` shows the rows fetched: a widget in a notebook with
    /// ipywidgets, text elsewhere (by default in a notebook or a terminal;
    /// `False` never, `True` always). The pages are decoded into Arrow
    /// columns as they come, so only the columns are held, not the bodies.
    #[pyo3(signature = (**keywords))]
    fn to_pandas(
        &self,
        py: Python<'_>,
        keywords: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let given = walk_keywords(Taker::ToPandas, keywords)?;
        let (page_size, progress) = (given.list.page_size, given.progress);
        let (export, raw, state) = self.export(given)?;
        let progress = Progress::open(py, self.spec.name, progress)?;
        let spec = self.spec;
        let collect = collect(export, raw, page_size, progress);
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
    #[pyo3(signature = (**keywords))]
    fn to_arrow(&self, keywords: Option<&Bound<'_, PyDict>>) -> PyResult<ArrowStream> {
        self.owner.check("client")?;
        let given = walk_keywords(Taker::ToArrow, keywords)?;
        let page_size = given.list.page_size;
        let (export, raw, _) = self.export(given)?;
        let stream = raw.batches(export.query, page_size).boxed();
        Ok(ArrowStream::walk(self.spec, stream, self.runner()))
    }

    /// [`ResourceCalls::to_arrow`] with every page fetched first (without
    /// blocking, for `AsyncClient`): a stream that can be read any number of
    /// times.
    #[pyo3(signature = (**keywords))]
    fn to_arrow_fetched(&self, keywords: Option<&Bound<'_, PyDict>>) -> PyResult<PendingCall> {
        let given = walk_keywords(Taker::ToArrow, keywords)?;
        let page_size = given.list.page_size;
        let (export, raw, state) = self.export(given)?;
        let spec = self.spec;
        let collect = collect(export, raw, page_size, None);
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
    #[pyo3(signature = (**keywords))]
    fn iter_batches(&self, keywords: Option<&Bound<'_, PyDict>>) -> PyResult<Batches> {
        self.owner.check("client")?;
        let given = walk_keywords(Taker::IterBatches, keywords)?;
        let batch_size = given.batch_size;
        let (export, raw, _) = self.export(given)?;
        let stream = raw.batches(export.query, batch_size).boxed();
        Ok(Batches::new(self.spec, stream, self.runner()))
    }

    /// The matching rows split into at most `n` parts of about as many rows
    /// each, by `created_at` ranges (see `Partition`): each part pickles, and
    /// is fetched in any process with a client of its own.
    #[pyo3(signature = (n, **keywords))]
    fn partitions(
        &self,
        n: Arg<usize>,
        keywords: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let given = walk_keywords(Taker::Partitions, keywords)?;
        let (export, raw, state) = self.export(given)?;
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
    #[pyo3(signature = (**keywords))]
    fn create(&self, keywords: Option<&Bound<'_, PyDict>>) -> PyResult<PendingCall> {
        let Keywords { options, arguments } = options::read(Taker::Create, keywords)?;
        let (raw, state, options) = self.sending(options);
        let body = body(arguments.as_ref())?;
        let created = async move { raw.create_with(&body, &options, &LazyRows).await };
        self.finish((created, state), answer::model)
    }

    /// Updates an object: a field set to `None` is cleared, one left out stays.
    #[pyo3(signature = (id, **keywords))]
    fn update(
        &self,
        id: &Bound<'_, PyAny>,
        keywords: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let Keywords { options, arguments } = options::read(Taker::Update, keywords)?;
        let (raw, state, options) = self.sending(options);
        let (id, body) = (parse_id(&raw, id)?, body(arguments.as_ref())?);
        let updated = async move { raw.update_with(id, &body, &options, &LazyRows).await };
        self.finish((updated, state), answer::model)
    }

    /// Deletes an object.
    #[pyo3(signature = (id, **keywords))]
    fn delete(
        &self,
        id: &Bound<'_, PyAny>,
        keywords: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let (raw, state, options) = self.sending(request_only(Taker::Delete, keywords)?);
        let id = parse_id(&raw, id)?;
        let deleted = async move { raw.delete_with(id, &options).await };
        self.finish((deleted, state), answer::none)
    }

    /// Writes dicts in bulk: one with an `"id"` updates that object, one without
    /// creates a new one. Every item is checked before anything is sent;
    /// `extra_body` is added to every item.
    #[pyo3(signature = (items, **keywords))]
    fn bulk_write(
        &self,
        items: &Bound<'_, PyAny>,
        keywords: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let (raw, state, options) = self.sending(request_only(Taker::BulkWrite, keywords)?);
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
    #[pyo3(signature = (body=None, **keywords))]
    fn invite(
        &self,
        body: Option<&Bound<'_, PyAny>>,
        keywords: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PendingCall> {
        let Keywords { options, arguments } = options::read(Taker::Invite, keywords)?;
        let (raw, state, options) = self.sending(options);
        let value = match (body, arguments) {
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
    fn export(&self, given: GivenOptions) -> PyResult<(Export, RawHandle, CallState)> {
        self.owner.check("client")?;
        let args = ListArgs {
            page: None,
            page_size: None,
            ..given.list.clone()
        };
        let (raw, state, options) = self.sending(given);
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
