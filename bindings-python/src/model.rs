//! One object the API sent, as a Python object: an attribute per documented
//! field, converted when read; undocumented fields kept.

use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde_json::{Map, Value};

use pigello::description::{ResourceSpec, ValueKind};

use crate::convert::{field_to_py, json_to_py};
use crate::row::{Field, Row};

/// An object of a resource. Each resource has its own subclass (`Tenant`,
/// `Protectedidentity`, ...; see `classes.rs`), so `type(row)` names it.
#[pyclass(module = "pigello._native", name = "Model", frozen, subclass)]
pub struct Model {
    pub spec: &'static ResourceSpec,
    pub row: Row,
}

impl Model {
    pub fn new(spec: &'static ResourceSpec, row: Row) -> Model {
        Model { spec, row }
    }

    pub fn id_string(&self) -> String {
        self.row.id().to_owned()
    }

    /// A cell of an HTML table: the value as text (a relation as its id), escaped.
    pub fn cell(&self, field: &str) -> String {
        let text = match self.row.get(field) {
            None | Some(Field::Null) => String::new(),
            Some(Field::Text(s)) => s.to_owned(),
            Some(Field::Bool(b)) => b.to_string(),
            Some(Field::Number(n)) => n.to_owned(),
            Some(raw @ Field::Raw(json)) => match raw.to_json() {
                Value::Object(o) if o.get("id").is_some_and(Value::is_string) => {
                    o["id"].as_str().unwrap_or_default().to_owned()
                }
                _ => json.to_owned(),
            },
        };
        escape(&text)
    }
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

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Model>().is_ok_and(|o| {
            o.get().spec.name == self.spec.name && o.get().row.to_json() == self.row.to_json()
        })
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (self.spec.name, self.id_string()).hash(&mut h);
        h.finish()
    }

    fn __repr__(&self) -> String {
        format!("{}(id='{}')", self.spec.name, self.id_string())
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
            #[pyo3::pyclass(module = "pigello._native", extends = $crate::model::Model, frozen)]
            pub struct $class;
        )*

        /// A row as an object of its resource's class.
        pub fn instantiate(
            py: pyo3::Python<'_>,
            model: $crate::model::Model,
        ) -> pyo3::PyResult<pyo3::Py<$crate::model::Model>> {
            let object = match model.spec.name {
                $(stringify!($class) => {
                    pyo3::Py::new(py, pyo3::PyClassInitializer::from(model).add_subclass($class))?
                        .into_any()
                })*
                _ => pyo3::Py::new(py, model)?.into_any(),
            };
            Ok(object.bind(py).cast::<$crate::model::Model>()?.clone().unbind())
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
