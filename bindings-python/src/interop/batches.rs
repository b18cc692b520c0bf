//! One page of rows as an Arrow record batch (`ArrowBatch`), and every page
//! of a list a batch at a time (`Batches`), each readable through the Arrow
//! PyCapsule interface or as a pandas DataFrame.

use std::sync::Arc;

use arrow_array::ffi::to_ffi;
use arrow_array::{Array, RecordBatch, RecordBatchIterator, StructArray};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use tokio::sync::Mutex as AsyncMutex;

use pigello::client::RawHandle;
use pigello::description::ResourceSpec;
use pigello::query::ListQuery;

use crate::call::runtime::{Executor, OwnerProcess, ProcessBound, awaitable};
use crate::interop::arrow::{BatchStream, arrow_error, schema_capsule, stream_capsule};
use crate::interop::frame::Undocumented;
use crate::interop::progress::Progress;
use crate::values::errors::to_py;

/// One record batch (a page of rows): `pyarrow.record_batch(b)`,
/// `polars.DataFrame(b)`, or `b.to_pandas()`.
#[pyclass(module = "pigello", name = "ArrowBatch", frozen)]
pub struct ArrowBatch {
    spec: &'static ResourceSpec,
    batch: RecordBatch,
}

impl ArrowBatch {
    pub fn new(spec: &'static ResourceSpec, batch: RecordBatch) -> Self {
        ArrowBatch { spec, batch }
    }
}

#[pymethods]
impl ArrowBatch {
    /// How many rows the batch holds.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    fn __len__(&self) -> usize {
        self.batch.num_rows()
    }

    /// The column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        schema_capsule(py, &self.batch.schema())
    }

    /// The batch as a struct array: a pair of PyCapsules, its schema and its
    /// data.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let _ = requested_schema;
        let data = StructArray::from(self.batch.clone()).into_data();
        let (array, schema) = to_ffi(&data).map_err(arrow_error)?;
        PyTuple::new(
            py,
            [
                PyCapsule::new_with_value(py, schema, c"arrow_schema")?,
                PyCapsule::new_with_value(py, array, c"arrow_array")?,
            ],
        )
    }

    /// The batch as a one-batch stream.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let batch = self.batch.clone();
        let reader = RecordBatchIterator::new([Ok(batch)], self.batch.schema());
        stream_capsule(py, Box::new(reader))
    }

    /// The batch as a pandas DataFrame (see `Page.to_pandas`).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::interop::frame::frame(
            py,
            self.spec,
            std::slice::from_ref(&self.batch),
            Undocumented::Columns,
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowBatch({}, rows={})",
            self.spec.name,
            self.batch.num_rows()
        )
    }
}

/// What `iter_batches()` returns: a page of rows at a time as an
/// [`ArrowBatch`], by `for` or `async for`, the next page fetched while one is
/// read.
#[pyclass(module = "pigello", name = "Batches", frozen)]
pub struct Batches {
    spec: &'static ResourceSpec,
    stream: ProcessBound<Arc<AsyncMutex<BatchStream>>>,
    /// What runs the fetches a blocking `for` waits for.
    executor: Executor,
    owner: OwnerProcess,
}

impl Batches {
    pub fn new(
        spec: &'static ResourceSpec,
        stream: BatchStream,
        (executor, owner): (Executor, OwnerProcess),
    ) -> Self {
        Batches {
            spec,
            stream: ProcessBound::new(Arc::new(AsyncMutex::new(stream))),
            executor,
            owner,
        }
    }
}

#[pymethods]
impl Batches {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<ArrowBatch>> {
        self.owner.check("client")?;
        let stream = self.stream.clone();
        match self
            .executor
            .block_on(py, async move { stream.lock().await.next().await })?
        {
            Some(batch) => Ok(Some(ArrowBatch::new(self.spec, batch.map_err(to_py)?))),
            None => Ok(None),
        }
    }

    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __anext__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        slf.get().owner.check("client")?;
        let (spec, stream) = (slf.get().spec, slf.get().stream.clone());
        awaitable(py, async move {
            match stream.lock().await.next().await {
                Some(batch) => Ok(ArrowBatch::new(spec, batch.map_err(to_py)?)),
                None => Err(pyo3::exceptions::PyStopAsyncIteration::new_err(())),
            }
        })
    }

    fn __repr__(&self) -> String {
        format!("Batches({})", self.spec.name)
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
