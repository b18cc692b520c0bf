//! One object the API sent, as a Python object: an attribute per documented
//! field, converted when read; undocumented fields kept.

use std::sync::OnceLock;

use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyAttributeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use serde_json::{Map, Value};

use pigello::description::{ResourceSpec, ValueKind};

use crate::values::to_python::{field_to_py, json_to_py};
use pigello::client::{LazyField, LazyRow};

/// An object of a resource. Each resource has its own subclass (`Tenant`,
/// `Protectedidentity`, ...; see `classes.rs`), so `type(row)` names it.
#[pyclass(module = "pigello._native", name = "Model", frozen, subclass)]
pub struct Model {
    pub spec: &'static ResourceSpec,
    pub row: LazyRow,
    /// The id of the request whose answer held this object.
    request_id: OnceLock<String>,
}

impl Model {
    pub fn new(spec: &'static ResourceSpec, row: LazyRow) -> Model {
        Model {
            spec,
            row,
            request_id: OnceLock::new(),
        }
    }

    pub fn id_string(&self) -> String {
        self.row.id().to_owned()
    }

    /// A cell of an HTML table (a notebook's view of a model or a page): the
    /// value as text (a relation as its id), escaped, with anything that
    /// looks like a personal or organisation number, an e-mail or a phone
    /// number shown as `<redacted>`, as in a `repr`. The value itself is
    /// read as the field.
    pub fn cell(&self, field: &str) -> String {
        let text = match self.row.get(field) {
            None | Some(LazyField::Null) => String::new(),
            Some(LazyField::Text(s)) => s.to_owned(),
            Some(LazyField::Bool(b)) => b.to_string(),
            Some(LazyField::Number(n)) => n.to_owned(),
            Some(raw @ LazyField::Raw(json)) => match raw.to_json() {
                Value::Object(o) if o.get("id").is_some_and(Value::is_string) => {
                    o["id"].as_str().unwrap_or_default().to_owned()
                }
                _ => json.to_owned(),
            },
        };
        escape(&pigello::redact::personal_data(&text))
    }
}

impl Model {
    fn same_as(&self, other: &Model) -> bool {
        other.spec.name == self.spec.name && other.row.to_json() == self.row.to_json()
    }

    fn order_key(&self) -> (&'static str, &str) {
        (self.spec.name, self.row.id())
    }

    fn read_only(&self, name: &str) -> PyErr {
        PyAttributeError::new_err(format!(
            "{} objects are read-only; change one with client.{}.update(id, {name}=...)",
            self.spec.name, self.spec.snake_plural
        ))
    }
}

