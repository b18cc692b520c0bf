//! The machine-readable description of every resource: paths, fields with their
//! types and limits, cross-field rules and list filters; and every option a
//! call, a client or a sandbox takes (`OPTIONS`).
//!
//! It is generated from `spec/accounts.json` (see `resources/`) and read by every
//! consumer: the validators here, the sandbox, and the binding generators. Keeping
//! one table is what keeps a rule from being written twice.

mod field;
mod filter;
mod options;
mod resource_spec;

pub use field::{EnumValue, EnumValues, FieldSpec, ItemKind, StringFormat, ValueKind};
pub use filter::{FilterSpec, Operator, OperatorKind};
pub use options::{Languages, OPTIONS, OptionSpec, OptionType, Taker, options_of};
pub use resource_spec::{CrossRule, Paths, ResourceSpec};
