//! One page of a list.

use crate::values::arg::{Arg, opt};
use pyo3::prelude::*;
use pyo3::types::{PyList, PySlice, PyTuple};

use pigello::client::{LazyRows, RequestOptions};
use pigello::description::{ResourceSpec, ValueKind};
use pigello::query::ListQuery;

use arrow_array::RecordBatch;

use crate::api::calls::{ClientKind, ResourceCalls};
use crate::call::pending::PendingCall;
use crate::interop::arrow::ArrowStream;
use crate::interop::frame::Undocumented;
use crate::values::errors::to_py;
use crate::values::model::{Model, escape};

/// One page of rows: iterable, sized, indexable.
#[pyclass(module = "pigello._native", name = "Page", frozen)]
pub struct Page {
    pub spec: &'static ResourceSpec,
    pub rows: Vec<Py<Model>>,
    /// Matching rows across every page, when asked for with `statistics=True`.
    #[pyo3(get)]
    pub total: Option<u64>,
    /// The page number.
    #[pyo3(get)]
    pub page: u32,
    /// Rows per page asked for.
    #[pyo3(get)]
    pub page_size: u32,
    /// The answer's request id.
    #[pyo3(get)]
    pub request_id: Option<String>,
    /// The resource listed, which fetches the next page (none on a page
    /// rebuilt by pickle: it has no client).
    pub resource: Option<Py<ResourceCalls>>,
    /// The query of the next page, when the core says there may be one.
    pub next: Option<ListQuery>,
    /// Whether a later page may hold rows (kept through pickle).
    pub more: bool,
}

impl Page {
    /// The rows as one record batch of the resource's Arrow schema.
    fn batch(&self, py: Python<'_>) -> PyResult<RecordBatch> {
        let texts: Vec<String> = self
            .rows
            .iter()
            .map(|r| r.bind(py).get().row.json_text())
            .collect();
        let texts: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
        pigello::arrow::decode_rows(self.spec, &texts).map_err(to_py)
    }
}

#[pymethods]
impl Page {
    fn __len__(&self) -> usize {
        self.rows.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_list(py)?.try_iter().map(Bound::into_any)
    }

    /// A row by index, or a list of rows by slice (`page[1:3]`).
    fn __getitem__(&self, py: Python<'_>, index: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(slice) = index.cast::<PySlice>() {
            return Ok(self.to_list(py)?.as_any().get_item(slice)?.unbind());
        }
        Ok(self.row(py, index.extract()?)?.into_any())
    }

    /// The page as a pandas DataFrame: a column per field, with its dtype
    /// (datetime64[us], boolean, Int64, string; relations as their id), then
    /// a column per field the reference does not list.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::interop::frame::frame(py, self.spec, &[self.batch(py)?], Undocumented::Columns)
    }

    /// The page as an Arrow stream of one batch (the Arrow PyCapsule
    /// interface): `pyarrow.table(page.to_arrow())`, `polars.DataFrame(...)`.
    fn to_arrow(&self, py: Python<'_>) -> PyResult<ArrowStream> {
        Ok(ArrowStream::held(self.spec, vec![self.batch(py)?]))
    }

    /// The rows as a list.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.rows.iter().map(|r| r.clone_ref(py)))
    }

    /// Whether a later page may hold rows (with `statistics=True`, whether rows
    /// remain past this page; else whether this page is full).
    fn has_next_page(&self) -> bool {
        self.more
    }

    /// This page and each next one, fetched as the loop reaches it: `for` on
    /// a page of a `Client`, `async for` on one of an `AsyncClient`.
    fn iter_pages(slf: Py<Self>, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let resource = slf.get().resource.as_ref().map(|r| r.clone_ref(py));
        let asynchronous = match &resource {
            Some(resource) => resource.get().kind == ClientKind::Awaitable,
            None => false,
        };
        let walk = if asynchronous {
            "aiter_pages"
        } else {
            "iter_pages"
        };
        // The resource's calls name the walk's span, when telemetry records.
        Ok(crate::api::shell::resources(py)?
            .getattr(walk)?
            .call1((slf, resource))?
            .unbind())
    }

    /// Pickles the rows and what the page says about them; the page rebuilt
    /// has no client, so its `next_page()` raises.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let rebuild = py.import("pigello._native")?.getattr("_page")?;
        let state = (
            self.spec.name,
            self.to_list(py)?,
            self.total,
            self.page,
            self.page_size,
            self.request_id.clone(),
            self.more,
        );
        (rebuild, state).into_pyobject(py)
    }

    /// The next page (the same filters and order), or `None` after the last;
    /// a coroutine of it on a page of an `AsyncClient`.
    fn next_page(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let Some(resource) = &self.resource else {
            return Err(crate::values::errors::pigello_error(
                "this page was rebuilt by pickle and has no client: list again with a client"
                    .into(),
            ));
        };
        let call = match &self.next {
            Some(query) => Some(Py::new(
                py,
                fetch(py, resource.clone_ref(py), query.clone())?,
            )?),
            None => None,
        };
        match (resource.get().kind, call) {
            (ClientKind::Blocking, Some(call)) => call.get().wait(py),
            (ClientKind::Blocking, None) => Ok(py.None()),
            (ClientKind::Awaitable, call) => Ok(crate::api::shell::resources(py)?
                .getattr("awaited")?
                .call1((call,))?
                .unbind()),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Page({}, page={}, page_size={}, rows={}{})",
            self.spec.name,
            self.page,
            self.page_size,
            self.rows.len(),
            self.total
                .map(|t| format!(", total={t}"))
                .unwrap_or_default()
        )
    }

    /// The page as an HTML table, for notebooks: the scalar fields and relation ids.
    fn _repr_html_(&self, py: Python<'_>) -> String {
        let columns: Vec<&str> = self
            .spec
            .fields
            .iter()
            .filter(|f| {
                !matches!(
                    f.kind,
                    ValueKind::Array(_) | ValueKind::Object | ValueKind::Any
                )
            })
            .map(|f| f.name)
            .collect();
        let mut html = String::from("<table><thead><tr>");
        for c in &columns {
            html.push_str(&format!("<th>{}</th>", escape(c)));
        }
        html.push_str("</tr></thead><tbody>");
        for row in &self.rows {
            let row = row.bind(py).get();
            html.push_str("<tr>");
            for c in &columns {
                html.push_str(&format!("<td>{}</td>", row.cell(c)));
            }
            html.push_str("</tr>");
        }
        html.push_str(&format!("</tbody></table><p>{}</p>", self.footer()));
        html
    }
}

