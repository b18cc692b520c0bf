//! Rows as Arrow data, through the Arrow PyCapsule interface
//! (`__arrow_c_stream__`, `__arrow_c_array__`, `__arrow_c_schema__`): pyarrow,
//! polars, DuckDB and pandas read the core's columns without a copy, and the
//! package itself needs none of them. Here: the capsules, and the stream of
//! every page (`ArrowStream`); a batch at a time is `batches.rs`.

use std::panic::AssertUnwindSafe;
use std::sync::Mutex;

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow_schema::ffi::FFI_ArrowSchema;
use arrow_schema::{ArrowError, SchemaRef};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

use pigello::description::ResourceSpec;

use crate::call::runtime::{Executor, OwnerProcess, ProcessBound};

/// Pages still to be fetched, each one record batch.
pub type BatchStream = BoxStream<'static, pigello::Result<RecordBatch>>;

pub fn arrow_error(e: ArrowError) -> PyErr {
    PyRuntimeError::new_err(format!("Arrow export failed: {e}"))
}

pub fn schema_capsule<'py>(py: Python<'py>, schema: &SchemaRef) -> PyResult<Bound<'py, PyCapsule>> {
    let ffi = FFI_ArrowSchema::try_from(schema.as_ref()).map_err(arrow_error)?;
    PyCapsule::new_with_value(py, ffi, c"arrow_schema")
}

pub fn stream_capsule<'py>(
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
    executor: Executor,
    when_read: WhenRead,
}

impl Walk {
    fn next_batch(&mut self) -> Option<Result<RecordBatch, ArrowError>> {
        // The reader may be called holding the GIL, and the page fetched ahead
        // may log (which takes it): the GIL is let go while waiting.
        let (stream, executor) = (&mut self.stream, &self.executor);
        let next = match Python::attach(|py| py.detach(|| executor.run(stream.next()))) {
            Ok(next) => next,
            Err(e) => {
                self.when_read.finish(true);
                return Some(Err(ArrowError::ExternalError(e.to_string().into())));
            }
        };
        match &next {
            Some(Ok(batch)) => self.when_read.rows += batch.num_rows() as u64,
            Some(Err(_)) => self.when_read.finish(true),
            None => self.when_read.finish(false),
        }
        Some(next?.map_err(|e| ArrowError::ExternalError(Box::new(e))))
    }
}

/// Who is told when a walk's stream ends (`pigello._telemetry`'s operation
/// span, when one is traced): the rows read, and whether an error ended it.
/// Told once: at the end, on an error, or when the stream is let go unread or
/// half read.
#[derive(Default)]
struct WhenRead {
    callback: Option<Py<PyAny>>,
    rows: u64,
}

impl WhenRead {
    fn finish(&mut self, failed: bool) {
        if let Some(callback) = self.callback.take() {
            // What the callback raises is its own to report (it warns once);
            // as the interpreter shuts down, nothing is told.
            let _ = Python::try_attach(|py| callback.call1(py, (self.rows, failed)));
        }
    }
}

impl Drop for WhenRead {
    fn drop(&mut self) {
        self.finish(false);
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
    /// Pages still to fetch, what runs the fetches, and who is told when
    /// they are read: read once.
    Walk(ProcessBound<BatchStream>, Executor, WhenRead),
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
    owner: OwnerProcess,
}

impl ArrowStream {
    pub fn held(spec: &'static ResourceSpec, batches: Vec<RecordBatch>) -> Self {
        ArrowStream {
            spec,
            schema: pigello::arrow::schema(spec),
            source: Mutex::new(Source::Held(batches)),
            owner: OwnerProcess::now(),
        }
    }

    pub fn walk(
        spec: &'static ResourceSpec,
        stream: BatchStream,
        (executor, owner): (Executor, OwnerProcess),
    ) -> Self {
        ArrowStream {
            spec,
            schema: pigello::arrow::schema(spec),
            source: Mutex::new(Source::Walk(
                ProcessBound::new(stream),
                executor,
                WhenRead::default(),
            )),
            owner,
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
                self.owner.check("client")?;
                let Source::Walk(stream, executor, when_read) =
                    std::mem::replace(&mut *source, Source::Read)
                else {
                    unreachable!("matched above")
                };
                Box::new(Walk {
                    schema: self.schema.clone(),
                    stream,
                    executor,
                    when_read,
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

    /// Calls `callback(rows, failed)` once, when the stream is read to its
    /// end, fails, or is let go: how an export's operation span learns its
    /// rows. A stream of held batches sends no request, and tells no one.
    fn _when_read(&self, callback: Py<PyAny>) {
        let mut source = self.source.lock().unwrap_or_else(|p| p.into_inner());
        if let Source::Walk(_, _, when_read) = &mut *source {
            when_read.callback = Some(callback);
        }
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
