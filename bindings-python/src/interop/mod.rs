//! Rows for the data tools: Arrow streams and batches through the PyCapsule
//! interface, pandas frames, and an export's progress.

pub(crate) mod arrow;
pub(crate) mod batches;
pub(crate) mod frame;
pub(crate) mod progress;
