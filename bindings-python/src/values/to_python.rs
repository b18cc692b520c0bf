//! Values the API sent, as Python values: plain JSON (`json_to_py`), and one
//! field of a row as its documented kind calls for (`field_to_py`), converted
//! when it is read.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use serde_json::Value;

use pigello::client::LazyField;
use pigello::description::{ItemKind, ValueKind};

/// JSON as plain Python values (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`).
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u), _) => u.into_pyobject(py)?.into_any(),
            (_, _, f) => f.unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// One field as the Python value its kind calls for: `uuid.UUID`,
/// `datetime.date`, `datetime.datetime`, relations as `{"id": UUID}`. Text and
/// numbers go straight from the body's bytes; only a nested object or list is
/// parsed, and only now.
pub fn field_to_py<'py>(
    py: Python<'py>,
    kind: ValueKind,
    field: LazyField<'_>,
) -> PyResult<Bound<'py, PyAny>> {
    match field {
        LazyField::Null => Ok(py.None().into_bound(py)),
        LazyField::Bool(b) => Ok(PyBool::new(py, b).to_owned().into_any()),
        LazyField::Text(s) => text_to_py(py, kind, s),
        LazyField::Number(n) => match n.parse::<i64>() {
            Ok(i) => Ok(i.into_pyobject(py)?.into_any()),
            Err(_) => json_to_py(py, &field.to_json()),
        },
        LazyField::Raw(_) => value_to_py(py, kind, &field.to_json()),
    }
}

pub static UUID: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A class or function of the standard library, looked up once.
pub fn cached<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    path: &[&str],
) -> PyResult<&'py Bound<'py, PyAny>> {
    cell.get_or_try_init(py, || {
        let mut found = py.import(module)?.into_any();
        for name in path {
            found = found.getattr(*name)?;
        }
        Ok::<_, PyErr>(found.unbind())
    })
    .map(|f| f.bind(py))
}

fn uuid_to_py<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    cached(py, &UUID, "uuid", &["UUID"])?.call1((text,))
}

/// A string field by its kind.
fn text_to_py<'py>(py: Python<'py>, kind: ValueKind, s: &str) -> PyResult<Bound<'py, PyAny>> {
    match kind {
        ValueKind::Uuid => uuid_to_py(py, s),
        ValueKind::Date => cached(py, &DATE, "datetime", &["date", "fromisoformat"])?.call1((s,)),
        ValueKind::DateTime => {
            // Python before 3.11 does not read a trailing `Z`.
            let fromisoformat = cached(py, &DATETIME, "datetime", &["datetime", "fromisoformat"])?;
            match s.strip_suffix('Z') {
                Some(t) => fromisoformat.call1((format!("{t}+00:00"),)),
                None => fromisoformat.call1((s,)),
            }
        }
        _ => Ok(PyString::new(py, s).into_any()),
    }
}

/// A field's JSON value (a nested one) by its kind.
fn value_to_py<'py>(
    py: Python<'py>,
    kind: ValueKind,
    value: &Value,
) -> PyResult<Bound<'py, PyAny>> {
    match (kind, value) {
        (_, Value::String(s)) => text_to_py(py, kind, s),
        (ValueKind::Relation, _) => relation_to_py(py, value),
        (ValueKind::Array(ItemKind::Relation), Value::Array(items)) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(relation_to_py(py, item)?)?;
            }
            Ok(list.into_any())
        }
        _ => json_to_py(py, value),
    }
}

fn relation_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    let converted = json_to_py(py, value)?;
    if let (Ok(dict), Some(id)) = (
        converted.cast::<PyDict>(),
        value.get("id").and_then(Value::as_str),
    ) {
        dict.set_item("id", uuid_to_py(py, id)?)?;
    }
    Ok(converted)
}