impl Page {
    fn row(&self, py: Python<'_>, index: isize) -> PyResult<Py<Model>> {
        let n = self.rows.len() as isize;
        let i = if index < 0 { index + n } else { index };
        if (0..n).contains(&i) {
            Ok(self.rows[i as usize].clone_ref(py))
        } else {
            Err(pyo3::exceptions::PyIndexError::new_err(
                "page index out of range",
            ))
        }
    }

    /// What the page holds, as a reader says it: "8 of 200 tenants, page 1".
    fn footer(&self) -> String {
        let plural = self.spec.snake_plural.replace('_', " ");
        let count = self.rows.len();
        match self.total {
            Some(total) => format!("{count} of {total} {plural}, page {}", self.page),
            None => format!("{count} {plural}, page {}", self.page),
        }
    }
}

/// A page from its pickled form (see `Page.__reduce__`).
#[pyfunction]
#[pyo3(signature = (resource, rows, total, page, page_size, request_id, more))]
#[allow(clippy::too_many_arguments)]
pub fn _page(
    resource: &str,
    rows: Vec<Py<Model>>,
    total: Option<Arg<u64>>,
    page: u32,
    page_size: u32,
    request_id: Option<String>,
    more: bool,
) -> PyResult<Page> {
    let spec = pigello::resources::find(resource).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!("no resource is called {resource:?}"))
    })?;
    Ok(Page {
        spec,
        rows,
        total: opt(total),
        page,
        page_size,
        request_id,
        resource: None,
        next: None,
        more,
    })
}

/// One page of `query` (which names its page) of `calls`, as a `Page` that
/// knows the query of the next one.
pub fn fetch(py: Python<'_>, calls: Py<ResourceCalls>, query: ListQuery) -> PyResult<PendingCall> {
    let me = calls.clone_ref(py);
    let calls = calls.get();
    let (raw, state) = calls.for_call(RequestOptions::default());
    let listed = async move {
        let listed = raw.list_with(&query, &LazyRows).await?;
        let next = listed.next_query(&query);
        Ok((listed, next, me))
    };
    calls.finish((listed, state), |py, spec, (listed, next, resource)| {
        let page = listed.shown_page();
        let rows = crate::call::answer::models(py, spec, listed.rows)?;
        for row in &rows {
            crate::values::model::stamp(row.bind(py).as_any(), listed.request_id.as_deref())?;
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
