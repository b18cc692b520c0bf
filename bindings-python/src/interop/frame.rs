//! Record batches as a pandas DataFrame: each column is built here in one pass
//! over the batches' columns, then handed to pandas at once with its dtype.
//! The rows' bodies are gone by then: the batches hold the columns only.

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use serde_json::{Map, Value};

use pigello::arrow::{EXTRA_COLUMN, JSON_METADATA};
use pigello::description::ResourceSpec;

use crate::interop::arrow::ArrowStream;
use crate::values::to_python::json_to_py;

/// Microseconds in a day, from a `Date32` to a `datetime64[us]`.
const DAY_MICROS: i64 = 86_400_000_000;

/// pandas, or an `ImportError` that says how to get it. Only a missing pandas
/// is said to be missing: anything else raised while importing it (a
/// KeyboardInterrupt, a broken install) goes up as it is.
fn pandas(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    py.import("pandas").map_err(|e| {
        if e.is_instance_of::<pyo3::exceptions::PyModuleNotFoundError>(py) {
            pyo3::exceptions::PyImportError::new_err(
                "to_pandas needs pandas: pip install 'pigello[pandas]'",
            )
        } else {
            e
        }
    })
}

/// Where the fields the reference does not list go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undocumented {
    /// A column each, in the order first met: what a user exploring rows sees.
    Columns,
    /// One column, [`EXTRA_COLUMN`], a dict per row (`None` for none): the
    /// same columns whatever the rows hold, as the parts of a Dask frame need.
    OneColumn,
}

/// A DataFrame with a column per documented field (then the undocumented
/// ones, as `undocumented` says), of `spec`'s batches.
pub fn frame<'py>(
    py: Python<'py>,
    spec: &'static ResourceSpec,
    batches: &[RecordBatch],
    undocumented_fields: Undocumented,
) -> PyResult<Bound<'py, PyAny>> {
    let pandas = pandas(py)?;
    let schema = pigello::arrow::schema(spec);
    let strings = ArrowStrings::open(py, &pandas, spec, batches)?;
    let data = PyDict::new(py);
    let mut names: Vec<String> = Vec::new();
    for (i, field) in schema.fields().iter().enumerate() {
        let chunks: Vec<&dyn Array> = batches.iter().map(|b| b.column(i).as_ref()).collect();
        if field.name() == EXTRA_COLUMN && undocumented_fields == Undocumented::Columns {
            for (name, values) in undocumented(py, &chunks)? {
                data.set_item(&name, array(&pandas, values, "object")?)?;
                names.push(name);
            }
        } else {
            let column = match &strings {
                Some(strings) if is_text(field) => strings.column(i)?,
                _ => column(py, &pandas, field, &chunks)?,
            };
            data.set_item(field.name(), column)?;
            names.push(field.name().clone());
        }
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("columns", PyList::new(py, &names)?)?;
    pandas.getattr("DataFrame")?.call((data,), Some(&kwargs))
}

/// Whether a column holds text (not JSON text): a `string` column.
fn is_text(field: &Field) -> bool {
    *field.data_type() == DataType::Utf8 && !field.metadata().contains_key(JSON_METADATA)
}

/// The batches as a pyarrow table, for string columns pandas keeps in Arrow
/// (`ArrowStringArray`, the `string` dtype backed by pyarrow): the text is
/// handed over without a copy and without a Python object per value. Without
/// pyarrow, or with a pandas that has no Arrow strings, the columns are
/// built from Python strings, with the same dtype.
struct ArrowStrings<'py> {
    table: Bound<'py, PyAny>,
    array: Bound<'py, PyAny>,
}

