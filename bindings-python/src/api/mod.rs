//! What Python users call: the clients, a resource's calls and their keywords,
//! pages, walks and partitions of a list, the sandbox, and the logging bridge.

pub(crate) mod calls;
pub(crate) mod client;
pub(crate) mod logging;
pub(crate) mod operations;
pub(crate) mod options;
pub(crate) mod page;
pub(crate) mod partition;
pub(crate) mod resource;
pub(crate) mod rows;
pub(crate) mod sandbox;
pub(crate) mod shell;
pub(crate) mod signatures;
pub(crate) mod telemetry;
