//! `Partition`, what `partitions(n)` gives: one part of a list, split by
//! `created_at` ranges in the core, that pickles to any process or machine and
//! is fetched there with a client of its own (by default one made from the
//! environment's `PIGELLO_*` variables, `Client.from_env()`).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use pigello::client::Partition as CorePartition;
use pigello::description::{ResourceSpec, Taker};
use pigello::query::ListQuery;

use crate::api::calls::ResourceCalls;
use crate::api::options::read;
use crate::api::signatures::signature;
use crate::interop::arrow::ArrowStream;
use crate::interop::batches::Batches;
use crate::interop::batches::collect_batches;
use crate::interop::frame::Undocumented;
use crate::values::errors::to_py;

/// One part of a list: `to_pandas()`, `to_arrow()` or `iter_batches()` fetch
/// its rows. Its frame has the same columns whatever its rows hold (the
/// undocumented fields are one column, `_extra`), as the parts of one Dask
/// frame must.
#[pyclass(module = "pigello", name = "Partition", frozen)]
pub struct Partition {
    spec: &'static ResourceSpec,
    /// Its place among the parts, from 0.
    #[pyo3(get)]
    index: usize,
    /// How many parts the list was split into.
    #[pyo3(get)]
    count: usize,
    query: ListQuery,
}

impl Partition {
    pub fn new(spec: &'static ResourceSpec, part: CorePartition) -> Self {
        Partition {
            spec,
            index: part.index,
            count: part.count,
            query: part.query,
        }
    }

    /// The calls of this part's resource on `client`, or on a client made
    /// from the environment.
    fn calls<'py>(
        &self,
        py: Python<'py>,
        client: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, ResourceCalls>> {
        let client = match client {
            Some(client) => client,
            None => py
                .import("pigello")?
                .getattr("Client")?
                .call_method0("from_env")?,
        };
        let resource = client.getattr(self.spec.snake_plural)?;
        Ok(resource.getattr("_calls")?.cast_into::<ResourceCalls>()?)
    }

    /// A bound of this part's `created_at` range, for its repr.
    fn bound(&self, param: &str) -> Option<String> {
        let pairs = self.query.to_pairs();
        pairs.into_iter().find(|(k, _)| k == param).map(|(_, v)| v)
    }
}

#[pymethods]
impl Partition {
    #[doc = signature!(to_pandas)]
    /// The part's rows as a pandas DataFrame (the dtypes of `to_pandas()`).
    #[pyo3(signature = (client=None, **keywords), text_signature = None)]
    fn to_pandas<'py>(
        &self,
        py: Python<'py>,
        client: Option<Bound<'py, PyAny>>,
        keywords: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let page_size = read(Taker::PartRows, keywords)?.options.list.page_size;
        let calls = self.calls(py, client)?;
        let stream = calls.get().walk(self.query.clone(), page_size)?;
        let (executor, _) = calls.get().runner();
        let batches = executor.block_on(py, collect_batches(stream, None, None))??;
        crate::interop::frame::frame(py, self.spec, &batches, Undocumented::OneColumn)
    }

    /// An empty frame with the columns and dtypes of every part's frame.
    fn _empty_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::interop::frame::frame(py, self.spec, &[], Undocumented::OneColumn)
    }

    #[doc = signature!(to_arrow)]
    /// The part's rows as an Arrow stream, fetched as it is read.
    #[pyo3(signature = (client=None, **keywords), text_signature = None)]
    fn to_arrow(
        &self,
        py: Python<'_>,
        client: Option<Bound<'_, PyAny>>,
        keywords: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<ArrowStream> {
        let page_size = read(Taker::PartRows, keywords)?.options.list.page_size;
        let calls = self.calls(py, client)?;
        let stream = calls.get().walk(self.query.clone(), page_size)?;
        Ok(ArrowStream::walk(self.spec, stream, calls.get().runner()))
    }

    #[doc = signature!(iter_batches)]
    /// The part's rows, a page at a time as an `ArrowBatch`.
    #[pyo3(signature = (client=None, **keywords), text_signature = None)]
    fn iter_batches(
        &self,
        py: Python<'_>,
        client: Option<Bound<'_, PyAny>>,
        keywords: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Batches> {
        let batch_size = read(Taker::PartBatches, keywords)?.options.batch_size;
        let calls = self.calls(py, client)?;
        let stream = calls.get().walk(self.query.clone(), batch_size)?;
        Ok(Batches::new(self.spec, stream, calls.get().runner()))
    }

    /// Pickles the resource, the place and the query: nothing of a client.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let rebuild = py.import("pigello._native")?.getattr("_partition")?;
        let pairs = self.query.to_pairs();
        let args = (
            self.spec.name,
            self.index,
            self.count,
            pairs,
            self.query.extra.len(),
        );
        PyTuple::new(py, [rebuild, args.into_pyobject(py)?.into_any()])
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Partition>()
            .is_ok_and(|o| std::ptr::eq(o.get().spec, self.spec) && o.get().query == self.query)
    }

    /// The range only: the list's other filters may hold personal data.
    fn __repr__(&self) -> String {
        let mut range = Vec::new();
        if let Some(from) = self.bound("created_at__gte") {
            range.push(format!("created_at >= {from}"));
        }
        if let Some(to) = self.bound("created_at__lt") {
            range.push(format!("created_at < {to}"));
        }
        format!(
            "Partition({}, {} of {}{}{})",
            self.spec.name,
            self.index + 1,
            self.count,
            if range.is_empty() { "" } else { ", " },
            range.join(", ")
        )
    }
}

/// A partition rebuilt by pickle: the query's pairs read back as a server
/// reads them, the last `extra` of them the caller's own `extra_query`.
#[pyfunction]
pub fn _partition(
    resource: &str,
    index: usize,
    count: usize,
    pairs: Vec<(String, String)>,
    extra: usize,
) -> PyResult<Partition> {
    let spec = pigello::resources::find(resource).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!("no resource is named {resource}"))
    })?;
    let documented = pairs.len().saturating_sub(extra);
    let mut query = ListQuery::parse(
        spec,
        pairs[..documented]
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    )
    .map_err(|problems| {
        to_py(pigello::Error::Query {
            resource: spec.name,
            problems,
        })
    })?;
    query.extra = pairs[documented..].to_vec();
    Ok(Partition {
        spec,
        index,
        count,
        query,
    })
}
