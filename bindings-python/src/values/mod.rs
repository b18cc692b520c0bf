//! Values across the boundary: Python values as the API's JSON and back,
//! keyword conversion errors that name the keyword, a row as a Python object
//! (one class per resource), and the core's errors as the package's exceptions.

pub(crate) mod arg;
pub(crate) mod classes;
pub(crate) mod errors;
pub(crate) mod from_python;
pub(crate) mod model;
pub(crate) mod to_python;
pub(crate) mod unpickle;
