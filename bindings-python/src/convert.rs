//! Python values to JSON and back. Conversions of one field happen when it is
//! read, by the field's documented kind.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMemoryView, PyString, PyTuple,
};
use serde_json::{Map, Number, Value};

use pigello::description::{ItemKind, ValueKind};

use crate::model::Model;
use pigello::client::LazyField;

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

use pigello::validate::MAX_DEPTH;

/// One step into a value being converted, for errors that say where.
#[derive(Debug, Clone)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A value as the API's JSON: dates and date-times in ISO form, uuids and models
/// as their id. A type no JSON can carry is a `TypeError`; a value of the right
/// type that cannot be sent (NaN, an integer past 64 bits, a string with a lone
/// surrogate, nesting past [`MAX_DEPTH`]) is a `ValueError`. Both say where the
/// value is, never what it is.
pub fn py_to_json(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_json(value, &mut Vec::new())
}

/// [`py_to_json`] of a value found at `at` (an argument's name, a bulk item's
/// index), which errors name first.
pub fn py_to_json_at(at: Step, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_json(value, &mut vec![at])
}

fn to_json(value: &Bound<'_, PyAny>, path: &mut Vec<Step>) -> PyResult<Value> {
    let py = value.py();
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        return value
            .extract::<i64>()
            .map(Value::from)
            .map_err(|_| unsendable(path, "an integer past 64 bits"));
    }
    if value.is_instance_of::<PyFloat>() {
        let f: f64 = value.extract()?;
        return Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| unsendable(path, "NaN or an infinity"));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return text(s, path).map(Value::String);
    }
    if let Ok(model) = value.cast::<Model>() {
        return Ok(Value::String(model.borrow().id_string()));
    }
    let is_list = value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>();
    if (is_list || value.is_instance_of::<PyDict>()) && path.len() >= MAX_DEPTH {
        return Err(unsendable(path, &pigello::validate::too_deep()));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(PyTypeError::new_err(format!(
                    "{}: the keys of a mapping sent must be strings, not {}",
                    describe(path),
                    k.get_type().name()?
                )));
            };
            let key = text(key, path)?;
            path.push(Step::Key(key.clone()));
            let converted = to_json(&v, path)?;
            path.pop();
            map.insert(key, converted);
        }
        return Ok(Value::Object(map));
    }
    if is_list {
        let mut items = Vec::new();
        for (i, item) in value.try_iter()?.enumerate() {
            path.push(Step::Index(i));
            items.push(to_json(&item?, path)?);
            path.pop();
        }
        return Ok(Value::Array(items));
    }
    let datetime = py.import("datetime")?;
    if value.is_instance(&datetime.getattr("date")?)? {
        // Handed over tagged: the core, which knows each field's kind, writes
        // it for a date or date-time field and refuses it for a text field.
        let text: String = value.call_method0("isoformat")?.extract()?;
        return Ok(serde_json::json!({ pigello::model::INSTANT_KEY: text }));
    }
    if value.is_instance(&datetime.getattr("time")?)? {
        return Ok(Value::String(value.call_method0("isoformat")?.extract()?));
    }
    if value.is_instance(cached(py, &UUID, "uuid", &["UUID"])?)? {
        return Ok(Value::String(value.str()?.extract()?));
    }
    Err(PyTypeError::new_err(format!(
        "{}: a value of type {} cannot be sent",
        describe(path),
        value.get_type().name()?
    )))
}

/// A string argument (a credential, a search, a sort key): a `TypeError`
/// naming it if it is not a `str`, a `ValueError` naming it (never showing it)
/// if it has no UTF-8 form.
pub fn text_argument(name: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    match value.cast::<PyString>() {
        Ok(s) => text(s, &[Step::Key(name.to_owned())]),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{name} must be a str, not {}",
            value.get_type().name()?
        ))),
    }
}

/// A Python string as UTF-8. One holding a lone surrogate has no UTF-8 form;
/// Python's own error would carry the whole string (personal data, perhaps),
/// so it is replaced by one that says where the string was.
fn text(s: &Bound<'_, PyString>, path: &[Step]) -> PyResult<String> {
    s.to_cow()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| unsendable(path, "a string with a lone surrogate (not valid Unicode)"))
}

/// The `ValueError` for a value of the right type that cannot be sent.
fn unsendable(path: &[Step], what: &str) -> PyErr {
    PyValueError::new_err(format!("{}: {what} cannot be sent", describe(path)))
}

/// Where a value is, for an error: `first_name`, `[3].tenant`, `x[0][0][0]…`
/// (a deep path is cut after a few steps; the message stays short).
pub fn describe(path: &[Step]) -> String {
    const SHOWN: usize = 6;
    let mut out = String::new();
    for step in path.iter().take(SHOWN) {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if path.len() > SHOWN {
        out.push('…');
    }
    if out.is_empty() {
        out.push_str("the value");
    }
    out
}

/// A filter value as JSON, for the core to check and encode: any iterable but
/// a string, bytes or a mapping (a list, tuple, set, generator) is a list of
/// values for `in`; dates, uuids and models as `py_to_json` gives them.
pub fn filter_value(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    let mut path = vec![Step::Key(name.to_owned())];
    if is_collection(value)? {
        let mut items = Vec::new();
        for (i, item) in value.try_iter()?.enumerate() {
            path.push(Step::Index(i));
            items.push(to_json(&item?, &mut path)?);
            path.pop();
        }
        return Ok(Value::Array(items));
    }
    to_json(value, &mut path)
}

/// Whether a filter value is several values (for `in`): any iterable but a
/// string, bytes (whose items are numbers) or a mapping.
fn is_collection(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    let scalar = value.is_instance_of::<PyString>()
        || value.is_instance_of::<PyDict>()
        || value.is_instance_of::<PyBytes>()
        || value.is_instance_of::<PyByteArray>()
        || value.is_instance_of::<PyMemoryView>();
    Ok(!scalar && value.hasattr("__iter__")?)
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
