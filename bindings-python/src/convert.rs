//! Python values to JSON and back. Conversions of one field happen when it is
//! read, by the field's documented kind.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use pigello::description::{ItemKind, ValueKind};

use crate::model::Model;
use crate::row::Field;

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

/// A value as the API's JSON: dates and date-times in ISO form, uuids and models
/// as their id.
pub fn py_to_json(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    let py = value.py();
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(i) = value.extract::<i64>() {
            return Ok(Value::from(i));
        }
        return Err(PyValueError::new_err("an integer too large for the API"));
    }
    if value.is_instance_of::<PyFloat>() {
        let f: f64 = value.extract()?;
        return Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err("NaN and infinity cannot be sent"));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.extract::<String>()?));
    }
    if let Ok(model) = value.cast::<Model>() {
        return Ok(Value::String(model.borrow().id_string()));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let key: String = k
                .extract()
                .map_err(|_| PyTypeError::new_err("the keys of a body must be strings"))?;
            map.insert(key, py_to_json(&v)?);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        return value
            .try_iter()?
            .map(|item| py_to_json(&item?))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    let datetime = py.import("datetime")?;
    if value.is_instance(&datetime.getattr("date")?)?
        || value.is_instance(&datetime.getattr("time")?)?
    {
        return Ok(Value::String(value.call_method0("isoformat")?.extract()?));
    }
    if value.is_instance(cached(py, &UUID, "uuid", &["UUID"])?)? {
        return Ok(Value::String(value.str()?.extract()?));
    }
    Err(PyTypeError::new_err(format!(
        "a value of type {} cannot be sent",
        value.get_type().name()?
    )))
}

/// A filter value as JSON, for the core to check and encode: any iterable but
/// a string or a dict (a list, tuple, set, generator) is a list of values for
/// `in`; dates, uuids and models as `py_to_json` gives them.
pub fn filter_value(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    if is_collection(value)? {
        return value
            .try_iter()?
            .map(|item| py_to_json(&item?))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array);
    }
    py_to_json(value)
}

/// Whether a filter value is several values (for `in`): any iterable but a
/// string or a dict.
fn is_collection(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    let text_or_mapping = value.is_instance_of::<PyString>() || value.is_instance_of::<PyDict>();
    Ok(!text_or_mapping && value.hasattr("__iter__")?)
}

/// One field as the Python value its kind calls for: `uuid.UUID`,
/// `datetime.date`, `datetime.datetime`, relations as `{"id": UUID}`. Text and
/// numbers go straight from the body's bytes; only a nested object or list is
/// parsed, and only now.
pub fn field_to_py<'py>(
    py: Python<'py>,
    kind: ValueKind,
    field: Field<'_>,
) -> PyResult<Bound<'py, PyAny>> {
    match field {
        Field::Null => Ok(py.None().into_bound(py)),
        Field::Bool(b) => Ok(PyBool::new(py, b).to_owned().into_any()),
        Field::Text(s) => text_to_py(py, kind, s),
        Field::Number(n) => match n.parse::<i64>() {
            Ok(i) => Ok(i.into_pyobject(py)?.into_any()),
            Err(_) => json_to_py(py, &field.to_json()),
        },
        Field::Raw(_) => value_to_py(py, kind, &field.to_json()),
    }
}

static UUID: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A class or function of the standard library, looked up once.
fn cached<'py>(
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
