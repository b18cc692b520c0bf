//! One page of a list.

use pyo3::prelude::*;
use pyo3::types::PyList;

use pigello::description::{ResourceSpec, ValueKind};
use pigello::query::ListQuery;

use crate::model::{Model, escape};
use crate::resource::{ClientKind, ResourceCalls};

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
    /// The resource listed, which fetches the next page.
    pub resource: Py<ResourceCalls>,
    /// The query of the next page, when the core says there may be one.
    pub next: Option<ListQuery>,
}

#[pymethods]
impl Page {
    fn __len__(&self) -> usize {
        self.rows.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_list(py)?.try_iter().map(Bound::into_any)
    }

    fn __getitem__(&self, py: Python<'_>, index: isize) -> PyResult<Py<Model>> {
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

    /// The page as a pandas DataFrame: a column per field, with its dtype
    /// (datetime64, boolean, Int64, string; relations as their id).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let models: Vec<_> = self.rows.iter().map(|r| r.bind(py).get()).collect();
        let rows: Vec<_> = models.iter().map(|m| &m.row).collect();
        crate::frame::frame(py, self.spec, &rows)
    }

    /// The rows as a list.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.rows.iter().map(|r| r.clone_ref(py)))
    }

    /// Whether a later page may hold rows (with `statistics=True`, whether rows
    /// remain past this page; else whether this page is full).
    fn has_next_page(&self) -> bool {
        self.next.is_some()
    }

    /// The next page (the same filters and order), or `None` after the last;
    /// a coroutine of it on a page of an `AsyncClient`.
    fn next_page(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let resource = self.resource.bind(py).get();
        let call = match &self.next {
            Some(query) => {
                let call = resource.list_page(self.resource.clone_ref(py), query.clone())?;
                Some(Py::new(py, call)?)
            }
            None => None,
        };
        match (resource.kind, call) {
            (ClientKind::Blocking, Some(call)) => call.get().wait(py),
            (ClientKind::Blocking, None) => Ok(py.None()),
            (ClientKind::Awaitable, call) => Ok(py
                .import("pigello._resources")?
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
        html.push_str(&format!(
            "</tbody></table><p>{} {} on page {}{}</p>",
            self.rows.len(),
            self.spec.name,
            self.page,
            self.total
                .map(|t| format!(" of {t} in all"))
                .unwrap_or_default()
        ));
        html
    }
}