impl<'py> ArrowStrings<'py> {
    fn open(
        py: Python<'py>,
        pandas: &Bound<'py, PyModule>,
        spec: &'static ResourceSpec,
        batches: &[RecordBatch],
    ) -> PyResult<Option<Self>> {
        let pyarrow = match py.import("pyarrow") {
            Ok(pyarrow) => pyarrow,
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyImportError>(py) => return Ok(None),
            Err(e) => return Err(e),
        };
        // pyarrow reads the Arrow PyCapsule interface from version 14 on.
        let version: String = pyarrow.getattr("__version__")?.extract()?;
        let major: u32 = version
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        let arrays = pandas.getattr("arrays")?;
        if major < 14 || !arrays.hasattr("ArrowStringArray")? {
            return Ok(None);
        }
        let stream = Py::new(py, ArrowStream::held(spec, batches.to_vec()))?;
        Ok(Some(ArrowStrings {
            table: pyarrow.call_method1("table", (stream,))?,
            array: arrays.getattr("ArrowStringArray")?,
        }))
    }

    fn column(&self, i: usize) -> PyResult<Bound<'py, PyAny>> {
        self.array
            .call1((self.table.call_method1("column", (i,))?,))
    }
}

fn array<'py>(
    pandas: &Bound<'py, PyModule>,
    values: Bound<'py, PyList>,
    dtype: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let kwargs = PyDict::new(pandas.py());
    kwargs.set_item("dtype", dtype)?;
    pandas.call_method("array", (values,), Some(&kwargs))
}

/// One column, with the dtype its Arrow type maps to: `string`, `Int64`,
/// `boolean`, `datetime64[us]` (UTC for date-times), `object` for lists and
/// JSON values.
fn column<'py>(
    py: Python<'py>,
    pandas: &Bound<'py, PyModule>,
    field: &Field,
    chunks: &[&dyn Array],
) -> PyResult<Bound<'py, PyAny>> {
    let values = PyList::empty(py);
    match field.data_type() {
        DataType::Utf8 if field.metadata().contains_key(JSON_METADATA) => {
            for chunk in chunks {
                for text in chunk.as_string::<i32>() {
                    values.append(json_cell(py, text)?)?;
                }
            }
            array(pandas, values, "object")
        }
        DataType::Utf8 => {
            for chunk in chunks {
                for text in chunk.as_string::<i32>() {
                    values.append(text.map(|t| PyString::new(py, t)))?;
                }
            }
            array(pandas, values, "string")
        }
        DataType::Int64 => {
            let numbers = chunks
                .iter()
                .flat_map(|c| c.as_primitive::<Int64Type>().iter());
            masked(py, pandas, numbers, "<i8", "IntegerArray")
        }
        DataType::Boolean => {
            let flags = chunks
                .iter()
                .flat_map(|c| c.as_boolean().iter().map(|b| b.map(i8::from)));
            masked(py, pandas, flags, "?", "BooleanArray")
        }
        DataType::Date32 => {
            let micros = chunks.iter().flat_map(|c| {
                let days = c.as_primitive::<Date32Type>();
                days.iter().map(|d| d.map(|d| i64::from(d) * DAY_MICROS))
            });
            instants(py, pandas, micros, false)
        }
        DataType::Timestamp(..) => {
            let micros = chunks
                .iter()
                .flat_map(|c| c.as_primitive::<TimestampMicrosecondType>().iter());
            instants(py, pandas, micros, true)
        }
        DataType::List(_) => {
            for chunk in chunks {
                for items in chunk.as_list::<i32>().iter() {
                    match items {
                        None => values.append(py.None())?,
                        Some(items) => {
                            let items: Vec<Option<&str>> =
                                items.as_string::<i32>().iter().collect();
                            values.append(PyList::new(py, items)?)?
                        }
                    }
                }
            }
            array(pandas, values, "object")
        }
        other => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "no pandas column is made from Arrow {other}"
        ))),
    }
}

