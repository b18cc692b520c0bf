//! The Pigello Core API SDK: typed models, validation of every documented rule
//! and the HTTP client (retries, timeouts, pagination, bulk writes), for the
//! Accounts application.
//!
//! Everything per resource is generated from `spec/accounts.json` by
//! `pigello-codegen`; the rest of the crate is written once for all resources.
//!
//! ```
//! use pigello::prelude::*;
//!
//! let identity = ProtectedidentityCreate::new()
//!     .tenant(Uuid::nil())
//!     .sub_tenant(Uuid::nil())
//!     .ssn("19811218-9875");
//! let err = identity.validate().unwrap_err();
//! let pigello::Error::Validation(v) = err else { unreachable!() };
//! let rules: Vec<_> = v.violations.iter().map(|v| (v.path.as_str(), v.rule.code())).collect();
//! assert!(rules.contains(&("ssn", "luhn")));
//! assert!(rules.contains(&("tenant", "cannot_be_set_with")));
//! ```

#[cfg(feature = "arrow")]
pub mod arrow;
pub mod cassette;
pub mod client;
pub mod credentials;
pub mod description;
mod error;
#[cfg(feature = "log-lines")]
pub mod log;
pub mod model;
pub mod query;
pub mod redact;
mod resource_traits;
pub mod resources;
pub mod telemetry;
pub mod validate;

pub use client::{Client, ClientBuilder, Environment, Handle, Query, environment_for};
pub use credentials::{CredentialName, Credentials, Secret, Spelling};
pub use error::{Error, Issue, Result};
pub use resource_traits::{Input, Resource, decode};

/// The README's examples, compiled and run as doc tests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;

/// The names most programs need.
pub mod prelude {
    pub use crate::client::{BulkItem, Client, Environment, Query};
    pub use crate::model::{Date, DateTime, Extra, Patch, Ref, Uuid};
    pub use crate::resources::*;
    pub use crate::{Credentials, Error, Input, Resource, Secret};
}
