//! Arguments (other than the options, which `api/options.rs` converts by
//! their type) whose conversion error names the argument on every Python
//! the wheel supports.
//!
//! pyo3 names the argument a value could not convert for by calling
//! `add_note("while processing 'n'")` on the error, and Python has
//! `add_note` from 3.11 on only: on 3.9 and 3.10 the name was lost, and
//! `partitions(1.5)` raised "'float' object cannot be interpreted as an
//! integer" and nothing more. `Arg<T>` converts exactly as `T` does; before
//! 3.11 its error is re-raised through `pigello._errors._noted`, which gives
//! it an `add_note` that puts the note into the message, so the name shows
//! wherever the error does.

use pyo3::prelude::*;

/// A `T` argument (a number or a flag) whose conversion error names it.
pub struct Arg<T>(pub T);

impl<'a, 'py, T> FromPyObject<'a, 'py> for Arg<T>
where
    T: FromPyObject<'a, 'py>,
{
    type Error = PyErr;

    fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        T::extract(value).map(Arg).map_err(|error| {
            let error: PyErr = error.into();
            let py = value.py();
            if py.version_info() >= (3, 11) {
                return error;
            }
            noted(py, error)
        })
    }
}

/// The same error, as an instance that takes notes into its message.
fn noted(py: Python<'_>, error: PyErr) -> PyErr {
    let rebuilt = py
        .import("pigello._errors")
        .and_then(|module| module.getattr("_noted"))
        .and_then(|noted| noted.call1((error.value(py),)));
    match rebuilt {
        Ok(instance) => PyErr::from_value(instance),
        Err(_) => error,
    }
}

/// Unwraps an optional argument.
pub fn opt<T>(value: Option<Arg<T>>) -> Option<T> {
    value.map(|Arg(inner)| inner)
}
