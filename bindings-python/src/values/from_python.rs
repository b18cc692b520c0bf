//! Python values as the API's JSON, checked on the way: a type no JSON can
//! carry is a `TypeError`, a value that cannot be sent a `ValueError`, each
//! saying where the value is and never what it is.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMemoryView, PyString, PyTuple,
};
use serde_json::{Map, Number, Value};

use crate::values::model::Model;
use crate::values::to_python::{UUID, cached};
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