/// Marks what a call returned (a model, or a list of them) with the id of
/// the request that answered it.
pub fn stamp(value: &Bound<'_, PyAny>, request_id: Option<&str>) -> PyResult<()> {
    let Some(request_id) = request_id else {
        return Ok(());
    };
    if let Ok(model) = value.cast::<Model>() {
        let _ = model.get().request_id.set(request_id.to_owned());
    } else if let Ok(list) = value.cast::<PyList>() {
        for item in list.iter() {
            stamp(&item, Some(request_id))?;
        }
    }
    Ok(())
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[pymethods]
impl Model {
    /// The resource's name, as the API spells it.
    #[getter]
    fn resource(&self) -> &'static str {
        self.spec.name
    }

    /// The id of the request whose answer held this object (`x-request-id`).
    #[getter]
    fn _request_id(&self) -> Option<&str> {
        self.request_id.get().map(String::as_str)
    }

    /// A documented field (converted by its kind) or an undocumented one (as JSON).
    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        if let Some(field) = self.spec.field(name) {
            return match self.row.get(name) {
                Some(value) => field_to_py(py, field.kind, value),
                None => Ok(py.None().into_bound(py)),
            };
        }
        match self.row.get(name) {
            Some(value) => field_to_py(py, ValueKind::Any, value),
            None => Err(PyAttributeError::new_err(format!(
                "{} has no field {name:?}",
                self.spec.name
            ))),
        }
    }

    /// The fields the reference does not document, as sent.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let extra: Map<String, Value> = self
            .row
            .fields()
            .filter(|(k, _)| self.spec.field(k).is_none())
            .map(|(k, v)| (k.to_owned(), v.to_json()))
            .collect();
        json_to_py(py, &Value::Object(extra))
    }

    /// The object as JSON-ready Python values (strings for ids and dates).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &Value::Object(self.row.to_json()))
    }

    /// Equal when the same resource holds the same fields; ordered by
    /// resource and id, so `sorted()` gives the same order on every run.
    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> Py<PyAny> {
        let py = other.py();
        let Ok(other) = other.cast::<Model>() else {
            return py.NotImplemented();
        };
        let other = other.get();
        let result = match op {
            CompareOp::Eq => self.same_as(other),
            CompareOp::Ne => !self.same_as(other),
            _ => op.matches(self.order_key().cmp(&other.order_key())),
        };
        pyo3::types::PyBool::new(py, result)
            .to_owned()
            .into_any()
            .unbind()
    }

    /// Models cannot be changed: say so, and how to change the object.
    fn __setattr__(&self, name: &str, _value: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(self.read_only(name))
    }

    fn __delattr__(&self, name: &str) -> PyResult<()> {
        Err(self.read_only(name))
    }

    /// A model is an immutable value: a copy is the model itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    /// Pickles as the resource's name and the fields as JSON text.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let rebuild = py.import("pigello._native")?.getattr("_model")?;
        let text = serde_json::to_string(&self.row.to_json())
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        PyTuple::new(
            py,
            [
                rebuild,
                PyTuple::new(py, [self.spec.name, text.as_str()])?.into_any(),
            ],
        )
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (self.spec.name, self.id_string()).hash(&mut h);
        h.finish()
    }

    /// The resource, the id and the naming fields (the core's rule: never a
    /// personal number, an e-mail or a phone number).
    fn __repr__(&self) -> String {
        pigello::model::summary(self.spec, self.row.id(), |name| match self.row.get(name) {
            Some(LazyField::Text(text)) => Some(text),
            _ => None,
        })
    }

    fn __dir__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut names: Vec<&str> = self.spec.fields.iter().map(|f| f.name).collect();
        names.extend(
            self.row
                .fields()
                .map(|(k, _)| k)
                .filter(|k| self.spec.field(k).is_none()),
        );
        names.extend(["resource", "extra", "to_dict"]);
        PyList::new(py, names)
    }

    /// A two-column table of the fields, for notebooks.
    fn _repr_html_(&self) -> String {
        let mut html = format!(
            "<table><caption>{} {}</caption>",
            self.spec.name,
            escape(&self.id_string())
        );
        for (name, _) in self.row.fields() {
            html.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>",
                escape(name),
                self.cell(name)
            ));
        }
        html.push_str("</table>");
        html
    }
}

/// Declares one frozen subclass of [`Model`] per resource, named as the API
/// names the resource, with `instantiate` (a row as an object of its class) and
/// `register` (the classes added to the module). The invocation is generated.
macro_rules! model_classes {
    ($($class:ident),* $(,)?) => {
        $(
            #[pyo3::pyclass(module = "pigello._native", extends = $crate::values::model::Model, frozen)]
            pub struct $class;
        )*

        /// A row as an object of its resource's class.
        pub fn instantiate(
            py: pyo3::Python<'_>,
            model: $crate::values::model::Model,
        ) -> pyo3::PyResult<pyo3::Py<$crate::values::model::Model>> {
            let object = match model.spec.name {
                $(stringify!($class) => {
                    pyo3::Py::new(py, pyo3::PyClassInitializer::from(model).add_subclass($class))?
                        .into_any()
                })*
                _ => pyo3::Py::new(py, model)?.into_any(),
            };
            Ok(object.bind(py).cast::<$crate::values::model::Model>()?.clone().unbind())
        }

        /// Adds every resource's class to the module.
        pub fn register(module: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
            use pyo3::prelude::*;
            $(module.add_class::<$class>()?;)*
            Ok(())
        }
    };
}
pub(crate) use model_classes;
