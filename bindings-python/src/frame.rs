//! Rows as a pandas DataFrame: each column is built here in one pass over the
//! rows, then handed to pandas at once with its dtype.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use serde_json::Value;

use pigello::description::{ResourceSpec, ValueKind};

use crate::convert::json_to_py;
use crate::row::{Field, Row};

/// The pandas dtype a column of this kind gets (dates are parsed apart). An
/// empty frame's columns get the same dtypes as a full one's.
fn dtype(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::String | ValueKind::Uuid | ValueKind::Relation => "string",
        ValueKind::Integer => "Int64",
        ValueKind::Boolean => "boolean",
        _ => "object",
    }
}

/// One cell: relations as their id, text as it is (pandas parses the dates of a
/// whole column at once), everything else as its JSON value.
fn cell<'py>(
    py: Python<'py>,
    kind: ValueKind,
    field: Option<Field<'_>>,
) -> PyResult<Bound<'py, PyAny>> {
    match (kind, field) {
        (_, None | Some(Field::Null)) => Ok(py.None().into_bound(py)),
        (_, Some(Field::Text(s))) => Ok(PyString::new(py, s).into_any()),
        (_, Some(Field::Bool(b))) => Ok(PyBool::new(py, b).to_owned().into_any()),
        (ValueKind::Relation, Some(raw)) => {
            json_to_py(py, raw.to_json().get("id").unwrap_or(&Value::Null))
        }
        (_, Some(other)) => json_to_py(py, &other.to_json()),
    }
}

/// A DataFrame with a column per documented field (then any undocumented ones).
pub fn frame<'py>(
    py: Python<'py>,
    spec: &ResourceSpec,
    rows: &[&Row],
) -> PyResult<Bound<'py, PyAny>> {
    // Only a missing pandas is said to be missing: anything else raised while
    // importing it (a KeyboardInterrupt, a broken install) goes up as it is.
    let pandas = py.import("pandas").map_err(|e| {
        if e.is_instance_of::<pyo3::exceptions::PyModuleNotFoundError>(py) {
            pyo3::exceptions::PyImportError::new_err(
                "to_pandas needs pandas: pip install 'pigello[pandas]'",
            )
        } else {
            e
        }
    })?;
    let mut columns: Vec<(String, ValueKind)> = spec
        .fields
        .iter()
        .map(|f| (f.name.to_owned(), f.kind))
        .collect();
    for row in rows {
        for (key, _) in row.fields() {
            if spec.field(key).is_none() && !columns.iter().any(|(c, _)| c == key) {
                columns.push((key.to_owned(), ValueKind::Any));
            }
        }
    }
    let data = PyDict::new(py);
    for (name, kind) in &columns {
        let values = PyList::empty(py);
        for row in rows {
            values.append(cell(py, *kind, row.get(name))?)?;
        }
        let column = match kind {
            ValueKind::Date | ValueKind::DateTime => {
                let kwargs = PyDict::new(py);
                kwargs.set_item("errors", "coerce")?;
                if *kind == ValueKind::DateTime {
                    kwargs.set_item("utc", true)?;
                    kwargs.set_item("format", "ISO8601")?;
                } else {
                    kwargs.set_item("format", "%Y-%m-%d")?;
                }
                let parsed = pandas.call_method("to_datetime", (values,), Some(&kwargs))?;
                // The API's precision, whatever the values: pandas 3 infers a
                // unit from the text (seconds for none at all), pandas 2
                // always takes nanoseconds, and pandas 1 has only those.
                if parsed.hasattr("as_unit")? {
                    parsed.call_method1("as_unit", ("us",))?
                } else {
                    parsed
                }
            }
            kind => {
                let kwargs = PyDict::new(py);
                kwargs.set_item("dtype", dtype(*kind))?;
                pandas.call_method("array", (values,), Some(&kwargs))?
            }
        };
        data.set_item(name, column)?;
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item(
        "columns",
        PyList::new(py, columns.iter().map(|(c, _)| c.as_str()))?,
    )?;
    pandas.getattr("DataFrame")?.call((data,), Some(&kwargs))
}
