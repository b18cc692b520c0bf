//! The building blocks the generated models are made of.

mod enums;
mod instant;
mod patch;
mod personal;
mod reference;
mod summary;

pub use instant::{
    INSTANT_KEY, instant_text, resolve_body_instants, resolve_instants, tagged_instant,
};
pub use patch::Patch;
pub use personal::{Presence, Redacted};
pub use reference::{Ref, wrap_relation_ids};
pub use summary::{NAMING_FIELDS, SHOWN_CHARS, summary};

/// Fields the reference does not list, kept as the server sent them so that they
/// round-trip unchanged: the docs are incomplete and the server is newer than any SDK.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// An RFC 3339 date-time, keeping the offset the server sent (`Z` stays `Z`).
pub type DateTime = chrono::DateTime<chrono::FixedOffset>;

/// A calendar date, `YYYY-MM-DD`.
pub type Date = chrono::NaiveDate;

pub use uuid::Uuid;