/// Nullable numbers or flags as a pandas masked array (`Int64`, `boolean`):
/// a numpy array of the values and one of the nulls, no Python object per
/// value.
fn masked<'py, T: Default + Copy + ToLeBytes>(
    py: Python<'py>,
    pandas: &Bound<'py, PyModule>,
    values: impl Iterator<Item = Option<T>>,
    numpy_type: &str,
    class: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let (mut bytes, mut nulls) = (Vec::new(), Vec::new());
    for value in values {
        bytes.extend_from_slice(value.unwrap_or_default().to_le_bytes().as_ref());
        nulls.push(u8::from(value.is_none()));
    }
    let numpy = py.import("numpy")?;
    // `copy()`: pandas may write into its arrays, and a buffer's are read-only.
    let values = numpy
        .call_method1("frombuffer", (PyBytes::new(py, &bytes), numpy_type))?
        .call_method0("copy")?;
    let nulls = numpy
        .call_method1("frombuffer", (PyBytes::new(py, &nulls), "?"))?
        .call_method0("copy")?;
    pandas
        .getattr("arrays")?
        .getattr(class)?
        .call1((values, nulls))
}

/// A value's little-endian bytes, for numpy.
trait ToLeBytes {
    fn to_le_bytes(self) -> impl AsRef<[u8]>;
}

impl ToLeBytes for i64 {
    fn to_le_bytes(self) -> impl AsRef<[u8]> {
        i64::to_le_bytes(self)
    }
}

impl ToLeBytes for i8 {
    fn to_le_bytes(self) -> impl AsRef<[u8]> {
        i8::to_le_bytes(self)
    }
}

/// A JSON text cell as Python values (`None` for null).
fn json_cell<'py>(py: Python<'py>, text: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
    match text {
        None => Ok(py.None().into_bound(py)),
        Some(text) => {
            let value: Value = serde_json::from_str(text)
                .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
            json_to_py(py, &value)
        }
    }
}

/// Points in time as microseconds since the epoch (`None` for null), as a
/// `datetime64[us]` column (UTC-aware with `utc`), whatever the pandas
/// version would infer from values.
fn instants<'py>(
    py: Python<'py>,
    pandas: &Bound<'py, PyModule>,
    micros: impl Iterator<Item = Option<i64>>,
    utc: bool,
) -> PyResult<Bound<'py, PyAny>> {
    // numpy's NaT is the smallest 64-bit integer.
    let bytes: Vec<u8> = micros
        .flat_map(|m| m.unwrap_or(i64::MIN).to_ne_bytes())
        .collect();
    let numpy = py.import("numpy")?;
    let values = numpy.call_method1("frombuffer", (PyBytes::new(py, &bytes), "datetime64[us]"))?;
    let mut index = pandas.getattr("DatetimeIndex")?.call1((values,))?;
    if utc {
        index = index.call_method1("tz_localize", ("UTC",))?;
    }
    // pandas 2 and later keep microseconds; older ones have nanoseconds only.
    if index.hasattr("as_unit")? {
        index = index.call_method1("as_unit", ("us",))?;
    }
    Ok(index)
}

/// The undocumented fields of the rows, a column each (in the order first
/// met), from the JSON objects of [`EXTRA_COLUMN`].
fn undocumented<'py>(
    py: Python<'py>,
    chunks: &[&dyn Array],
) -> PyResult<Vec<(String, Bound<'py, PyList>)>> {
    let mut rows: Vec<Option<Map<String, Value>>> = Vec::new();
    for chunk in chunks {
        for text in chunk.as_string::<i32>() {
            rows.push(match text {
                None => None,
                Some(text) => Some(
                    serde_json::from_str(text)
                        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?,
                ),
            });
        }
    }
    let mut names: Vec<&String> = Vec::new();
    for row in rows.iter().flatten() {
        for key in row.keys() {
            if !names.contains(&key) {
                names.push(key);
            }
        }
    }
    names
        .into_iter()
        .map(|name| {
            let values = PyList::empty(py);
            for row in &rows {
                match row.as_ref().and_then(|r| r.get(name)) {
                    Some(value) => values.append(json_to_py(py, value)?)?,
                    None => values.append(py.None())?,
                }
            }
            Ok((name.clone(), values))
        })
        .collect()
}
