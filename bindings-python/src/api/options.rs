//! The keywords a method was given, read through the core's option table:
//! each keyword is an option of the method, an argument it reads itself (a
//! filter, a field, a credential), or a `TypeError` naming it and the option
//! meant. The binding only converts each option's value by its type
//! ([`OptionType`]); which keywords exist and where each goes is the core's
//! ([`GivenOptions`]).

use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyMapping, PyString};
use serde_json::{Map, Value};

use pigello::client::{GivenName, GivenOptions, OptionError, timeout_from_seconds};
use pigello::description::{OptionSpec, OptionType, Taker};
use pigello::{Credentials, Spelling};

use crate::values::errors::to_py;
use crate::values::from_python::{filter_value, py_to_json, text_argument};

/// A method's keywords: its options, as the core reads them, and the
/// keywords that are its own arguments (filters, fields), as given.
pub struct Keywords<'py> {
    pub options: GivenOptions,
    pub arguments: Option<Bound<'py, PyDict>>,
}

/// Reads the keywords `taker` was given. A keyword set to `None` is an
/// option left out (an argument set to `None` is kept: it clears a field).
pub fn read<'py>(taker: Taker, given: Option<&Bound<'py, PyDict>>) -> PyResult<Keywords<'py>> {
    let Some(given) = given else {
        return Ok(Keywords {
            options: GivenOptions::read(taker, Spelling::Snake, []).map_err(option_error)?,
            arguments: None,
        });
    };
    let mut options = Vec::new();
    let mut arguments: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)> = Vec::new();
    for (key, value) in given.iter() {
        let name = key.cast::<PyString>()?.to_cow()?;
        match GivenOptions::classify(taker, Spelling::Snake, &name).map_err(option_error)? {
            GivenName::Option(option) if !value.is_none() => {
                options.push((name.into_owned(), option_value(option, &value)?))
            }
            GivenName::Option(_) => {}
            GivenName::Argument => arguments.push((key, value)),
        }
    }
    let options = GivenOptions::read(taker, Spelling::Snake, options).map_err(option_error)?;
    // Most calls give arguments only: the dict they came in is kept.
    let arguments = if arguments.len() == given.len() {
        Some(given.clone())
    } else if arguments.is_empty() {
        None
    } else {
        let dict = PyDict::new(given.py());
        for (key, value) in arguments {
            dict.set_item(key, value)?;
        }
        Some(dict)
    };
    Ok(Keywords { options, arguments })
}

/// A client's constructor keywords: its credentials (each a str) and its
/// options; a missing credential is an error naming it.
pub fn read_client(given: Option<&Bound<'_, PyDict>>) -> PyResult<(Credentials, GivenOptions)> {
    let mut read = Vec::new();
    for (key, value) in given.into_iter().flat_map(|d| d.iter()) {
        let name = key.cast::<PyString>()?.to_cow()?.into_owned();
        let value = match GivenOptions::classify(Taker::Client, Spelling::Snake, &name) {
            Ok(GivenName::Option(option)) => option_value(option, &value)?,
            _ if value.is_none() => Value::Null,
            _ => Value::String(text_argument(&name, &value)?),
        };
        read.push((name, value));
    }
    GivenOptions::client(Spelling::Snake, read).map_err(option_error)
}

/// The core's refusal as Python raises it: a wrong name or type is a
/// `TypeError`, a refused value the package's error.
fn option_error(error: OptionError) -> PyErr {
    match error {
        OptionError::Type(message) => PyTypeError::new_err(message),
        OptionError::Refused(error) => to_py(error),
    }
}

/// One option's value as JSON, by its type; a value of another type is a
/// `TypeError` naming the option and what it takes.
fn option_value(option: &OptionSpec, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    let name = option.name;
    let wrong = |expected: &str| -> PyResult<Value> {
        Err(PyTypeError::new_err(format!(
            "{name} must be {expected}, not {}",
            value.get_type().name()?
        )))
    };
    let is_number = !value.is_instance_of::<PyBool>()
        && (value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>());
    match option.value {
        OptionType::Timeout if is_number => {
            // JSON has no NaN or infinity: the core's refusal of them is
            // raised here.
            let seconds = value.extract::<f64>()?;
            match serde_json::Number::from_f64(seconds) {
                Some(number) => Ok(Value::Number(number)),
                None => match timeout_from_seconds(seconds, name) {
                    Err(refused) => Err(to_py(refused)),
                    Ok(_) => wrong("a finite number of seconds"),
                },
            }
        }
        OptionType::Timeout => wrong("a number of seconds"),
        OptionType::Count | OptionType::Port
            if value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>() =>
        {
            let max = match option.value {
                OptionType::Port => u64::from(u16::MAX),
                _ => u64::from(u32::MAX),
            };
            match value.extract::<u64>() {
                Ok(n) if n <= max => Ok(Value::from(n)),
                _ => Err(PyOverflowError::new_err(format!(
                    "{name} must be from 0 to {max}"
                ))),
            }
        }
        OptionType::Count | OptionType::Port => wrong("an int"),
        OptionType::Flag if value.is_instance_of::<PyBool>() => Ok(Value::Bool(value.is_truthy()?)),
        OptionType::Flag => wrong("a bool"),
        OptionType::Text | OptionType::RecordMode => text_argument(name, value).map(Value::String),
        OptionType::Path => {
            let path = value
                .py()
                .import("os")?
                .getattr("fspath")?
                .call1((value,))
                .map_err(|_| PyTypeError::new_err(format!("{name} must be a str or a path")))?;
            text_argument(name, &path).map(Value::String)
        }
        OptionType::OrderBy if value.is_instance_of::<PyString>() => {
            text_argument(name, value).map(Value::String)
        }
        OptionType::OrderBy => value
            .try_iter()
            .map_err(|_| PyTypeError::new_err(format!("{name} must be a str or a list of str")))?
            .map(|key| text_argument(name, &key?).map(Value::String))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::Array),
        OptionType::Headers => {
            let mapping = value.cast::<PyMapping>().map_err(|_| {
                PyTypeError::new_err(format!("{name} must be a mapping of str to str"))
            })?;
            let mut headers = Map::new();
            for item in mapping.items()?.iter() {
                let (header, text) = item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?;
                let header = text_argument(&format!("a name in {name}"), &header)?;
                let text = text_argument(&format!("{name}[{header:?}]"), &text)?;
                headers.insert(header, Value::String(text));
            }
            Ok(Value::Object(headers))
        }
        OptionType::QueryParameters | OptionType::Filters => {
            let dict = value
                .cast::<PyDict>()
                .map_err(|_| PyTypeError::new_err(format!("{name} must be a dict")))?;
            let mut parameters = Map::new();
            for (key, item) in dict.iter() {
                let key = text_argument(&format!("a name in {name}"), &key)?;
                let item = filter_value(&key, &item)?;
                parameters.insert(key, item);
            }
            Ok(Value::Object(parameters))
        }
        OptionType::BodyFields if value.is_instance_of::<PyDict>() => py_to_json(value),
        OptionType::BodyFields => wrong("a dict"),
        // Node's objects; Python has none of these options.
        OptionType::Signal | OptionType::LogLevel | OptionType::Logger => {
            wrong("an option of Node's")
        }
    }
}
