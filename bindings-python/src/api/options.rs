//! The keywords of a call, a list or a client, as the core's options: how a
//! call is sent (`RequestOptions`), what it sends beyond its documented
//! arguments (`CallOptions`) and a list's arguments (`ListArgs`). Which
//! keywords there are is the core's option table; `tests/python/test_options.py`
//! holds the signatures to it.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString};
use serde_json::Value;

use pigello::client::{CallOptions, ListArgs, RequestOptions};

use crate::values::arg::{Arg, opt};
use crate::values::errors::to_py;
use crate::values::from_python::{filter_value, py_to_json, text_argument};

/// The sending options from their keywords: `timeout=` (seconds),
/// `max_retries=` and a mapping of headers whose keyword is `headers_name`
/// (`default_headers=` on a client, `extra_headers=` on a call). The core
/// checks each; a header that is not a str is a `TypeError` naming it.
pub fn request_options(
    timeout: Option<Arg<f64>>,
    max_retries: Option<Arg<u32>>,
    headers: Option<&Bound<'_, PyAny>>,
    headers_name: &str,
) -> PyResult<RequestOptions> {
    let mut options = RequestOptions::default();
    if let Some(seconds) = timeout {
        options = options
            .timeout_seconds(seconds.0, "timeout")
            .map_err(to_py)?;
    }
    if let Some(n) = max_retries {
        options = options.max_retries(n.0);
    }
    if let Some(headers) = headers {
        let mapping = headers.cast::<PyMapping>().map_err(|_| {
            PyTypeError::new_err(format!("{headers_name} must be a mapping of str to str"))
        })?;
        for item in mapping.items()?.iter() {
            let (name, value) = item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?;
            let name = text_argument(&format!("a name in {headers_name}"), &name)?;
            let value = text_argument(&format!("{headers_name}[{name:?}]"), &value)?;
            options = options.header(&name, &value, headers_name).map_err(to_py)?;
        }
    }
    Ok(options)
}

/// The request options every method takes, keyword-only, as given: how the
/// call is sent (`timeout`, `max_retries`, `extra_headers`) and what it
/// sends beyond its documented arguments (`extra_query`, `extra_body`).
/// Never read as a field or a filter.
pub struct Sent<'a, 'py> {
    pub timeout: Option<Arg<f64>>,
    pub max_retries: Option<Arg<u32>>,
    pub extra_headers: Option<&'a Bound<'py, PyAny>>,
    pub extra_query: Option<&'a Bound<'py, PyDict>>,
    pub extra_body: Option<&'a Bound<'py, PyDict>>,
}

impl Sent<'_, '_> {
    /// The core's options: how to send, and what to send beyond the arguments.
    pub fn into_core(self) -> PyResult<(RequestOptions, CallOptions)> {
        let sending = request_options(
            self.timeout,
            self.max_retries,
            self.extra_headers,
            "extra_headers",
        )?;
        let mut call = CallOptions::default();
        if let Some(Value::Object(extra)) = self
            .extra_body
            .map(|d| py_to_json(d.as_any()))
            .transpose()?
        {
            call.extra_body = extra;
        }
        call.extra_query = named_values(self.extra_query, "an extra_query parameter's name")?;
        Ok((sending, call))
    }
}

/// A dict's items as (name, value) pairs, each value as a filter's is read (a
/// list, set or tuple is several values); `what` names a key that is not text.
fn named_values(dict: Option<&Bound<'_, PyDict>>, what: &str) -> PyResult<Vec<(String, Value)>> {
    dict.into_iter()
        .flat_map(|d| d.iter())
        .map(|(name, value)| {
            let name = text_argument(what, &name)?;
            let value = filter_value(&name, &value)?;
            Ok((name, value))
        })
        .collect()
}

/// The list keywords that are not filters.
pub struct ListKeywords<'a, 'py> {
    pub page: Option<Arg<u32>>,
    pub page_size: Option<Arg<u32>>,
    pub order_by: Option<&'a Bound<'py, PyAny>>,
    pub search: Option<Bound<'py, PyAny>>,
    pub slim: Option<Arg<bool>>,
    pub statistics: Option<Arg<bool>>,
}

impl ListKeywords<'_, '_> {
    /// Keywords of a walk over every page, which names its own pages.
    pub fn walk<'a, 'py>(
        order_by: Option<&'a Bound<'py, PyAny>>,
        search: Option<Bound<'py, PyAny>>,
    ) -> ListKeywords<'a, 'py> {
        ListKeywords {
            page: None,
            page_size: None,
            order_by,
            search,
            slim: None,
            statistics: None,
        }
    }

    /// The core's list arguments, with the filters given as keywords.
    pub fn into_core(self, filters: Option<&Bound<'_, PyDict>>) -> PyResult<ListArgs> {
        let mut order_by = Vec::new();
        if let Some(order) = self.order_by {
            if order.is_instance_of::<PyString>() {
                order_by.push(text_argument("order_by", order)?);
            } else {
                for key in order.try_iter()? {
                    order_by.push(text_argument("order_by", &key?)?);
                }
            }
        }
        Ok(ListArgs {
            page: opt(self.page),
            page_size: opt(self.page_size),
            order_by,
            search: self
                .search
                .map(|text| text_argument("search", &text))
                .transpose()?,
            slim: opt(self.slim).unwrap_or(false),
            statistics: opt(self.statistics).unwrap_or(false),
            filters: named_values(filters, "a filter's name")?,
        })
    }
}
