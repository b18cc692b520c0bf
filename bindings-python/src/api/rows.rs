//! `Rows`, what `iterate()` returns: every matching row, fetched a page at a
//! time, as an iterator and an async iterator, with a length the server
//! counts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use pyo3::prelude::*;
use tokio::sync::Mutex as AsyncMutex;

use pigello::client::RawHandle;
use pigello::description::ResourceSpec;
use pigello::query::{ListQuery, Page};

use crate::call::answer::Answer;
use crate::call::runtime::{Executor, OwnerProcess, ProcessBound, awaitable_finished};
use crate::values::classes::instantiate;
use crate::values::errors::to_py;
use crate::values::model::Model;
use pigello::client::{LazyRow, LazyRows};

type RowStream = BoxStream<'static, pigello::Result<LazyRow>>;

#[pyclass(module = "pigello._native", name = "Rows", frozen)]
pub struct Rows {
    spec: &'static ResourceSpec,
    stream: ProcessBound<Arc<AsyncMutex<RowStream>>>,
    /// The handle and query that count the matching rows, for `len()`.
    count: ProcessBound<(RawHandle, ListQuery)>,
    /// The count, once asked for.
    total: OnceLock<u64>,
    /// Rows handed out so far.
    fetched: Arc<AtomicU64>,
    /// What runs the fetches a blocking iteration waits for.
    executor: Executor,
    owner: OwnerProcess,
}

impl Rows {
    pub fn new(
        spec: &'static ResourceSpec,
        raw: RawHandle,
        query: ListQuery,
        page_size: Option<u32>,
        (executor, owner): (Executor, OwnerProcess),
    ) -> Rows {
        let mut count = query.clone();
        count.statistics = true;
        count.page = Some(Page { number: 1, size: 1 });
        let stream = raw.iterate_with(query, page_size, LazyRows).boxed();
        Rows {
            spec,
            stream: ProcessBound::new(Arc::new(AsyncMutex::new(stream))),
            count: ProcessBound::new((raw, count)),
            total: OnceLock::new(),
            fetched: Arc::new(AtomicU64::new(0)),
            executor,
            owner,
        }
    }

    fn model(&self, py: Python<'_>, row: pigello::Result<LazyRow>) -> PyResult<Py<Model>> {
        self.fetched.fetch_add(1, Ordering::Relaxed);
        instantiate(py, Model::new(self.spec, row.map_err(to_py)?))
    }
}

#[pymethods]
impl Rows {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<Model>>> {
        self.owner.check("client")?;
        let stream = self.stream.clone();
        match self
            .executor
            .block_on(py, async move { stream.lock().await.next().await })?
        {
            Some(row) => Ok(Some(self.model(py, row)?)),
            None => Ok(None),
        }
    }

    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __anext__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        slf.get().owner.check("client")?;
        let stream = slf.get().stream.clone();
        awaitable_finished(py, async move {
            match stream.lock().await.next().await {
                Some(row) => {
                    Ok(
                        Box::new(move |py: Python<'_>| Ok(slf.get().model(py, row)?.into_any()))
                            as Answer,
                    )
                }
                None => Err(pyo3::exceptions::PyStopAsyncIteration::new_err(())),
            }
        })
    }

    /// How many rows match, as the server counts them: asked once (one
    /// request of one row), then kept. `list(rows)` asks for it too, to size
    /// the list.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        if let Some(total) = self.total.get() {
            return Ok(*total as usize);
        }
        self.owner.check("client")?;
        let (raw, query) = (self.count.0.clone(), self.count.1.clone());
        let counted = self
            .executor
            .block_on(py, async move { raw.list(&query).await })?
            .map_err(to_py)?;
        let total = counted.total.unwrap_or(0);
        Ok(*self.total.get_or_init(|| total) as usize)
    }

    fn __repr__(&self) -> String {
        let total = self
            .total
            .get()
            .map(|t| format!(", total={t}"))
            .unwrap_or_default();
        format!(
            "Rows({}, fetched={}{total})",
            self.spec.name,
            self.fetched.load(Ordering::Relaxed)
        )
    }
}
