//! Running the core's calls from Python: a call built unsent, what runs it
//! (a blocking client's own runtime, or the shared one), the asyncio client's
//! answers handed to the event loop, and an answer made into Python values.

pub(crate) mod answer;
#[cfg(unix)]
pub(crate) mod handoff;
pub(crate) mod pending;
pub(crate) mod runtime;
