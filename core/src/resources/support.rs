//! The names the generated resource modules use, imported once here so the
//! generator need not track which file uses what.

pub use serde::{Deserialize, Serialize};
pub use serde_json::Value;

pub use crate::description::{
    CrossRule, EnumValue, FieldSpec, FilterSpec, ItemKind, OperatorKind, Paths, ResourceSpec,
    StringFormat, ValueKind,
};
pub use crate::model::{Date, DateTime, Extra, Patch, Redacted, Ref, Uuid};
pub use crate::validate::Mode;
pub use crate::{Input, Resource};
