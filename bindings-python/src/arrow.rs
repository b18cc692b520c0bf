//! Rows as Arrow data, through the Arrow PyCapsule interface
//! (`__arrow_c_stream__`, `__arrow_c_array__`, `__arrow_c_schema__`): pyarrow,
//! polars, DuckDB and pandas read the core's columns without a copy, and the
//! package itself needs none of them.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use arrow_array::ffi::to_ffi;
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{Array, RecordBatch, RecordBatchIterator, RecordBatchReader, StructArray};
use arrow_schema::ffi::FFI_ArrowSchema;
use arrow_schema::{ArrowError, SchemaRef};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use tokio::sync::Mutex as AsyncMutex;

use pigello::description::ResourceSpec;

use crate::errors::to_py;
use crate::frame::Undocumented;
use crate::runtime::{Birth, Driver, ProcessBound, awaitable};

/// Pages still to be fetched, each one record batch.
pub type BatchStream = BoxStream<'static, pigello::Result<RecordBatch>>;

fn arrow_error(e: ArrowError) -> PyErr {
    PyRuntimeError::new_err(format!("Arrow export failed: {e}"))
}

fn schema_capsule<'py>(py: Python<'py>, schema: &SchemaRef) -> PyResult<Bound<'py, PyCapsule>> {
    let ffi = FFI_ArrowSchema::try_from(schema.as_ref()).map_err(arrow_error)?;
    PyCapsule::new_with_value(py, ffi, c"arrow_schema")
}

fn stream_capsule<'py>(
    py: Python<'py>,
    reader: Box<dyn RecordBatchReader + Send>,
) -> PyResult<Bound<'py, PyCapsule>> {
    PyCapsule::new_with_value(py, FFI_ArrowArrayStream::new(reader), c"arrow_array_stream")
}

/// The rows of every page of a list, fetched as the reader asks for them (one
/// page ahead): held batch by batch, never all at once.
struct Walk {
    schema: SchemaRef,
    stream: ProcessBound<BatchStream>,
    driver: Driver,
}

impl Walk {
    fn next_batch(&mut self) -> Option<Result<RecordBatch, ArrowError>> {
        // The reader may be called holding the GIL, and the page fetched ahead
        // may log (which takes it): the GIL is let go while waiting.
        let (stream, driver) = (&mut self.stream, &self.driver);
        let next = match Python::attach(|py| py.detach(|| driver.run(stream.next()))) {
            Ok(next) => next?,
            Err(e) => return Some(Err(ArrowError::ExternalError(e.to_string().into()))),
        };
        Some(next.map_err(|e| ArrowError::ExternalError(Box::new(e))))
    }
}

impl Iterator for Walk {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        // A panic must not cross the C interface the reader is called through.
        std::panic::catch_unwind(AssertUnwindSafe(|| self.next_batch())).unwrap_or_else(|_| {
            Some(Err(ArrowError::ExternalError(
                "the Arrow export failed unexpectedly (a bug in pigello: please report it)".into(),
            )))
        })
    }
}

impl RecordBatchReader for Walk {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}

/// Where an [`ArrowStream`]'s batches come from.
enum Source {
    /// Batches already held (a page's rows, or every page of an async export):
    /// they can be read any number of times.
    Held(Vec<RecordBatch>),
    /// Pages still to fetch, and what runs the fetches: read once.
    Walk(ProcessBound<BatchStream>, Driver),
    /// A walk already read.
    Read,
}

/// Rows as an Arrow stream, for `pyarrow.table(s)`, `polars.DataFrame(s)`,
/// `duckdb.sql("from s")` or `pandas.DataFrame.from_arrow(s)`.
#[pyclass(module = "pigello", name = "ArrowStream", frozen)]
pub struct ArrowStream {
    spec: &'static ResourceSpec,
    schema: SchemaRef,
    source: Mutex<Source>,
    birth: Birth,
}

impl ArrowStream {
    pub fn held(spec: &'static ResourceSpec, batches: Vec<RecordBatch>) -> Self {
        ArrowStream {
            spec,
            schema: pigello::arrow::schema(spec),
            source: Mutex::new(Source::Held(batches)),
            birth: Birth::now(),
        }
    }

    pub fn walk(
        spec: &'static ResourceSpec,
        stream: BatchStream,
        (driver, birth): (Driver, Birth),
    ) -> Self {
        ArrowStream {
            spec,
            schema: pigello::arrow::schema(spec),
            source: Mutex::new(Source::Walk(ProcessBound::new(stream), driver)),
            birth,
        }
    }
}

#[pymethods]
impl ArrowStream {
    /// The Arrow schema, as a PyCapsule (the Arrow PyCapsule interface).
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        schema_capsule(py, &self.schema)
    }

    /// The batches, as an `ArrowArrayStream` PyCapsule. `requested_schema` is
    /// a hint the interface allows a producer to ignore; the schema is the
    /// resource's. A stream over pages still to fetch can be read once.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let mut source = self.source.lock().unwrap_or_else(|p| p.into_inner());
        let reader: Box<dyn RecordBatchReader + Send> = match &*source {
            Source::Held(batches) => Box::new(RecordBatchIterator::new(
                batches.clone().into_iter().map(Ok),
                self.schema.clone(),
            )),
            Source::Walk(..) => {
                self.birth.check("client")?;
                let Source::Walk(stream, driver) = std::mem::replace(&mut *source, Source::Read)
                else {
                    unreachable!("matched above")
                };
                Box::new(Walk {
                    schema: self.schema.clone(),
                    stream,
                    driver,
                })
            }
            Source::Read => {
                return Err(PyRuntimeError::new_err(format!(
                    "this ArrowStream of {} rows was read already: call to_arrow() again for a new one",
                    self.spec.name
                )));
            }
        };
        stream_capsule(py, reader)
    }

    fn __repr__(&self) -> String {
        let source = self.source.lock().unwrap_or_else(|p| p.into_inner());
        let state = match &*source {
            Source::Held(batches) => {
                format!(
                    "rows={}",
                    batches.iter().map(RecordBatch::num_rows).sum::<usize>()
                )
            }
            Source::Walk(..) => "unread".to_owned(),
            Source::Read => "read".to_owned(),
        };
        format!(
            "ArrowStream({}, columns={}, {state})",
            self.spec.name,
            self.schema.fields().len()
        )
    }
}

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
        crate::frame::frame(
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
    driver: Driver,
    birth: Birth,
}

impl Batches {
    pub fn new(
        spec: &'static ResourceSpec,
        stream: BatchStream,
        (driver, birth): (Driver, Birth),
    ) -> Self {
        Batches {
            spec,
            stream: ProcessBound::new(Arc::new(AsyncMutex::new(stream))),
            driver,
            birth,
        }
    }
}

#[pymethods]
impl Batches {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<ArrowBatch>> {
        self.birth.check("client")?;
        let stream = self.stream.clone();
        match self
            .driver
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
        slf.get().birth.check("client")?;
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
